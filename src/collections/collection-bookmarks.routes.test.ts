import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { buildWorkForm } from '../../test/factories.ts';
import { workIdOf } from '../../test/staff.ts';

describe('bookmarks in collections: added by their owners or invited by maintainers, approved as works are, listed on the collection page', () => {
  let t: TestApp;
  let keeper: TestVisitor;
  let reader: TestVisitor;
  let other: TestVisitor;
  const guest = () => new TestVisitor(t.app);
  const bookmarks: Record<string, number> = {};

  const bookmark = async (visitor: TestVisitor, key: string, workId: number, form: Record<string, string> = {}) => {
    const r = await visitor.post(`/works/${workId}/bookmarks`, { notes: `Notes on ${key}`, tags: '', ...form });
    assert.equal(r.statusCode, 303, r.body.slice(0, 300));
    const row = await t.db
      .selectFrom('bookmarks')
      .innerJoin('users', 'users.id', 'bookmarks.user_id')
      .select('bookmarks.id')
      .where('bookmarks.work_id', '=', workId)
      .where('users.login', '=', visitor === reader ? 'bm_reader' : 'bm_other')
      .executeTakeFirstOrThrow();
    bookmarks[key] = row.id;
  };
  const add = (visitor: TestVisitor, collection: string, key: string) =>
    visitor.post('/collection_bookmarks', { collection, bookmark_id: String(bookmarks[key]) });

  before(async () => {
    t = await createTestApp({ PAGE_CACHE: 'off' });
    keeper = await new TestVisitor(t.app).signUp('bm_keeper');
    reader = await new TestVisitor(t.app).signUp('bm_reader');
    other = await new TestVisitor(t.app).signUp('bm_other');
    const writer = await new TestVisitor(t.app).signUp('bm_writer');
    const posted = await writer.post('/works', buildWorkForm({ title: 'Harbour Lights' }));
    const workId = workIdOf(posted.headers.location);
    const second = workIdOf((await writer.post('/works', buildWorkForm({ title: 'Tide Tables' }))).headers.location);
    await bookmark(reader, 'public', workId);
    await bookmark(reader, 'private', second, { private: '1' });
    await bookmark(other, 'others', workId);
    for (const [name, form] of [
      ['open_recs', {}],
      ['modded_recs', { moderated: '1' }],
      ['shut_recs', { closed: '1' }],
    ] as const)
      assert.equal((await keeper.post('/collections', { name, title: `Recs ${name}`, ...form })).statusCode, 303);
  });
  after(() => t.close());

  it('adds an owner’s public bookmark at once to an open collection and lists it with its notes', async () => {
    const page = await reader.get('/collections/open_recs');
    assert.match(page.body, /<label for="field-bookmark_id">Your bookmark<\/label>/);
    assert.doesNotMatch(page.body, /Tide Tables/, 'private bookmarks are not offered');
    const r = await add(reader, 'open_recs', 'public');
    assert.equal(r.statusCode, 303);
    const listed = await guest().get('/collections/open_recs');
    assert.match(listed.body, /<a href="\/works\/\d+">Harbour Lights<\/a> bookmarked by <a href="\/users\/bm_reader">bm_reader<\/a>/);
    assert.match(listed.body, /Notes on public/);
    const again = await add(reader, 'open_recs', 'public');
    assert.equal(again.statusCode, 422);
    assert.match(again.body, /This bookmark is already in Recs open_recs/);
  });

  it('refuses others’ bookmarks, private ones, closed collections and bad input with a message, typing kept', async () => {
    const notOwn = await add(reader, 'open_recs', 'others');
    assert.equal(notOwn.statusCode, 422);
    assert.match(notOwn.body, /You can add only your own bookmarks/);
    const secret = await add(reader, 'open_recs', 'private');
    assert.equal(secret.statusCode, 422);
    assert.match(secret.body, /This bookmark is private/);
    const shut = await add(reader, 'shut_recs', 'public');
    assert.equal(shut.statusCode, 422);
    assert.match(shut.body, /is closed: it takes no new bookmarks/);
    const bad = await reader.post('/collection_bookmarks', { collection: 'open_recs', bookmark_id: 'abc' });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /Choose one of your bookmarks/);
    assert.equal(
      (await reader.post('/collection_bookmarks', { collection: 'no_such_recs', bookmark_id: String(bookmarks.public) })).statusCode,
      404,
    );
    assert.equal((await guest().post('/collection_bookmarks', { collection: 'open_recs', bookmark_id: '1' })).statusCode, 401);
  });

  it('holds a bookmark for a maintainer in a moderated collection: approve, reject and remove, audited', async () => {
    assert.equal((await add(reader, 'modded_recs', 'public')).statusCode, 303);
    assert.doesNotMatch((await guest().get('/collections/modded_recs')).body, /Harbour Lights/);
    const queue = await keeper.get('/collections/modded_recs');
    assert.match(queue.body, /\(waiting for approval\)/);
    const id = (
      await t.db.selectFrom('collection_bookmarks').select('id').where('collection_approval', '=', 'pending').executeTakeFirstOrThrow()
    ).id;
    assert.equal((await reader.post(`/collection_bookmarks/${id}/approve`)).statusCode, 403);
    assert.equal((await keeper.post(`/collection_bookmarks/${id}/approve`)).statusCode, 303);
    assert.equal((await keeper.post(`/collection_bookmarks/${id}/approve`)).statusCode, 409);
    assert.match((await guest().get('/collections/modded_recs')).body, /Harbour Lights/);
    assert.equal((await keeper.post(`/collection_bookmarks/${id}/reject`)).statusCode, 303);
    assert.doesNotMatch((await guest().get('/collections/modded_recs')).body, /Harbour Lights/);
    assert.equal((await other.post(`/collection_bookmarks/${id}/remove`)).statusCode, 403);
    assert.equal((await reader.post(`/collection_bookmarks/${id}/remove`)).statusCode, 303, 'its owner may take it out');
    assert.equal((await keeper.post(`/collection_bookmarks/${id}/remove`)).statusCode, 404);
    assert.equal((await keeper.post('/collection_bookmarks/abc/remove')).statusCode, 404);
    const actions = (await t.db.selectFrom('audit_log').select('action').where('action', 'like', 'collection.bookmark.%').execute()).map(
      (r) => r.action,
    );
    assert.deepEqual(actions.sort(), ['collection.bookmark.approve', 'collection.bookmark.reject']);
  });

  const invite = (visitor: TestVisitor, collection: string, bookmark: string) =>
    visitor.post('/collection_bookmarks/invitations', { collection, bookmark });
  const linkOf = (login: string, key: string) => `http://archive.test/users/${login}/bookmarks#bookmark-${bookmarks[key]}`;
  const rowOf = async (collection: string, key: string) =>
    t.db
      .selectFrom('collection_bookmarks as cb')
      .innerJoin('collections as c', 'c.id', 'cb.collection_id')
      .select(['cb.id', 'cb.collection_approval', 'cb.owner_approval', 'cb.added_by'])
      .where('c.name', '=', collection)
      .where('cb.bookmark_id', '=', bookmarks[key]!)
      .executeTakeFirst();

  it('a maintainer invites someone’s bookmark by its link; its owner is told, accepts, and it is listed; audited', async () => {
    assert.equal((await keeper.post('/collections', { name: 'invited_recs', title: 'Recs invited', moderated: '1' })).statusCode, 303);
    const form = await keeper.get('/collections/invited_recs');
    assert.match(form.body, /<label for="field-bookmark">Invite someone’s bookmark<\/label>/);
    assert.doesNotMatch((await other.get('/collections/invited_recs')).body, /Invite someone’s bookmark/, 'only maintainers invite');
    // The bookmark's link is on its owner's bookmarks page: what the maintainer pastes.
    assert.match((await guest().get('/users/bm_other/bookmarks')).body, new RegExp(`href="#bookmark-${bookmarks.others}"`));

    const sent = await invite(keeper, 'invited_recs', linkOf('bm_other', 'others'));
    assert.equal(sent.statusCode, 303, sent.body.slice(0, 500));
    assert.equal(sent.headers.location, '/collections/invited_recs');
    const row = await rowOf('invited_recs', 'others');
    assert.deepEqual([row?.collection_approval, row?.owner_approval], ['approved', 'pending']);
    assert.doesNotMatch((await guest().get('/collections/invited_recs')).body, /Harbour Lights/, 'not listed before its owner accepts');
    assert.match((await keeper.get('/collections/invited_recs')).body, /\(invited: waiting for bm_other to accept\)/);

    const told = await t.db
      .selectFrom('inbox_items')
      .innerJoin('users', 'users.id', 'inbox_items.user_id')
      .select(['inbox_items.text', 'inbox_items.url', 'inbox_items.kind'])
      .where('users.login', '=', 'bm_other')
      .where('inbox_items.kind', '=', 'collection_bookmark.invitation')
      .execute();
    assert.equal(told.length, 1);
    assert.match(told[0]!.text, /bm_keeper invited your bookmark of “Harbour Lights” into the collection Recs invited/);
    assert.equal(told[0]!.url, '/users/bm_other/collection_bookmarks');
    const own = await other.get('/users/bm_other/collection_bookmarks');
    assert.equal(own.statusCode, 200);
    assert.match(own.body, /invited by its maintainers: accept to show it there/);
    assert.match(own.body, new RegExp(`action="/collection_bookmarks/${row!.id}/approve"`));
    assert.equal((await reader.get('/users/bm_other/collection_bookmarks')).statusCode, 403);
    assert.equal((await guest().get('/users/bm_other/collection_bookmarks')).statusCode, 401);

    assert.equal((await reader.post(`/collection_bookmarks/${row!.id}/approve`)).statusCode, 403, 'neither maintainer nor owner');
    assert.equal(
      (await keeper.post(`/collection_bookmarks/${row!.id}/approve`)).statusCode,
      409,
      'the collection’s side is agreed already',
    );
    const accepted = await other.post(`/collection_bookmarks/${row!.id}/approve`, { return_to: '/users/bm_other/collection_bookmarks' });
    assert.equal(accepted.statusCode, 303);
    assert.equal(accepted.headers.location, '/users/bm_other/collection_bookmarks');
    assert.match(
      (await guest().get('/collections/invited_recs')).body,
      /<a href="\/works\/\d+">Harbour Lights<\/a> bookmarked by <a href="\/users\/bm_other">bm_other<\/a>/,
    );
    assert.equal(
      (await other.post(`/collection_bookmarks/${row!.id}/approve`)).statusCode,
      403,
      'in already: its owner removes it instead',
    );
    const again = await invite(keeper, 'invited_recs', String(bookmarks.others));
    assert.equal(again.statusCode, 422);
    assert.match(again.body, /This bookmark is already in Recs invited/);

    const audit = await t.db
      .selectFrom('audit_log')
      .select(['actor_login', 'target_id'])
      .where('action', '=', 'collection.bookmark.invite')
      .execute();
    assert.deepEqual(audit, [{ actor_login: 'bm_keeper', target_id: String(row!.id) }]);
  });

  it('refuses private bookmarks, hidden works’ bookmarks, one’s own, blocked owners, non-maintainers and bad input, typing kept', async () => {
    const secret = await invite(keeper, 'invited_recs', linkOf('bm_reader', 'private'));
    assert.equal(secret.statusCode, 422);
    assert.match(secret.body, new RegExp(`There is no public bookmark ${bookmarks.private} that you can see`));
    assert.match(secret.body, /value="http:\/\/archive\.test\/users\/bm_reader\/bookmarks#bookmark-\d+"/, 'the typing is kept');
    assert.equal((await invite(keeper, 'invited_recs', '999999')).statusCode, 422);

    const harbour = await t.db.selectFrom('works').select('id').where('title', '=', 'Harbour Lights').executeTakeFirstOrThrow();
    await t.db.insertInto('hidden_works').values({ work_id: harbour.id, reason: 'test', hidden_by: null }).execute();
    try {
      const hidden = await invite(keeper, 'invited_recs', `#bookmark-${bookmarks.public}`);
      assert.equal(hidden.statusCode, 422);
      assert.match(hidden.body, /There is no public bookmark \d+ that you can see/, 'a hidden work’s bookmark is answered as none');
    } finally {
      await t.db.deleteFrom('hidden_works').where('work_id', '=', harbour.id).execute();
    }

    assert.equal((await keeper.post(`/works/${harbour.id}/bookmarks`, { notes: '', tags: '' })).statusCode, 303);
    const mine = await t.db
      .selectFrom('bookmarks')
      .innerJoin('users', 'users.id', 'bookmarks.user_id')
      .select('bookmarks.id')
      .where('users.login', '=', 'bm_keeper')
      .executeTakeFirstOrThrow();
    const ownOne = await invite(keeper, 'invited_recs', String(mine.id));
    assert.equal(ownOne.statusCode, 422);
    assert.match(ownOne.body, /This is your own bookmark/);

    const ids = new Map((await t.db.selectFrom('users').select(['id', 'login']).execute()).map((u) => [u.login, u.id]));
    await t.db
      .insertInto('blocks')
      .values({ user_id: ids.get('bm_reader')!, blocked_user_id: ids.get('bm_keeper')! })
      .execute();
    try {
      const blocked = await invite(keeper, 'invited_recs', String(bookmarks.public));
      assert.equal(blocked.statusCode, 422);
      assert.match(blocked.body, /You cannot invite bm_reader’s bookmarks/);
    } finally {
      await t.db.deleteFrom('blocks').where('user_id', '=', ids.get('bm_reader')!).execute();
    }

    const bad = await invite(keeper, 'invited_recs', 'the one about the harbour');
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /Paste the bookmark’s link/);
    assert.match(bad.body, /value="the one about the harbour"/);
    assert.equal((await invite(other, 'invited_recs', String(bookmarks.public))).statusCode, 403, 'only maintainers invite');
    assert.equal((await invite(keeper, 'no_such_recs', String(bookmarks.public))).statusCode, 404);
    assert.equal((await invite(keeper, 'not a name', String(bookmarks.public))).statusCode, 422);
    assert.equal((await guest().post('/collection_bookmarks/invitations', { collection: 'invited_recs', bookmark: '1' })).statusCode, 401);
    const invitations = await t.db.selectFrom('audit_log').select('id').where('action', '=', 'collection.bookmark.invite').execute();
    assert.equal(invitations.length, 1, 'nothing refused was written');
  });

  it('its owner declines: it stays out of the listing, cannot be invited again, and may still be accepted later', async () => {
    assert.equal((await invite(keeper, 'invited_recs', String(bookmarks.public))).statusCode, 303);
    const row = await rowOf('invited_recs', 'public');
    assert.equal((await reader.post(`/collection_bookmarks/${row!.id}/reject`)).statusCode, 303);
    assert.equal((await reader.post(`/collection_bookmarks/${row!.id}/reject`)).statusCode, 409);
    assert.equal((await rowOf('invited_recs', 'public'))?.owner_approval, 'rejected');
    assert.doesNotMatch((await keeper.get('/collections/invited_recs')).body, /bookmarked by <a href="\/users\/bm_reader">/);
    const again = await invite(keeper, 'invited_recs', String(bookmarks.public));
    assert.equal(again.statusCode, 422);
    assert.match(again.body, /Its owner declined the invitation of this bookmark to Recs invited/);
    assert.match((await reader.get('/users/bm_reader/collection_bookmarks')).body, /you declined the invitation/);
    assert.equal((await reader.post(`/collection_bookmarks/${row!.id}/approve`)).statusCode, 303);
    assert.match((await guest().get('/collections/invited_recs')).body, /bookmarked by <a href="\/users\/bm_reader">bm_reader<\/a>/);
  });
});
