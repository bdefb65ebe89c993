import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { buildWorkForm } from '../../test/factories.ts';
import { makeAdmin } from '../../test/staff.ts';
import { saveReaderPreferences } from '../accounts/reader-preferences.service.ts';
import { DEFAULT_PREFERENCES } from '../accounts/reader-preferences.ts';

// The signed-in work page from the shared part with each reader's own panels (docs/decisions/033).
describe('signed-in work pages from the page cache', () => {
  let t: TestApp;
  let author: TestVisitor;
  let fan: TestVisitor;
  let lurker: TestVisitor;
  let troll: TestVisitor;
  let workId: number;
  let url: string;

  before(async () => {
    t = await createTestApp();
    author = await new TestVisitor(t.app).signUp('sharedauthor');
    fan = await new TestVisitor(t.app).signUp('sharedfan');
    lurker = await new TestVisitor(t.app).signUp('sharedlurker');
    troll = await new TestVisitor(t.app).signUp('sharedtroll');
    const posted = await author.post('/works', buildWorkForm({ title: 'Shared Shelf', rating: 'General Audiences' }));
    workId = Number(/\/works\/(\d+)$/.exec(String(posted.headers.location))![1]);
    url = `/works/${workId}`;
    // Text a commenter controls, made to look like the page's own placeholders and stand-ins.
    const sneaky = await troll.post(`${url}/comments`, {
      comment: 'Loud words <template id="ff-slot-x-kudos"></template> ffcsrf $& $1',
      return_to: url,
    });
    assert.equal(sneaky.statusCode, 303, sneaky.body.slice(0, 300));
  });
  after(() => t.close());

  /** Reads the page twice for each reader, so the second read of the first comes from the shared part. */
  const read = async (visitor: TestVisitor) => {
    const page = await visitor.get(url);
    assert.equal(page.statusCode, 200, page.body.slice(0, 300));
    return page.body;
  };

  it('stores one shared part and serves it to a second reader', async () => {
    t.app.pageCache.clear();
    await read(fan);
    assert.equal(t.app.pageCache.sharedSize, 1);
    const other = await read(lurker);
    assert.equal(t.app.pageCache.sharedSize, 1);
    assert.match(other, /Shared Shelf/);
    // The header is the reader's own: their name, their token in the log-out form.
    assert.match(other, /href="\/users\/sharedlurker"/);
    assert.doesNotMatch(other, /sharedfan/);
    assert.ok(other.includes(`name="_csrf" value="${lurker.csrfToken}"`));
    assert.ok(!other.includes(fan.csrfToken), 'another reader’s token on the page');
    assert.match(other, /Commenting as sharedlurker/);
  });

  it('shows kudos as given to the reader who gave them, and the button to the other', async () => {
    const given = await fan.post(`${url}/kudos`, { return_to: url });
    assert.equal(given.statusCode, 303);
    await read(lurker); // warm the shared part after the kudos invalidated it
    const fanPage = await read(fan);
    const lurkerPage = await read(lurker);
    assert.match(fanPage, /You have already left kudos here/);
    assert.doesNotMatch(lurkerPage, /You have already left kudos here/);
    assert.match(lurkerPage, /Kudos ♥/);
    // Both see the giver in the shared list.
    assert.match(lurkerPage, /kudos-givers[\s\S]*sharedfan/);
  });

  it('hides a muted commenter from the reader who muted them only', async () => {
    const muted = await lurker.post('/users/sharedlurker/muted', { action: 'add', user: 'sharedtroll' });
    assert.equal(muted.statusCode, 303, muted.body.slice(0, 300));
    await read(fan);
    const lurkerPage = await read(lurker);
    const fanPage = await read(fan);
    assert.doesNotMatch(lurkerPage, /Loud words/);
    assert.match(fanPage, /Loud words/);
  });

  it('keeps commenters’ text as text, whatever it looks like', async () => {
    const page = await read(fan);
    // The sanitizer drops the element; what is left stays text, and `$&` is not read as a replacement pattern.
    assert.ok(page.includes('<p>Loud words  ffcsrf $&amp; $1</p>'));
    // No stand-in or placeholder of the shared part reaches a reader.
    assert.doesNotMatch(page, /ff-slot-[0-9a-f]{24}|ffcsrf[0-9a-f]{24}|fflogin[0-9a-f]{24}|ffpseud[0-9a-f]{24}|ff-frame-/);
  });

  it('shows edit controls to the creator only', async () => {
    await read(fan);
    const creatorPage = await read(author);
    const fanPage = await read(fan);
    assert.match(creatorPage, /Edit work/);
    assert.doesNotMatch(fanPage, /Edit work/);
    assert.doesNotMatch(fanPage, /Delete work/);
  });

  it('shows an edit and a new comment at once', async () => {
    await read(fan);
    const edited = await author.post(
      url,
      buildWorkForm({ title: 'Shared Shelf, Revised', rating: 'General Audiences', expected_chapters: '1' }),
    );
    assert.equal(edited.statusCode, 303, edited.body.slice(0, 400));
    assert.match(await read(fan), /Shared Shelf, Revised/);
    const commented = await lurker.post(`${url}/comments`, { comment: 'A fresh remark.', return_to: url });
    assert.equal(commented.statusCode, 303);
    assert.match(await read(fan), /A fresh remark\./);
  });

  // The viewer cache (docs/decisions/045): readers are known without a query, so every way their
  // session or header can change must reach the next page.

  /** A visitor carrying the same cookies: the same browser, or someone who copied the cookie. */
  const copyOf = (visitor: TestVisitor) => {
    const copy = new TestVisitor(t.app);
    for (const [name, value] of visitor.cookies) copy.cookies.set(name, value);
    return copy;
  };
  const signedInAs = (page: string, login: string) => page.includes(`href="/users/${login}"`);

  it('treats a logged-out session’s cookie as a guest’s on the next page', async () => {
    const leaver = await new TestVisitor(t.app).signUp('sharedleaver');
    const before = t.app.pageCache.memberPageCount;
    for (let i = 0; i < 3; i++) assert.ok(signedInAs(await read(leaver), 'sharedleaver'));
    // By the third read the page is one the first hook serves whole.
    assert.ok(t.app.pageCache.memberPageCount > before);
    const stolen = copyOf(leaver);
    const out = await leaver.post('/logout', {});
    assert.equal(out.statusCode, 303, out.body.slice(0, 300));
    const page = await stolen.get(url);
    assert.equal(page.statusCode, 200);
    assert.ok(!signedInAs(page.body, 'sharedleaver'), 'a logged-out session was served as signed in');
    assert.ok(!stolen.cookies.has('ff_session'), 'the dead session cookie is cleared');
  });

  it('stops serving a suspended reader at once, whoever wrote the suspension', async () => {
    const rogue = await new TestVisitor(t.app).signUp('sharedrogue');
    for (let i = 0; i < 3; i++) assert.ok(signedInAs(await read(rogue), 'sharedrogue'));
    const { id } = await t.db.selectFrom('users').select('id').where('login', '=', 'sharedrogue').executeTakeFirstOrThrow();
    // Straight to the table, as another slice or a job would: the cache sees the write, not the route.
    await t.db.insertInto('user_suspensions').values({ user_id: id, message: 'test', until: null, created_by: null }).execute();
    assert.ok(!signedInAs(await read(rogue), 'sharedrogue'), 'a suspended reader was served from the cache');
  });

  it('follows a role change, a preference change and the unread count on the next page', async () => {
    const reader = await new TestVisitor(t.app).signUp('sharedchanger');
    await read(reader);
    assert.equal((await reader.get('/admin')).statusCode, 403);
    await makeAdmin(t.db, 'sharedchanger');
    assert.notEqual((await reader.get('/admin')).statusCode, 403, 'an admin role granted was not seen');

    const { id } = await t.db.selectFrom('users').select('id').where('login', '=', 'sharedchanger').executeTakeFirstOrThrow();
    assert.match(await read(reader), /<html[^>]*data-theme="system"/);
    await saveReaderPreferences(t.db, id, { ...DEFAULT_PREFERENCES, theme: 'dark' });
    assert.match(await read(reader), /<html[^>]*data-theme="dark"/);

    // The author's header counts unread inbox items: a new comment on their work adds one.
    const before = await read(author);
    const count = (page: string) => Number(/class="nav-count">(\d+)/.exec(page)?.[1] ?? 0);
    const commented = await fan.post(`${url}/comments`, { comment: 'One more for the inbox.', return_to: url });
    assert.equal(commented.statusCode, 303);
    assert.equal(count(await read(author)), count(before) + 1);
  });

  it('shows the reader’s own kudos on the reload after giving them', async () => {
    const giver = await new TestVisitor(t.app).signUp('sharedgiver');
    for (let i = 0; i < 3; i++) assert.doesNotMatch(await read(giver), /You have already left kudos here/);
    const given = await giver.post(`${url}/kudos`, { return_to: url });
    assert.equal(given.statusCode, 303);
    assert.match(await read(giver), /You have already left kudos here/);
  });
});
