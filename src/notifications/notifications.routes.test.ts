import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { postWork, quickUser, runAllJobs } from '../comments/interactions.test-helpers.ts';

/** Mails to one address since a point in the outbox. */
function mailsTo(t: TestApp, address: string, since = 0) {
  return t.app.mailer.outbox.slice(since).filter((m) => m.to === address);
}

const unsubscribePath = (text: string) => /\/unsubscribe\/[A-Za-z0-9_.-]+/.exec(text)![0];

describe('email notifications for comments, replies and kudos', () => {
  let t: TestApp;
  let author: TestVisitor;
  let reader: TestVisitor;
  let workId: number;
  before(async () => {
    // json: renders mail without a server; the accounts mailer's outbox keeps every message.
    t = await createTestApp({ SMTP_URL: 'json:' });
    author = await quickUser(t, 'mail_author');
    reader = await quickUser(t, 'mail_reader');
    workId = await postWork(author, { title: 'Mailed Work' });
  });
  after(() => t.close());

  it('mails a comment to the creator from a job, with the link and a one-click unsubscribe, and keeps the inbox item', async () => {
    const start = t.app.mailer.outbox.length;
    const posted = await reader.post(`/works/${workId}/comments`, { comment: 'Loved the ending.' });
    assert.equal(posted.statusCode, 303);
    assert.equal(mailsTo(t, 'mail_author@example.org', start).length, 0, 'nothing is mailed during the request');
    await runAllJobs(t);
    const [mail, ...more] = mailsTo(t, 'mail_author@example.org', start);
    assert.equal(more.length, 0);
    assert.match(mail!.subject, /mail_reader commented on Mailed Work/);
    assert.match(mail!.text, /http:\/\/archive\.test\/comments\/\d+/);
    assert.match(mail!.text, /^> Loved the ending\.$/m, 'the comment itself is quoted, as AO3 mails it');
    assert.match(mail!.text, /Stop emails about comments on your works: http:\/\/archive\.test\/unsubscribe\//);
    const inbox = await t.db.selectFrom('inbox_items').select('kind').where('kind', '=', 'comment').execute();
    assert.equal(inbox.length, 1, 'the inbox item is written as before');
  });

  it('a comment deleted before its mail goes out is not quoted: the mail keeps only the note and the link', async () => {
    const start = t.app.mailer.outbox.length;
    assert.equal((await reader.post(`/works/${workId}/comments`, { comment: 'Regretted words.' })).statusCode, 303);
    const comment = await t.db.selectFrom('comments').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow();
    assert.equal((await reader.post(`/comments/${comment.id}/delete`)).statusCode, 303);
    await runAllJobs(t);
    const mails = mailsTo(t, 'mail_author@example.org', start);
    assert.equal(mails.length, 1);
    assert.doesNotMatch(mails[0]!.text, /Regretted/);
    assert.match(mails[0]!.text, /http:\/\/archive\.test\/comments\/\d+/);
  });

  it('mails a reply to the comment author, and the day kudos summary to the creator', async () => {
    const start = t.app.mailer.outbox.length;
    const comment = await t.db.selectFrom('comments').select('id').where('user_id', 'is not', null).orderBy('id').executeTakeFirstOrThrow();
    const replied = await author.post(`/works/${workId}/comments`, { comment: 'Thank you!', parent_id: String(comment.id) });
    assert.equal(replied.statusCode, 303);
    const fan = await quickUser(t, 'kudos_fan');
    assert.equal((await fan.post(`/works/${workId}/kudos`)).statusCode, 303);
    await runAllJobs(t);
    assert.match(mailsTo(t, 'mail_reader@example.org', start)[0]!.subject, /mail_author replied to your comment on Mailed Work/);
    const kudos = mailsTo(t, 'mail_author@example.org', start).filter((m) => /kudos/.test(m.subject));
    assert.equal(kudos.length, 1);
    assert.match(kudos[0]!.text, /kudos_fan left kudos on Mailed Work/);
    await runAllJobs(t);
    assert.equal(mailsTo(t, 'mail_author@example.org', start).filter((m) => /kudos/.test(m.subject)).length, 1, 'mailed once');
  });

  it('a daily digest batches the day comments and kudos into one mail; "off" sends nothing', async () => {
    const saved = await author.post('/users/mail_author/notifications', {
      comments: 'digest',
      replies: 'each',
      kudos: 'digest',
      gifts: 'each',
      related_works: 'each',
    });
    assert.equal(saved.statusCode, 303);
    const start = t.app.mailer.outbox.length;
    await reader.post(`/works/${workId}/comments`, { comment: 'Second thoughts.' });
    const other = await quickUser(t, 'second_reader');
    await other.post(`/works/${workId}/comments`, { comment: 'Me too.' });
    // A work of its own: the day's kudos summary of the first work was written already (one per work per day).
    const second = await postWork(author, { title: 'Second Mailed Work' });
    await (await quickUser(t, 'kudos_two')).post(`/works/${second}/kudos`);
    await runAllJobs(t);
    assert.equal(mailsTo(t, 'mail_author@example.org', start).length, 0, 'kept for the digest');
    await runAllJobs(t); // the digest job, due at the end of the day
    const digests = mailsTo(t, 'mail_author@example.org', start);
    assert.equal(digests.length, 1);
    assert.match(digests[0]!.subject, /Your daily digest: 3 notifications/);
    assert.match(digests[0]!.text, /Comments on your works:[\s\S]*mail_reader commented[\s\S]*second_reader commented/);
    assert.match(digests[0]!.text, /Kudos on your works:[\s\S]*kudos_two left kudos/);
    assert.equal(
      await t.db
        .selectFrom('notification_digest_items')
        .select('id')
        .execute()
        .then((r) => r.length),
      0,
    );

    await author.post('/users/mail_author/notifications', {
      comments: 'off',
      replies: 'off',
      kudos: 'off',
      gifts: 'off',
      related_works: 'off',
    });
    const later = t.app.mailer.outbox.length;
    await reader.post(`/works/${workId}/comments`, { comment: 'Third.' });
    await runAllJobs(t);
    await runAllJobs(t);
    assert.equal(mailsTo(t, 'mail_author@example.org', later).length, 0);
  });

  it('the unsubscribe link shows a confirmation on GET and turns the kind off on POST, signed in or not', async () => {
    await author.post('/users/mail_author/notifications', {
      comments: 'each',
      replies: 'each',
      kudos: 'each',
      gifts: 'each',
      related_works: 'each',
    });
    const start = t.app.mailer.outbox.length;
    await reader.post(`/works/${workId}/comments`, { comment: 'Fourth.' });
    await runAllJobs(t);
    const path = unsubscribePath(mailsTo(t, 'mail_author@example.org', start)[0]!.text);
    const stranger = new TestVisitor(t.app);
    const page = await stranger.get(path);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Stop sending mail_author@example.org emails about comments on your works\?/);
    const prefsAfterGet = await t.db.selectFrom('notification_preferences').select('comments').executeTakeFirstOrThrow();
    assert.equal(prefsAfterGet.comments, 'each', 'GET changes nothing');

    const forged = await t.app.inject({
      method: 'POST',
      url: path,
      payload: '',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(forged.statusCode, 403, 'a cross-site POST without the token is refused');

    const done = await stranger.post(path);
    assert.equal(done.statusCode, 200);
    assert.match(done.body, /You are unsubscribed/);
    const prefs = await t.db.selectFrom('notification_preferences').selectAll().executeTakeFirstOrThrow();
    assert.deepEqual([prefs.comments, prefs.replies, prefs.kudos], ['off', 'each', 'each']);

    const altered = path.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    assert.equal((await stranger.get(altered)).statusCode, 404);
    assert.equal((await stranger.get('/unsubscribe/nonsense')).statusCode, 404);
  });

  it('only the account itself sees its settings; a bad choice is a 422 that keeps the form', async () => {
    assert.equal((await reader.get('/users/mail_author/notifications')).statusCode, 403);
    assert.equal((await new TestVisitor(t.app).get('/users/mail_author/notifications')).statusCode, 401);
    const bad = await author.post('/users/mail_author/notifications', {
      comments: 'hourly',
      replies: 'each',
      kudos: 'off',
      gifts: 'each',
      related_works: 'each',
    });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /Choose each time, daily digest or no email/);
    assert.match(bad.body, /<option value="off" selected/);
  });

  it('mails a gift under its own "gifts" choice, not the comments one, with its own unsubscribe link', async () => {
    const page = await author.get('/users/mail_author/notifications');
    assert.match(page.body, /Email about works given to you as gifts/);
    const quiet = { comments: 'off', replies: 'off', kudos: 'off', related_works: 'off' };
    assert.equal((await author.post('/users/mail_author/notifications', { ...quiet, gifts: 'each' })).statusCode, 303);
    const start = t.app.mailer.outbox.length;
    await postWork(reader, { title: 'A Gift Mailed', gifts: 'mail_author' });
    await runAllJobs(t);
    const [mail, ...more] = mailsTo(t, 'mail_author@example.org', start);
    assert.equal(more.length, 0);
    assert.match(mail!.text, /mail_reader gave you a gift: “A Gift Mailed”/);
    assert.match(mail!.text, /Stop emails about works given to you as gifts: http:\/\/archive\.test\/unsubscribe\//);

    const gifts = await author.post(unsubscribePath(mail!.text));
    assert.equal(gifts.statusCode, 200);
    const prefs = await t.db
      .selectFrom('notification_preferences')
      .innerJoin('users', 'users.id', 'notification_preferences.user_id')
      .select(['gifts', 'comments'])
      .where('users.login', '=', 'mail_author')
      .executeTakeFirstOrThrow();
    assert.deepEqual([prefs.gifts, prefs.comments], ['off', 'off']);

    assert.equal((await author.post('/users/mail_author/notifications', { ...quiet, comments: 'each', gifts: 'off' })).statusCode, 303);
    const later = t.app.mailer.outbox.length;
    await postWork(reader, { title: 'A Gift Not Mailed', gifts: 'mail_author' });
    await runAllJobs(t);
    assert.equal(mailsTo(t, 'mail_author@example.org', later).length, 0, 'gifts off: no mail, whatever comments say');
    const inbox = await t.db.selectFrom('inbox_items').select('text').where('kind', '=', 'gift').execute();
    assert.equal(inbox.length, 2, 'the inbox still has both gifts');
  });

  it('mails a related work under its own "related works" choice, not the comments one, with its own unsubscribe link', async () => {
    const page = await author.get('/users/mail_author/notifications');
    assert.match(page.body, /Email about works that name yours as inspiration, or translate, remix or read it/);
    const quiet = { comments: 'off', replies: 'off', kudos: 'off', gifts: 'off' };
    assert.equal((await author.post('/users/mail_author/notifications', { ...quiet, related_works: 'each' })).statusCode, 303);
    const start = t.app.mailer.outbox.length;
    await postWork(reader, { title: 'A Translation Mailed', related_relation: 'translation_of', related_url: String(workId) });
    await runAllJobs(t);
    const [mail, ...more] = mailsTo(t, 'mail_author@example.org', start);
    assert.equal(more.length, 0, 'one mail, under one preference');
    assert.match(mail!.text, /mail_reader posted “A Translation Mailed”, a translation of your work “Mailed Work”/);
    assert.match(
      mail!.text,
      /Stop emails about works that name yours as inspiration, or translate, remix or read it: http:\/\/archive\.test\/unsubscribe\//,
    );

    assert.equal((await author.post(unsubscribePath(mail!.text))).statusCode, 200);
    const prefs = await t.db
      .selectFrom('notification_preferences')
      .innerJoin('users', 'users.id', 'notification_preferences.user_id')
      .select(['related_works', 'comments'])
      .where('users.login', '=', 'mail_author')
      .executeTakeFirstOrThrow();
    assert.deepEqual([prefs.related_works, prefs.comments], ['off', 'off']);

    assert.equal(
      (await author.post('/users/mail_author/notifications', { ...quiet, comments: 'each', related_works: 'off' })).statusCode,
      303,
    );
    const later = t.app.mailer.outbox.length;
    await postWork(reader, { title: 'A Remix Not Mailed', related_relation: 'remix_of', related_url: String(workId) });
    await runAllJobs(t);
    assert.equal(mailsTo(t, 'mail_author@example.org', later).length, 0, 'related works off: no mail, whatever comments say');
    const inbox = await t.db.selectFrom('inbox_items').select('text').where('kind', '=', 'related_work').execute();
    assert.equal(inbox.length, 2, 'the inbox still has both links');

    assert.equal((await author.post('/users/mail_author/notifications', { ...quiet, related_works: 'digest' })).statusCode, 303);
    await postWork(reader, { title: 'A Podfic Kept For The Digest', related_relation: 'podfic_of', related_url: String(workId) });
    await runAllJobs(t);
    const kept = await t.db.selectFrom('notification_digest_items').select(['kind', 'text']).execute();
    assert.ok(
      kept.some((k) => k.kind === 'related_works' && /A Podfic Kept For The Digest/.test(k.text)),
      'a digest entry under its own kind',
    );
  });
});

describe('email notifications without a mail server', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());

  it('sends and logs nothing, and the settings page says so', async () => {
    const author = await quickUser(t, 'quiet_author');
    const reader = await quickUser(t, 'quiet_reader');
    const workId = await postWork(author, { title: 'Quiet' });
    await reader.post(`/works/${workId}/comments`, { comment: 'Hello.' });
    await runAllJobs(t);
    assert.equal(t.app.mailer.outbox.length, 0);
    assert.match((await author.get('/users/quiet_author/notifications')).body, /does not send email at the moment/);
  });
});
