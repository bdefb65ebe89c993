import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { buildWorkForm } from '../../test/factories.ts';
import { workIdOf } from '../../test/staff.ts';

describe('bookmarks in collections: added by their owners, approved as works are, listed on the collection page', () => {
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
});
