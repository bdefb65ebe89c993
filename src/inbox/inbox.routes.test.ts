import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { postWork, quickUser } from '../comments/interactions.test-helpers.ts';
import { addInboxItem } from './inbox.service.ts';

describe('inbox', () => {
  let t: TestApp;
  let author: TestVisitor;
  let workId: number;
  before(async () => {
    t = await createTestApp();
    author = await new TestVisitor(t.app).signUp('inbox_author');
    workId = await postWork(author, { title: 'Inboxed' });
    for (const login of ['fan_one', 'fan_two', 'fan_three']) {
      const fan = await quickUser(t, login);
      assert.equal((await fan.post(`/works/${workId}/comments`, { comment: `Hi from ${login}` })).statusCode, 303);
    }
  });
  after(() => t.close());

  it('lists comment notifications as unread, newest first, only to their owner', async () => {
    const page = await author.get('/users/inbox_author/inbox');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Inbox \(3 unread\)/);
    assert.match(page.body, /fan_three commented on Inboxed[\s\S]*fan_two commented[\s\S]*fan_one commented/);
    assert.equal((await quickUser(t, 'nosy').then((v) => v.get('/users/inbox_author/inbox'))).statusCode, 403);
    assert.equal((await new TestVisitor(t.app).get('/users/inbox_author/inbox')).statusCode, 401);
  });

  it('marks read, unread and deletes checked items in bulk, ignoring other users’ ids', async () => {
    const items = await t.db.selectFrom('inbox_items').select(['id', 'user_id']).orderBy('id').execute();
    const ids = items.map((i) => String(i.id));
    const stranger = await quickUser(t, 'stranger');
    const strangerRead = await stranger.post('/users/stranger/inbox', { action: 'read', ids });
    assert.equal(strangerRead.statusCode, 303);
    assert.equal((await t.db.selectFrom('inbox_items').select('id').where('read_at', 'is not', null).execute()).length, 0);

    assert.equal((await author.post('/users/inbox_author/inbox', { action: 'read', ids: ids.slice(0, 2) })).statusCode, 303);
    assert.match((await author.get('/users/inbox_author/inbox')).body, /Inbox \(1 unread\)/);
    assert.match((await author.get('/users/inbox_author/inbox?filter=read')).body, /fan_one commented[\s\S]*/);
    assert.equal((await author.post('/users/inbox_author/inbox', { action: 'unread', ids: [ids[0]!] })).statusCode, 303);
    assert.match((await author.get('/users/inbox_author/inbox')).body, /Inbox \(2 unread\)/);
    assert.equal((await author.post('/users/inbox_author/inbox', { action: 'delete', ids: [ids[2]!] })).statusCode, 303);
    assert.doesNotMatch((await author.get('/users/inbox_author/inbox')).body, /fan_three commented/);
    const none = await author.post('/users/inbox_author/inbox', { action: 'read' });
    assert.equal(none.statusCode, 422);
    assert.match(none.body, /Select at least one item/);
  });

  it('opens an item (marking it read) and renders any kind as text and a link', async () => {
    const user = await t.db.selectFrom('users').select('id').where('login', '=', 'inbox_author').executeTakeFirstOrThrow();
    await t.db.transaction().execute((trx) =>
      addInboxItem(trx, {
        userId: user.id,
        kind: 'subscription.chapter',
        workId,
        text: 'A new chapter of <Inboxed> is up.',
        url: `/works/${workId}`,
      }),
    );
    const page = await author.get('/users/inbox_author/inbox');
    assert.match(page.body, /A new chapter of &lt;Inboxed(&gt;|>) is up\./);
    assert.doesNotMatch(page.body, /<Inboxed>/);
    const item = await t.db.selectFrom('inbox_items').select('id').where('kind', '=', 'subscription.chapter').executeTakeFirstOrThrow();
    const open = await author.get(`/users/inbox_author/inbox/${item.id}`);
    assert.equal(open.statusCode, 303);
    assert.equal(open.headers.location, `/works/${workId}`);
    const row = await t.db.selectFrom('inbox_items').select('read_at').where('id', '=', item.id).executeTakeFirstOrThrow();
    assert.ok(row.read_at);
  });
});
