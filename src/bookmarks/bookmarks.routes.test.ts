import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { postWork, quickUser, workCounts } from '../comments/interactions.test-helpers.ts';

describe('bookmarks, mark for later and reading history', () => {
  let t: TestApp;
  let author: TestVisitor;
  let reader: TestVisitor;
  let workId: number;
  before(async () => {
    t = await createTestApp();
    author = await new TestVisitor(t.app).signUp('bm_author');
    reader = await quickUser(t, 'bm_reader');
    workId = await postWork(author, { title: 'Bookmarkable' });
  });
  after(() => t.close());

  it('bookmarks a work with notes, own tags and a rec flag; editing updates it; the public count stays exact', async () => {
    const page = await reader.get(`/works/${workId}`);
    assert.match(page.body, /href="\/works\/\d+\/bookmarks\/new">Bookmark</);
    const r = await reader.post(`/works/${workId}/bookmarks`, { notes: 'So <i>good</i>', tags: 'comfort read, Comfort Read, slow burn', rec: '1' });
    assert.equal(r.statusCode, 303);
    const row = await t.db.selectFrom('bookmarks').selectAll().where('work_id', '=', workId).executeTakeFirstOrThrow();
    assert.deepEqual(row.tags, ['comfort read', 'slow burn']);
    assert.equal(row.is_rec, true);
    assert.equal(row.notes_html, '<p>So <i>good</i></p>');
    assert.equal((await workCounts(t.db, workId)).bookmarks_count, 1);
    assert.equal((await reader.post(`/works/${workId}/bookmarks`, { notes: 'Private now', private: '1' })).statusCode, 303);
    assert.equal((await workCounts(t.db, workId)).bookmarks_count, 0, 'private bookmarks are not counted');
    const n = await t.db.selectFrom('bookmarks').select('id').where('user_id', 'is not', null).where('work_id', '=', workId).execute();
    assert.equal(n.length, 1, 'one bookmark per user per work');
    assert.match((await reader.get(`/works/${workId}`)).body, />Edit bookmark</);
  });

  it('shows private bookmarks only to their owner and filters by tag, rec, type and privacy', async () => {
    const second = await postWork(author, { title: 'Second Work' });
    await reader.post(`/works/${second}/bookmarks`, { tags: 'angst', rec: '1' });
    const ext = await reader.post('/bookmarks/external', { url: 'https://elsewhere.example/story/1', title: 'Far Away Fic', creator: 'someone', fandom: 'Other Fandom', summary: 'Elsewhere.', tags: 'angst' });
    assert.equal(ext.statusCode, 303);
    const own = await reader.get('/users/bm_reader/bookmarks');
    assert.match(own.body, /Bookmarkable/);
    assert.match(own.body, /Far Away Fic/);
    const guest = await new TestVisitor(t.app).get('/users/bm_reader/bookmarks');
    assert.doesNotMatch(guest.body, /Bookmarkable/, 'private bookmark hidden from others');
    assert.match(guest.body, /Second Work/);
    const byTag = await new TestVisitor(t.app).get('/users/bm_reader/bookmarks?tag=ANGST');
    assert.match(byTag.body, /Second Work/);
    assert.match(byTag.body, /Far Away Fic/);
    const external = await reader.get('/users/bm_reader/bookmarks?type=external');
    assert.doesNotMatch(external.body, /Second Work/);
    assert.match(external.body, /Far Away Fic/);
    const internalRecs = await reader.get('/users/bm_reader/bookmarks?type=internal&rec=1');
    assert.match(internalRecs.body, /Second Work/);
    assert.doesNotMatch(internalRecs.body, /Far Away Fic/);
    const privateOnly = await reader.get('/users/bm_reader/bookmarks?privacy=private');
    assert.match(privateOnly.body, /Bookmarkable/);
    assert.doesNotMatch(privateOnly.body, /Second Work/);
  });

  it('accepts only http and https addresses for external works, keeping what was typed', async () => {
    for (const url of ['javascript:alert(1)', 'ftp://x.example/a', 'not a url']) {
      const r = await reader.post('/bookmarks/external', { url, title: 'Kept Title', creator: 'c' });
      assert.equal(r.statusCode, 422, url);
      assert.match(r.body, /starting with http:\/\/ or https:\/\//);
      assert.match(r.body, /value="Kept Title"/);
    }
    const missing = await reader.post('/bookmarks/external', { url: 'https://ok.example', title: '', creator: '' });
    assert.equal(missing.statusCode, 422);
    assert.match(missing.body, /Enter the title/);
  });

  it('refuses bookmarks of restricted works to guests, of drafts, and deletion of others’ bookmarks', async () => {
    assert.equal((await new TestVisitor(t.app).post(`/works/${workId}/bookmarks`, {})).statusCode, 401);
    const draft = await postWork(author, { title: 'Unposted', action: 'draft' });
    assert.equal((await reader.post(`/works/${draft}/bookmarks`, {})).statusCode, 404);
    const mine = await t.db.selectFrom('bookmarks').select('id').where('work_id', '=', workId).executeTakeFirstOrThrow();
    const other = await quickUser(t, 'bm_other');
    assert.equal((await other.post(`/bookmarks/${mine.id}/delete`)).statusCode, 403);
    assert.equal((await reader.post(`/bookmarks/${mine.id}/delete`)).statusCode, 303);
    assert.equal(await t.db.selectFrom('bookmarks').select('id').where('id', '=', mine.id).executeTakeFirst(), undefined);
  });

  it('keeps a private Marked for Later list', async () => {
    assert.equal((await reader.post(`/works/${workId}/mark_for_later`, { to_read: '1' })).statusCode, 303);
    const list = await reader.get('/users/bm_reader/readings?show=to-read');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /Bookmarkable/);
    assert.equal((await author.get('/users/bm_reader/readings?show=to-read')).statusCode, 403);
    assert.equal((await new TestVisitor(t.app).get('/users/bm_reader/readings?show=to-read')).statusCode, 401);
    assert.match((await reader.get(`/works/${workId}`)).body, />Mark as read</);
    assert.equal((await reader.post(`/works/${workId}/mark_for_later`, { to_read: '0' })).statusCode, 303);
    assert.doesNotMatch((await reader.get('/users/bm_reader/readings?show=to-read')).body, /Bookmarkable/);
  });

  it('records reading history only when turned on, and clears it', async () => {
    const historian = await quickUser(t, 'historian');
    await historian.get(`/works/${workId}`);
    const hist = await t.db.selectFrom('readings').innerJoin('users', 'users.id', 'readings.user_id').select('readings.visits').where('users.login', '=', 'historian').execute();
    assert.equal(hist.length, 0, 'nothing recorded while history is off');
    assert.doesNotMatch((await historian.get('/users/historian/readings?show=history')).body, /Bookmarkable/, 'off by default');
    assert.equal((await historian.post('/users/historian/readings/preferences', { history_enabled: '1' })).statusCode, 303);
    await historian.get(`/works/${workId}`);
    await historian.get(`/works/${workId}`);
    const history = await historian.get('/users/historian/readings?show=history');
    assert.match(history.body, /Bookmarkable<\/a> — last read \d{4}-\d{2}-\d{2}, 2 visits/);
    assert.equal((await historian.post('/users/historian/readings/clear')).statusCode, 303);
    assert.doesNotMatch((await historian.get('/users/historian/readings?show=history')).body, /Bookmarkable/);
  });
});
