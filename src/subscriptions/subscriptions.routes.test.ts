import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { buildWorkForm } from '../../test/factories.ts';
import { createMailer, type MailMessage, type Mailer } from './mailer.ts';
import { emailHandler, digestHandler } from './subscriptions.routes.tsx';
import { DIGEST_JOB, EMAIL_JOB, fanOutWorkUpdate } from './subscriptions.service.ts';

function workIdFrom(location: unknown): number {
  const match = /^\/works\/(\d+)/.exec(String(location));
  assert.ok(match, `expected a redirect to a work, got ${String(location)}`);
  return Number(match[1]);
}

/**
 * nodemailer's JSON transport behind a switch that makes the next sends throw, as a mail
 * server refusing a connection would: the job must be retried, and nothing sent twice.
 */
function flakyMailer() {
  const real = createMailer('json:', 'Fanfold <noreply@archive.test>')!;
  const state = { failures: 0, sent: [] as MailMessage[] };
  const mailer: Mailer = {
    outbox: real.outbox,
    async send(message) {
      if (state.failures > 0) {
        state.failures--;
        throw new Error('451 Temporary local problem: try again later');
      }
      await real.send(message);
      state.sent.push(message);
    },
  };
  return { mailer, state };
}

describe('subscriptions and their notifications', () => {
  let t: TestApp;
  let author: TestVisitor;
  let readers: TestVisitor[];
  let guest: TestVisitor;
  const mail = flakyMailer();
  let workId: number;

  const userId = async (login: string) =>
    (await t.db.selectFrom('users').select('id').where('login', '=', login).executeTakeFirstOrThrow()).id;
  const inboxOf = async (login: string) =>
    t.db
      .selectFrom('inbox_items')
      .select(['kind', 'text', 'url'])
      .where('user_id', '=', await userId(login))
      .where('kind', 'like', 'subscription.%')
      .orderBy('id')
      .execute();
  /** Lets time pass for the job runner: every pending job becomes due now. */
  const makeJobsDue = () => sql`update jobs set run_at = now() where done_at is null and failed_at is null`.execute(t.db);

  before(async () => {
    t = await createTestApp({ SMTP_URL: 'json:' });
    const context = { mailer: mail.mailer, baseUrl: 'http://archive.test', siteName: 'Fanfold' };
    // Injected transport: the app's handlers, given a mail transport that can fail.
    t.app.jobs.register(EMAIL_JOB, emailHandler(context));
    t.app.jobs.register(DIGEST_JOB, digestHandler(context));
    author = await new TestVisitor(t.app).signUp('writer');
    readers = [];
    for (const login of ['reader_a', 'reader_b', 'reader_c']) readers.push(await new TestVisitor(t.app).signUp(login));
    guest = new TestVisitor(t.app);
    const posted = await author.post('/works', buildWorkForm({ title: 'Long Road', expected_chapters: '?' }));
    workId = workIdFrom(posted.headers.location);
    await t.app.jobs.drain();
  });
  after(() => t.close());

  it('refuses guests, drafts, restricted works to guests and one’s own work', async () => {
    const draft = await author.post('/works', buildWorkForm({ title: 'Secret Draft', action: 'draft' }));
    const draftId = workIdFrom(draft.headers.location);
    const restricted = await author.post('/works', buildWorkForm({ title: 'Members Only', restricted: '1' }));
    const restrictedId = workIdFrom(restricted.headers.location);

    assert.equal((await guest.post('/subscriptions', { kind: 'work', id: String(workId) })).statusCode, 401);
    assert.equal((await guest.post('/subscriptions', { kind: 'work', id: String(restrictedId) })).statusCode, 401);
    assert.equal((await readers[0]!.post('/subscriptions', { kind: 'work', id: String(draftId) })).statusCode, 404);
    const own = await author.post('/subscriptions', { kind: 'work', id: String(workId) });
    assert.equal(own.statusCode, 422);
    assert.match(own.body, /your own work/);
    assert.equal((await author.post('/subscriptions', { kind: 'creator', id: String(await userId('writer')) })).statusCode, 422);
    assert.equal((await readers[0]!.post('/subscriptions', { kind: 'planet', id: '1' })).statusCode, 422);
    assert.equal((await readers[0]!.post('/subscriptions', { kind: 'work', id: '999999' })).statusCode, 404);
    // A signed-in reader may follow a restricted work.
    assert.equal((await readers[0]!.post('/subscriptions', { kind: 'work', id: String(restrictedId) })).statusCode, 303);
    const rows = await t.db.selectFrom('subscriptions').select(['work_id']).execute();
    assert.deepEqual(
      rows.map((r) => r.work_id),
      [restrictedId],
    );
    await readers[0]!.post('/subscriptions/delete', { kind: 'work', id: String(restrictedId) });
    await t.app.jobs.drain();
  });

  it('shows a Subscribe button to signed-in readers and none to guests or the creator', async () => {
    const page = await readers[0]!.get(`/works/${workId}`);
    assert.match(page.body, /aria-label="Subscribe to this work"/);
    assert.doesNotMatch((await guest.get(`/works/${workId}`)).body, /Subscribe to this work/);
    assert.doesNotMatch((await author.get(`/works/${workId}`)).body, /Subscribe to this work/);
  });

  it('tells each subscriber of a new chapter exactly once, in the inbox and by email, through a failed send', async () => {
    for (const r of readers) {
      const first = await r.post('/subscriptions', { kind: 'work', id: String(workId), return_to: `/works/${workId}` });
      assert.equal(first.statusCode, 303);
      assert.equal(first.headers.location, `/works/${workId}`);
      // A double click subscribes once.
      await r.post('/subscriptions', { kind: 'work', id: String(workId) });
    }
    assert.equal((await t.db.selectFrom('subscriptions').select('id').where('work_id', '=', workId).execute()).length, 3);
    assert.match((await readers[0]!.get(`/works/${workId}`)).body, /aria-label="Unsubscribe from this work"/);

    const chapter = await author.post(`/works/${workId}/chapters`, {
      chapter_title: 'The Turn',
      text_format: 'plain',
      body: 'Chapter two text.',
    });
    assert.equal(chapter.statusCode, 303);
    const chapterUrl = String(chapter.headers.location);

    mail.state.failures = 1;
    await t.app.jobs.drain();
    for (const login of ['reader_a', 'reader_b', 'reader_c']) {
      const items = await inboxOf(login);
      assert.equal(items.length, 1, `${login} has one inbox item`);
      assert.equal(items[0]!.url, chapterUrl);
      assert.match(items[0]!.text, /Chapter 2: The Turn/);
    }
    assert.deepEqual(await inboxOf('writer'), [], 'the creator is not told of their own chapter');
    assert.equal(mail.state.sent.length, 2, 'the first send failed and waits for its retry');
    const failed = await t.db
      .selectFrom('jobs')
      .select(['attempts', 'last_error'])
      .where('kind', '=', EMAIL_JOB)
      .where('done_at', 'is', null)
      .execute();
    assert.equal(failed.length, 1);
    assert.match(failed[0]!.last_error ?? '', /451/);

    await makeJobsDue();
    await t.app.jobs.drain();
    assert.equal(mail.state.sent.length, 3);
    assert.deepEqual(mail.state.sent.map((m) => m.to).sort(), ['reader_a@example.org', 'reader_b@example.org', 'reader_c@example.org']);
    assert.ok(mail.state.sent.every((m) => m.text.includes(`http://archive.test${chapterUrl}`)));
    assert.ok(
      mail.mailer.outbox!.some((raw) => raw.includes('New chapter of Long Road')),
      'nodemailer rendered the messages',
    );

    // The fan-out running again (a retried job, a second worker) adds nothing.
    const chapterId = Number(chapterUrl.split('/').pop());
    assert.equal(await fanOutWorkUpdate(t.db, { event: 'chapter', workId, chapterId }, { emailEnabled: true }), 0);
    await makeJobsDue();
    await t.app.jobs.drain();
    for (const login of ['reader_a', 'reader_b', 'reader_c']) assert.equal((await inboxOf(login)).length, 1);
    assert.equal(mail.state.sent.length, 3);
  });

  it('recovers from a fan-out that stopped half-way without telling anyone twice', async () => {
    const chapter = await author.post(`/works/${workId}/chapters`, { chapter_title: 'Half', text_format: 'plain', body: 'Three.' });
    const chapterId = Number(String(chapter.headers.location).split('/').pop());
    // Half-way: one subscriber's notification got recorded (inbox item and email job) before a crash.
    const a = await userId('reader_a');
    await t.db.transaction().execute(async (trx) => {
      await sql`insert into subscription_notifications (user_id, event_key, work_id, subject, text, url, email_mode)
        values (${a}, ${`chapter:${chapterId}`}, ${workId}, 's', 'recorded before the crash', '/', 'each')`.execute(trx);
      await trx
        .insertInto('inbox_items')
        .values({
          user_id: a,
          kind: 'subscription.chapter',
          text: 'recorded before the crash',
          url: '/',
          dedupe_key: `notify:chapter:${chapterId}`,
        })
        .execute();
    });
    const sentBefore = mail.state.sent.length;
    await t.app.jobs.drain();
    await makeJobsDue();
    await t.app.jobs.drain();
    for (const login of ['reader_a', 'reader_b', 'reader_c'])
      assert.equal((await inboxOf(login)).length, 2, `${login}: one item per chapter`);
    assert.deepEqual(
      mail.state.sent
        .slice(sentBefore)
        .map((m) => m.to)
        .sort(),
      ['reader_b@example.org', 'reader_c@example.org'],
    );
  });

  it('gathers a digest reader’s updates into one email at the end of the day', async () => {
    const saved = await readers[2]!.post('/users/reader_c/subscriptions/preferences', { email_mode: 'digest' });
    assert.equal(saved.statusCode, 303);
    assert.equal((await readers[2]!.post('/users/reader_c/subscriptions/preferences', { email_mode: 'hourly' })).statusCode, 422);
    const sentBefore = mail.state.sent.length;
    await author.post(`/works/${workId}/chapters`, { chapter_title: 'Four', text_format: 'plain', body: 'Four.' });
    await author.post(`/works/${workId}/chapters`, { chapter_title: 'Five', text_format: 'plain', body: 'Five.' });
    await t.app.jobs.drain();
    const now = mail.state.sent.slice(sentBefore);
    assert.equal(now.filter((m) => m.to === 'reader_c@example.org').length, 0, 'no email before the digest');
    assert.equal(now.length, 4, 'the others get one email per chapter');
    const digest = await t.db
      .selectFrom('jobs')
      .select(['run_at', 'dedupe_key'])
      .where('kind', '=', DIGEST_JOB)
      .where('done_at', 'is', null)
      .execute();
    assert.equal(digest.length, 1, 'one digest job for the day');
    assert.ok(digest[0]!.run_at.getTime() > Date.now());

    mail.state.failures = 1;
    await makeJobsDue();
    await t.app.jobs.drain();
    await makeJobsDue();
    await t.app.jobs.drain();
    const digests = mail.state.sent.filter((m) => m.to === 'reader_c@example.org' && m.subject.includes('digest'));
    assert.equal(digests.length, 1);
    assert.match(digests[0]!.text, /Chapter 4: Four[\s\S]*Chapter 5: Five/);
    assert.equal((await inboxOf('reader_c')).length, 4, 'digest readers still get each inbox item');
  });

  it('tells creator and series subscribers of a new work once, when it is posted', async () => {
    const writerId = await userId('writer');
    assert.equal((await readers[0]!.post('/subscriptions', { kind: 'creator', id: String(writerId) })).statusCode, 303);
    const series = await author.post('/series', { title: 'The Saga', summary: '', notes: '', work_id: String(workId) });
    assert.equal(series.statusCode, 303);
    const seriesId = Number(String(series.headers.location).split('/').pop());
    assert.equal((await readers[0]!.post('/subscriptions', { kind: 'series', id: String(seriesId) })).statusCode, 303);
    assert.equal((await readers[1]!.post('/subscriptions', { kind: 'series', id: String(seriesId) })).statusCode, 303);

    const draft = await author.post('/works', buildWorkForm({ title: 'Sequel', action: 'draft' }));
    const sequelId = workIdFrom(draft.headers.location);
    assert.equal((await author.post(`/series/${seriesId}/works`, { work_id: String(sequelId) })).statusCode, 303);
    await t.app.jobs.drain();
    assert.equal((await inboxOf('reader_a')).filter((i) => i.url === `/works/${sequelId}`).length, 0, 'a draft is not announced');

    await author.post(`/works/${sequelId}/post`);
    await t.app.jobs.drain();
    const a = (await inboxOf('reader_a')).filter((i) => i.url === `/works/${sequelId}`);
    const b = (await inboxOf('reader_b')).filter((i) => i.url === `/works/${sequelId}`);
    assert.equal(a.length, 1, 'subscribed to the creator and the series: told once');
    assert.equal(b.length, 1);
    assert.match(b[0]!.text, /Sequel/);
    assert.equal((await inboxOf('reader_c')).filter((i) => i.url === `/works/${sequelId}`).length, 0);

    // A posted work joining the series later reaches the series' subscribers.
    const other = await author.post('/works', buildWorkForm({ title: 'Side Story' }));
    const otherId = workIdFrom(other.headers.location);
    await t.app.jobs.drain();
    assert.equal((await inboxOf('reader_b')).filter((i) => i.url === `/works/${otherId}`).length, 0);
    await author.post(`/series/${seriesId}/works`, { work_id: String(otherId) });
    await t.app.jobs.drain();
    const side = (await inboxOf('reader_b')).filter((i) => i.url === `/works/${otherId}`);
    assert.equal(side.length, 1);
    assert.match(side[0]!.text, /added “Side Story” to the series “The Saga”/);
  });

  it('lists one’s own subscriptions and refuses anyone else’s list', async () => {
    const page = await readers[0]!.get('/users/reader_a/subscriptions');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Long Road/);
    assert.match(page.body, /The Saga/);
    assert.match(page.body, /href="\/users\/writer"/);
    assert.equal((await readers[1]!.get('/users/reader_a/subscriptions')).statusCode, 403);
    assert.equal((await guest.get('/users/reader_a/subscriptions')).statusCode, 401);
    const creatorPage = await readers[1]!.get('/users/writer/subscription');
    assert.match(creatorPage.body, /Subscribe to writer/);
    // The creator's profile and works pages link there; their own pages do not.
    assert.match((await readers[1]!.get('/users/writer')).body, /<a href="\/users\/writer\/subscription">Subscribe to writer<\/a>/);
    assert.match((await readers[1]!.get('/users/writer/works')).body, /<a href="\/users\/writer\/subscription">Subscribe to writer<\/a>/);
    assert.doesNotMatch((await author.get('/users/writer/works')).body, /Subscribe to writer/);
    assert.equal((await author.get('/users/writer/subscription')).statusCode, 422);
    const subscribed = await readers[1]!.post('/subscriptions', {
      kind: 'creator',
      id: String(await userId('writer')),
      return_to: '/users/writer/subscription',
    });
    assert.equal(subscribed.headers.location, '/users/writer/subscription');
    assert.match((await readers[1]!.get('/users/writer/subscription')).body, /You are subscribed to writer/);

    await readers[0]!.post('/subscriptions/delete', { kind: 'work', id: String(workId) });
    assert.doesNotMatch((await readers[0]!.get('/users/reader_a/subscriptions')).body, /Long Road/);
  });

  it('does not tell a reader who muted the creator', async () => {
    await t.db
      .insertInto('mutes')
      .values({ user_id: await userId('reader_b'), muted_user_id: await userId('writer') })
      .execute();
    const before = { b: (await inboxOf('reader_b')).length, c: (await inboxOf('reader_c')).length };
    await author.post(`/works/${workId}/chapters`, { chapter_title: 'Muted', text_format: 'plain', body: 'Six.' });
    await t.app.jobs.drain();
    assert.equal((await inboxOf('reader_b')).length, before.b);
    assert.equal((await inboxOf('reader_c')).length, before.c + 1);
  });
});
