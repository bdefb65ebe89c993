import assert from 'node:assert/strict';
import { after, before, describe, it, test } from 'node:test';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { buildWorkForm } from '../../test/factories.ts';
import { makeAdmin } from '../../test/staff.ts';
import { postWork, quickUser, runAllJobs } from '../comments/interactions.test-helpers.ts';
import { isVerificationRequired, VERIFY_HOURS, verifyEmailLink } from './email-verification.ts';

const linkIn = (text: string) => /\/verify-email\/[A-Za-z0-9_.-]+/.exec(text)![0];

test('verification is on by default exactly when mail reaches people', () => {
  assert.equal(isVerificationRequired({ emailVerification: null }, { smtpUrl: 'smtp://mail.example.org:587' }), true);
  assert.equal(isVerificationRequired({ emailVerification: null }, { smtpUrl: 'smtps://u:p@mail.example.org' }), true);
  assert.equal(isVerificationRequired({ emailVerification: null }, { smtpUrl: 'json:' }), false, 'rendered, not delivered');
  assert.equal(isVerificationRequired({ emailVerification: null }, { smtpUrl: undefined }), false);
  assert.equal(isVerificationRequired({ emailVerification: true }, { smtpUrl: undefined }), true);
  assert.equal(isVerificationRequired({ emailVerification: false }, { smtpUrl: 'smtp://mail.example.org' }), false);
});

describe('email verification at sign-up (turned on; mail rendered into the outbox)', () => {
  let t: TestApp;
  const settingsForm = (verification: string) => ({
    name: '',
    description: '',
    signup_mode: 'open',
    guest_comments: '1',
    content_policy: '',
    email_verification: verification,
  });
  before(async () => {
    t = await createTestApp({ SMTP_URL: 'json:' });
    await t.db.updateTable('site_settings').set({ email_verification: true }).execute();
    t.app.siteSettings.emailVerification = true;
  });
  after(() => t.close());

  it('a new account gets a link by mail, can read but not post until it follows it', async () => {
    const visitor = new TestVisitor(t.app);
    await visitor.signUp('new_writer');
    const home = await visitor.get('/');
    assert.match(home.body, /We sent a link to new_writer@example.org/);
    await runAllJobs(t);
    const mail = t.app.mailer.outbox.filter((m) => m.to === 'new_writer@example.org').at(-1)!;
    assert.match(mail.subject, /Confirm your email address/);
    assert.match(mail.text, new RegExp(`within ${VERIFY_HOURS} hours`));

    const form = await visitor.get('/works/new');
    assert.equal(form.statusCode, 403);
    assert.match(form.body, /Confirm your email address first/);
    assert.match(form.body, /new_writer@example.org/);
    assert.match(form.body, /<form method="post" action="\/verify-email\/resend"/);
    assert.equal((await visitor.get('/works')).statusCode, 200, 'reading works');

    const blocked = await visitor.post('/works', buildWorkForm({ body: 'My first chapter, kept.' }));
    assert.equal(blocked.statusCode, 403);
    assert.match(blocked.body, /My first chapter, kept\./, 'the text comes back to copy');
    assert.equal((await t.db.selectFrom('works').select('id').execute()).length, 0);

    const author = await quickUser(t, 'verified_author');
    await t.db
      .insertInto('user_email_verifications')
      .values({
        user_id: (await t.db.selectFrom('users').select('id').where('login', '=', 'verified_author').executeTakeFirstOrThrow()).id,
        email: 'verified_author@example.org',
      })
      .execute();
    const workId = await postWork(author, { title: 'Open For Comments' });
    const comment = await visitor.post(`/works/${workId}/comments`, { comment: 'Can I comment yet?' });
    assert.equal(comment.statusCode, 403);
    assert.match(comment.body, /Can I comment yet\?/);
    assert.equal((await visitor.post(`/works/${workId}/kudos`)).statusCode, 303, 'kudos are fine');
    const news = await t.db
      .insertInto('admin_posts')
      .values({ title: 'Archive news', body_html: '<p>News.</p>' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const newsComment = await visitor.post(`/admin_posts/${news.id}/comments`, { comment: 'First!' });
    assert.equal(newsComment.statusCode, 403, 'comments on news posts wait for the confirmation too, as the API does');
    assert.match(newsComment.body, /First!/);
    const token = await visitor.post('/users/new_writer/api_tokens', { name: 'my app' });
    assert.equal(token.statusCode, 403, 'no API token either: the API posts works and comments');

    const resent = await visitor.post('/verify-email/resend', { return_to: '/works/new' });
    assert.equal(resent.statusCode, 303);
    assert.equal(resent.headers.location, '/works/new');
    assert.match((await visitor.get('/works')).body, /A confirmation link is on its way to new_writer@example.org/);
    await runAllJobs(t);
    const again = t.app.mailer.outbox.filter((m) => m.to === 'new_writer@example.org');
    assert.equal(again.length, 1, 'at most one mail a minute, however often the button is pressed');

    const confirmed = await visitor.get(linkIn(again[0]!.text));
    assert.equal(confirmed.statusCode, 200);
    assert.match(confirmed.body, /Your email address is confirmed/);
    assert.equal((await visitor.get('/works/new')).statusCode, 200);
    const posted = await visitor.post('/works', buildWorkForm({ title: 'Now I Can Post' }));
    assert.equal(posted.statusCode, 303);
  });

  it('an altered link is refused; an old one has expired; a link for an address the account no longer has does nothing', async () => {
    const visitor = new TestVisitor(t.app);
    await visitor.signUp('late_reader');
    await runAllJobs(t);
    const link = linkIn(t.app.mailer.outbox.filter((m) => m.to === 'late_reader@example.org').at(-1)!.text);
    const token = link.slice('/verify-email/'.length);
    assert.equal((await visitor.get(`${link}x`)).statusCode, 404);
    const later = new Date(Date.now() + (VERIFY_HOURS + 1) * 3600_000);
    assert.deepEqual(await verifyEmailLink(t.db, token, later), { status: 'expired' });
    await t.db.updateTable('users').set({ email: 'elsewhere@example.org' }).where('login', '=', 'late_reader').execute();
    const page = await visitor.get(link);
    assert.equal(page.statusCode, 404);
    assert.match(page.body, /Send a new link/);
  });

  it('an admin turns it off, on, or back to automatic', async () => {
    const admin = await new TestVisitor(t.app).signUp('site_admin');
    await makeAdmin(t.db, 'site_admin');
    const settings = await admin.get('/admin/settings');
    assert.match(settings.body, /New accounts confirm their email address/);
    const saved = await admin.post('/admin/settings', settingsForm('off'));
    assert.equal(saved.statusCode, 303, saved.body.slice(0, 300));
    assert.equal((await t.db.selectFrom('site_settings').select('email_verification').executeTakeFirstOrThrow()).email_verification, false);
    const visitor = await new TestVisitor(t.app).signUp('free_writer');
    assert.equal((await visitor.get('/works/new')).statusCode, 200);
    await admin.post('/admin/settings', settingsForm('on'));
    assert.equal((await visitor.get('/works/new')).statusCode, 403, 'back on: the unconfirmed account must confirm');
    await admin.post('/admin/settings', settingsForm('auto'));
    assert.equal((await t.db.selectFrom('site_settings').select('email_verification').executeTakeFirstOrThrow()).email_verification, null);
    assert.equal((await visitor.get('/works/new')).statusCode, 200, 'automatic: mail here is only rendered, so off');
  });
});

describe('email verification without a mail server (off by default)', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());

  it('signs up straight into posting and queues no mail', async () => {
    const visitor = await new TestVisitor(t.app).signUp('plain_writer');
    assert.match((await visitor.get('/')).body, /Your account is ready/);
    assert.equal((await visitor.get('/works/new')).statusCode, 200);
    const jobs = await t.db.selectFrom('jobs').select('kind').where('kind', '=', 'accounts.verify-email').execute();
    assert.equal(jobs.length, 0);
  });
});
