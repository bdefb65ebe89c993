import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { makeAdmin } from '../../test/staff.ts';

describe('admin: settings, invitations, news, user lookup', () => {
  let t: TestApp;
  let admin: TestVisitor;
  let reader: TestVisitor;
  const settings = (overrides: Record<string, string> = {}) => ({
    name: 'Caroline Archive',
    description: 'A home for one fandom.',
    signup_mode: 'open',
    guest_comments: '1',
    content_policy: 'Be kind. <script>alert(1)</script>Tag your works.',
    ...overrides,
  });

  before(async () => {
    t = await createTestApp({ PAGE_CACHE: 'off' });
    admin = await new TestVisitor(t.app).signUp('admin1');
    await makeAdmin(t.db, 'admin1');
    reader = await new TestVisitor(t.app).signUp('reader');
  });
  after(() => t.close());

  it('lets only admins change the site settings, which take effect at once', async () => {
    assert.equal((await reader.get('/admin/settings')).statusCode, 403);
    assert.equal((await reader.post('/admin/settings', settings())).statusCode, 403);
    assert.equal((await new TestVisitor(t.app).get('/admin/settings')).statusCode, 401);
    const bad = await admin.post('/admin/settings', settings({ signup_mode: 'whenever', description: 'kept' }));
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /kept/);
    assert.equal((await admin.post('/admin/settings', settings())).statusCode, 303);
    const home = await new TestVisitor(t.app).get('/content_policy');
    assert.match(home.body, /<title>Content policy \| Caroline Archive<\/title>/);
    assert.match(home.body, /Be kind\./);
    assert.doesNotMatch(home.body, /<script>alert/);
    const row = await t.db.selectFrom('site_settings').selectAll().executeTakeFirstOrThrow();
    assert.equal(row.name, 'Caroline Archive');
    assert.equal(row.guest_comments, true);
    assert.ok(await t.db.selectFrom('audit_log').select('id').where('action', '=', 'update_settings').executeTakeFirst());
  });

  it('closes sign-up, or requires an invitation from the queue released in batches', async () => {
    await admin.post('/admin/settings', settings({ signup_mode: 'closed' }));
    assert.equal((await new TestVisitor(t.app).get('/signup')).statusCode, 403);
    const closed = await new TestVisitor(t.app).post('/signup', {
      login: 'newbie',
      email: 'newbie@example.org',
      password: 'correct horse battery',
    });
    assert.equal(closed.statusCode, 403);

    await admin.post('/admin/settings', settings({ signup_mode: 'invitations' }));
    const form = await new TestVisitor(t.app).get('/signup');
    assert.match(form.body, /name="invitation"/);
    const noCode = await new TestVisitor(t.app).post('/signup', {
      login: 'newbie',
      email: 'newbie@example.org',
      password: 'correct horse battery',
    });
    assert.equal(noCode.statusCode, 422);
    assert.match(noCode.body, /invitation-only/);

    for (const email of ['first@example.org', 'second@example.org', 'FIRST@example.org', 'third@example.org']) {
      assert.equal((await new TestVisitor(t.app).post('/invite_requests', { email })).statusCode, 200);
    }
    assert.equal((await new TestVisitor(t.app).post('/invite_requests', { email: 'nope' })).statusCode, 422);
    assert.match((await admin.get('/admin/invitations')).body, /3 people are waiting/);
    assert.equal((await reader.post('/admin/invitations/release', { count: '2' })).statusCode, 403);
    const before = t.app.mailer.outbox.length;
    assert.equal((await admin.post('/admin/invitations/release', { count: '2' })).statusCode, 303);
    const mails = t.app.mailer.outbox.slice(before);
    assert.deepEqual(
      mails.map((m) => m.to),
      ['first@example.org', 'second@example.org'],
      'oldest requests first, one each',
    );
    assert.match((await admin.get('/admin/invitations')).body, /1 people are waiting/);

    const code = /invitation=([A-Za-z0-9_-]+)/.exec(mails[0]!.text)![1]!;
    const prefilled = await new TestVisitor(t.app).get(`/signup?invitation=${code}`);
    assert.match(prefilled.body, new RegExp(`value="${code}"`));
    const wrong = await new TestVisitor(t.app).post('/signup', {
      invitation: 'made-up',
      login: 'newbie',
      email: 'first@example.org',
      password: 'correct horse battery',
    });
    assert.equal(wrong.statusCode, 422);
    // A taken login gives the code back, so the invitee can try again with it.
    const taken = await new TestVisitor(t.app).post('/signup', {
      invitation: code,
      login: 'reader',
      email: 'first@example.org',
      password: 'correct horse battery',
    });
    assert.equal(taken.statusCode, 422);
    const ok = await new TestVisitor(t.app).post('/signup', {
      invitation: code,
      login: 'newbie',
      email: 'first@example.org',
      password: 'correct horse battery',
    });
    assert.equal(ok.statusCode, 303);
    const reused = await new TestVisitor(t.app).post('/signup', {
      invitation: code,
      login: 'other',
      email: 'other@example.org',
      password: 'correct horse battery',
    });
    assert.equal(reused.statusCode, 422, 'an invitation works once');
    await admin.post('/admin/settings', settings({ signup_mode: 'open' }));
    assert.equal(
      (await new TestVisitor(t.app).post('/signup', { login: 'free', email: 'free@example.org', password: 'correct horse battery' }))
        .statusCode,
      303,
    );
  });

  it('publishes news with comments and an Atom feed', async () => {
    assert.equal((await reader.post('/admin_posts', { title: 'x', body: 'y' })).statusCode, 403);
    assert.equal((await admin.post('/admin_posts', { title: '', body: 'kept body' })).statusCode, 422);
    const posted = await admin.post('/admin_posts', { title: 'We moved to <PostgreSQL>', body: 'Everything is faster & safer.' });
    assert.equal(posted.statusCode, 303);
    const url = String(posted.headers.location);
    const page = await new TestVisitor(t.app).get(url);
    assert.match(page.body, /<h1>We moved to &lt;PostgreSQL>?(&gt;)?<\/h1>/);
    assert.equal((await new TestVisitor(t.app).post(`${url}/comments`, { comment: 'hi' })).statusCode, 401);
    assert.equal((await reader.post(`${url}/comments`, { comment: '' })).statusCode, 422);
    assert.equal((await reader.post(`${url}/comments`, { comment: 'Congratulations <b>all</b>!' })).statusCode, 303);
    assert.match((await reader.get(url)).body, /Congratulations &lt;b(>|&gt;)all&lt;\/b(>|&gt;)!/);
    const feed = await new TestVisitor(t.app).get('/admin_posts/feed.atom');
    assert.equal(feed.statusCode, 200);
    assert.match(String(feed.headers['content-type']), /application\/atom\+xml/);
    assert.match(feed.body, /<feed xmlns="http:\/\/www\.w3\.org\/2005\/Atom">/);
    assert.match(feed.body, /<title>We moved to &lt;PostgreSQL&gt;<\/title>/);
    assert.match(feed.body, /<link rel="alternate" type="text\/html" href="http:\/\/archive\.test\/admin_posts\/\d+"\/>/);
    assert.match((await new TestVisitor(t.app).get('/admin_posts')).body, /Everything is faster &amp; safer\./);
  });

  it('finds users by login or email, for admins only', async () => {
    assert.equal((await reader.get('/admin/users?q=read')).statusCode, 403);
    const found = await admin.get('/admin/users?q=READER@EXAMPLE');
    assert.equal(found.statusCode, 200);
    assert.match(found.body, /href="\/moderation\/users\/reader"/);
    assert.match((await admin.get('/admin/users?q=%25')).body, /No account matches/);
  });
});
