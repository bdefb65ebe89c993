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

  it('shows what a comment says, as plain text cut to an excerpt, and offers a reply form that answers it', async () => {
    const fan = await quickUser(t, 'chatty_fan');
    const long = `I <em>loved</em> this. <script>alert(1)</script>${' So much to say here.'.repeat(30)}`;
    assert.equal((await fan.post(`/works/${workId}/comments`, { comment: long })).statusCode, 303);
    const comment = await t.db.selectFrom('comments').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow();
    const page = await author.get('/users/inbox_author/inbox');
    const item = /<li class="inbox-item unread" data-kind="comment">[\s\S]*?<\/li>/.exec(page.body)?.[0] ?? '';
    assert.match(item, /chatty_fan commented on Inboxed/);
    assert.match(item, /<blockquote class="inbox-excerpt">I loved this\. So much to say here\.[^<]*…<\/blockquote>/);
    assert.doesNotMatch(item, /<em>|<script|alert\(1\)/, 'the excerpt is text: no markup, nothing of a script');
    const excerpt = /<blockquote class="inbox-excerpt">([^<]*)</.exec(item)?.[1] ?? '';
    assert.ok(excerpt.length <= 281, `an excerpt, not the whole comment (${excerpt.length} characters)`);
    // A reply form in place, posting to the comment's thread with this page's CSRF token.
    assert.match(item, new RegExp(`<form method="post" action="/works/${workId}/comments" class="comment-form">`));
    assert.match(item, new RegExp(`<input type="hidden" name="parent_id" value="${comment.id}"/>`));
    assert.match(item, /<textarea id="inbox-reply-\d+" name="comment"/);
    const replied = await author.post(`/works/${workId}/comments`, {
      comment: 'Thank you!',
      parent_id: String(comment.id),
      return_to: `/comments/${comment.id}`,
    });
    assert.equal(replied.statusCode, 303);
    const reply = await t.db.selectFrom('comments').select(['parent_id', 'body_html']).orderBy('id', 'desc').executeTakeFirstOrThrow();
    assert.equal(reply.parent_id, comment.id);
    // The checkboxes still reach the bulk form, from outside it.
    assert.match(page.body, /<input type="checkbox" name="ids" value="\d+" id="inbox-item-\d+" form="inbox-bulk"/);
    assert.match(page.body, /<form method="post" action="\/users\/inbox_author\/inbox" id="inbox-bulk"/);
    assert.match(page.body, /<button type="submit" name="action" value="delete" class="button button-danger">/);

    // A deleted comment's words are gone from the inbox, and so is its reply form.
    await t.db.updateTable('comments').set({ deleted_at: new Date() }).where('id', '=', comment.id).execute();
    const after = await author.get('/users/inbox_author/inbox');
    const gone =
      /<li class="inbox-item[^"]*" data-kind="comment">(?:(?!<\/li>)[\s\S])*?chatty_fan commented[\s\S]*?<\/li>/.exec(after.body)?.[0] ??
      '';
    assert.ok(gone, 'the item itself stays');
    assert.doesNotMatch(gone, /inbox-excerpt|inbox-reply/);
  });

  it('shows signed-in readers their unread count in the navigation, up to 99+, and guests nothing', async () => {
    const reader = await quickUser(t, 'badge_reader');
    const user = await t.db.selectFrom('users').select('id').where('login', '=', 'badge_reader').executeTakeFirstOrThrow();
    const badge = (body: string) =>
      [...body.matchAll(/<span class="nav-count">([^<]*)<span class="visually-hidden"> unread<\/span><\/span>/g)].map((m) => m[1]);
    assert.deepEqual(badge((await reader.get('/works')).body), [], 'no badge with nothing unread');
    const add = (n: number) =>
      t.db.transaction().execute(async (trx) => {
        for (let i = 0; i < n; i++) await addInboxItem(trx, { userId: user.id, kind: 'kudos', text: `Kudos ${i}`, url: '/' });
      });
    await add(3);
    // On Inbox in the wide bar and on the phone's Menu button (each shown at its own width).
    assert.deepEqual(badge((await reader.get('/works')).body), ['3', '3', '3']);
    const ids = (await t.db.selectFrom('inbox_items').select('id').where('user_id', '=', user.id).execute()).map((r) => String(r.id));
    assert.equal((await reader.post('/users/badge_reader/inbox', { action: 'read', ids: ids.slice(0, 2) })).statusCode, 303);
    assert.deepEqual(badge((await reader.get('/works')).body), ['1', '1', '1']);
    await add(120);
    assert.deepEqual(badge((await reader.get('/works')).body), ['99+', '99+', '99+'], 'a long backlog is counted no further');
    assert.deepEqual(badge((await new TestVisitor(t.app).get('/works')).body), [], 'guests get the shared page, no badge');
  });
});
