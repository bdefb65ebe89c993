import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { buildWorkForm } from '../../test/factories.ts';
import { workIdOf } from '../../test/staff.ts';
import { closeTaskPool } from '../workers/task-pool.ts';
import { exchangeSettingsForm } from './exchange.test-helpers.ts';
import { runReminderJob } from './exchanges.service.ts';

const iso = (d: Date) => d.toISOString().slice(0, 16);

/** The settings form of an exchange with fandoms required to match and characters optional. */
function settingsForm(overrides: Record<string, string> = {}): Record<string, string> {
  return exchangeSettingsForm({
    due_at: iso(new Date(Date.now() + 30 * 86_400_000)),
    requests_max: '2',
    offers_max: '2',
    tags_fandom: 'Exchange Fandom A, exchange fandom b',
    tags_character: 'Alice, Bob',
    max_character: '2',
    any_character: '1',
    ...overrides,
  });
}

describe('gift exchanges: settings, sign-ups, matching in the pool, assignments, defaults, pinch hits, posting, reveal', () => {
  let t: TestApp;
  let owner: TestVisitor;
  const people: TestVisitor[] = [];
  const logins = ['ex_ann', 'ex_ben', 'ex_cat', 'ex_dan'];
  const guest = () => new TestVisitor(t.app);
  const base = '/collections/winter_swap/exchange';

  before(async () => {
    t = await createTestApp({ PAGE_CACHE: 'off' });
    owner = await new TestVisitor(t.app).signUp('ex_owner');
    for (const login of logins) people.push(await new TestVisitor(t.app).signUp(login));
    // The tags the exchange draws on exist on the archive because works use them.
    for (const fandom of ['Exchange Fandom A', 'Exchange Fandom B'])
      assert.equal((await owner.post('/works', buildWorkForm({ title: `Seed ${fandom}`, fandoms: fandom }))).statusCode, 303);
    const created = await owner.post('/collections', { name: 'winter_swap', title: 'Winter Swap', anonymous: '1', unrevealed: '1' });
    assert.equal(created.statusCode, 303, created.body.slice(0, 500));
  });
  after(async () => {
    await t.close();
    await closeTaskPool();
  });

  it('refuses settings from non-maintainers (403), and unknown tags or bad numbers with 422 and the typing kept', async () => {
    assert.equal((await people[0]!.post(`${base}/settings`, settingsForm())).statusCode, 403);
    assert.equal((await guest().get(`${base}/settings`)).statusCode, 401);
    const unknown = await owner.post(`${base}/settings`, settingsForm({ tags_fandom: 'Exchange Fandom A, No Such <Fandom>' }));
    assert.equal(unknown.statusCode, 422);
    assert.match(unknown.body, /“No Such &lt;Fandom>” is not a fandom tag on this archive/);
    assert.match(unknown.body, /value="Exchange Fandom A, No Such &lt;Fandom>"/);
    const bad = await owner.post(
      `${base}/settings`,
      settingsForm({ requests_max: 'lots', closes_at: iso(new Date(Date.now() - 7_200_000)) }),
    );
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /The most requests must be a whole number from 1 to 10/);
    assert.match(bad.body, /Sign-ups must close after they open/);
    assert.match(bad.body, /value="lots"/);
  });

  it('makes the collection an exchange (audited), with the archive’s spelling of its tags', async () => {
    const saved = await owner.post(`${base}/settings`, settingsForm());
    assert.equal(saved.statusCode, 303, saved.body.slice(0, 800));
    const page = await guest().get(base);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Exchange Fandom A, Exchange Fandom B/);
    assert.match(page.body, /Log in<\/a> to sign up/);
    // An exchange that takes no nominations shows no nomination window and no way to nominate.
    assert.doesNotMatch(page.body, /<dt>Tag nominations<\/dt>|\/exchange\/nominations/);
    const audit = await t.db.selectFrom('audit_log').select(['action']).where('action', '=', 'exchange.create').execute();
    assert.equal(audit.length, 1);
  });

  it('takes sign-ups while open: invalid ones get 422 with what is wrong and the typing kept; edit and delete work', async () => {
    const wrong = await people[0]!.post(`${base}/signup`, { request_1_fandom: 'Other <Fandom>', offer_1_fandom: 'Exchange Fandom A' });
    assert.equal(wrong.statusCode, 422);
    assert.match(
      wrong.body,
      /“Other &lt;Fandom>” is not in this exchange's fandom tags|"Other &lt;Fandom>" is not in this exchange&#39;s fandom tags|Other &lt;Fandom>/,
    );
    assert.match(wrong.body, /value="Other &lt;Fandom>"/);
    // Four sign-ups in a ring: each requests what the next offers.
    const fandoms = ['Exchange Fandom A', 'exchange fandom b', 'Exchange Fandom A', 'Exchange Fandom B'];
    for (let i = 0; i < 4; i++) {
      const r = await people[i]!.post(`${base}/signup`, {
        request_1_fandom: fandoms[(i + 1) % 4]!,
        request_1_character: 'Alice',
        offer_1_fandom: fandoms[i]!,
        offer_1_character_any: '1',
      });
      assert.equal(r.statusCode, 303, r.body.slice(0, 800));
    }
    const edit = await people[3]!.get(`${base}/signup`);
    assert.match(edit.body, /value="Exchange Fandom B"/);
    const extra = await new TestVisitor(t.app).signUp('ex_extra');
    assert.equal(
      (await extra.post(`${base}/signup`, { request_1_fandom: 'Exchange Fandom A', offer_1_fandom: 'Exchange Fandom A' })).statusCode,
      303,
    );
    assert.equal((await extra.post(`${base}/signup/delete`, {})).statusCode, 303);
    assert.equal((await t.db.selectFrom('exchange_signups').select('id').execute()).length, 4);
  });

  it('runs matching only after close, in the job (worker pool); maintainers see assignments and explanations', async () => {
    assert.equal((await people[0]!.get(`${base}/matching`)).statusCode, 403);
    const early = await owner.post(`${base}/matching`, {});
    assert.equal(early.statusCode, 422);
    assert.match(early.body, /Sign-ups are still open/);
    await t.db
      .updateTable('gift_exchanges')
      .set({ signups_close_at: new Date(Date.now() - 1000) })
      .execute();
    const late = await people[0]!.post(`${base}/signup`, { request_1_fandom: 'Exchange Fandom A', offer_1_fandom: 'Exchange Fandom A' });
    assert.equal(late.statusCode, 422);
    assert.match(late.body, /Sign-ups closed/);
    assert.equal((await owner.post(`${base}/matching`, {})).statusCode, 303);
    await t.app.jobs.drain();
    const review = await owner.get(`${base}/matching`);
    assert.equal(review.statusCode, 200);
    assert.match(review.body, /4 of 4 sign-ups receive a gift/);
    const rows = await t.db.selectFrom('exchange_assignments').selectAll().execute();
    assert.equal(rows.length, 4);
    assert.ok(rows.every((r) => r.sent_at === null));
  });

  it('changes assignments by hand, reporting the broken pairs, and refuses a self-assignment', async () => {
    const self = await owner.post(`${base}/matching/change`, { kind: 'reassign', giver: 'ex_ann', other: 'ex_ann' });
    assert.equal(self.statusCode, 422);
    assert.match(self.body, /cannot give to itself/);
    const noOther = await owner.post(`${base}/matching/change`, { kind: 'swap', giver: 'ex_ann', other: '' });
    assert.equal(noOther.statusCode, 422);
    assert.match(noOther.body, /Choose the recipient \(to reassign\) or the second giver \(to swap\)\./);
    const removed = await owner.post(`${base}/matching/change`, { kind: 'remove', giver: 'ex_ann', other: '' });
    assert.equal(removed.statusCode, 303);
    const review = await owner.get(`${base}/matching`);
    assert.match(review.body, /Pairs broken: ex_ann → /);
    // Put it back: the ring is the only full match.
    const anns = await t.db
      .selectFrom('exchange_signups')
      .innerJoin('users', 'users.id', 'exchange_signups.user_id')
      .select('users.login')
      .where('exchange_signups.id', 'not in', t.db.selectFrom('exchange_assignments').select('recipient_signup_id'))
      .executeTakeFirstOrThrow();
    assert.equal((await owner.post(`${base}/matching/change`, { kind: 'reassign', giver: 'ex_ann', other: anns.login })).statusCode, 303);
    assert.equal((await t.db.selectFrom('exchange_assignments').select('id').execute()).length, 4);
    const audit = await t.db.selectFrom('audit_log').select('action').where('action', '=', 'exchange.assignments.change').execute();
    assert.equal(audit.length, 2);
  });

  it('sends assignments: an inbox item and a mail per giver, a reminder queued; givers see the recipient and request', async () => {
    assert.equal((await owner.post(`${base}/send`, {})).statusCode, 303);
    const items = await t.db.selectFrom('inbox_items').select(['user_id', 'url']).where('kind', '=', 'exchange.assignment').execute();
    assert.equal(items.length, 4);
    const reminders = await t.db.selectFrom('jobs').select('run_at').where('kind', '=', 'exchanges.reminder').execute();
    assert.equal(reminders.length, 1);
    const mails = await t.db.selectFrom('jobs').select('payload').where('kind', '=', 'notifications.mail').execute();
    assert.ok(mails.filter((m) => JSON.stringify(m.payload).includes('Your assignment for Winter Swap')).length >= 4);
    const mine = await people[0]!.get(base);
    const link = /href="(\/collections\/winter_swap\/exchange\/assignments\/\d+)"/.exec(mine.body);
    assert.ok(link, 'a link to the assignment');
    const page = await people[0]!.get(link[1]!);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Your gift for ex_(ben|cat|dan)/);
    assert.match(page.body, /Fandoms: Exchange Fandom [AB] · Characters: Alice/);
    // Someone else's assignment does not exist for them.
    assert.equal((await people[1]!.get(link[1]!)).statusCode, 404);
    assert.equal((await guest().get(link[1]!)).statusCode, 401);
  });

  it('a giver defaults; a maintainer assigns a pinch hitter (not the recipient, not the defaulter)', async () => {
    const a = await t.db
      .selectFrom('exchange_assignments')
      .innerJoin('users', 'users.id', 'exchange_assignments.giver_user_id')
      .select(['exchange_assignments.id'])
      .where('users.login', '=', 'ex_dan')
      .executeTakeFirstOrThrow();
    assert.equal((await people[3]!.post(`${base}/assignments/${a.id}/default`, {})).statusCode, 303);
    const row = await t.db.selectFrom('exchange_assignments').selectAll().where('id', '=', a.id).executeTakeFirstOrThrow();
    assert.equal(row.giver_user_id, null);
    assert.equal(row.defaulted_user_ids.length, 1, JSON.stringify(row));
    const back = await owner.post(`${base}/assignments/${a.id}/pinch_hit`, { login: 'ex_dan' });
    assert.equal(back.statusCode, 422);
    assert.match(back.body, /defaulted on this assignment before/);
    const recipient = await t.db
      .selectFrom('exchange_signups')
      .innerJoin('users', 'users.id', 'exchange_signups.user_id')
      .select('users.login')
      .where('exchange_signups.id', '=', row.recipient_signup_id)
      .executeTakeFirstOrThrow();
    const self = await owner.post(`${base}/assignments/${a.id}/pinch_hit`, { login: recipient.login });
    assert.equal(self.statusCode, 422);
    assert.match(self.body, /recipient/);
    assert.equal((await people[1]!.post(`${base}/assignments/${a.id}/pinch_hit`, { login: 'ex_owner' })).statusCode, 404);
    assert.equal((await owner.post(`${base}/assignments/${a.id}/pinch_hit`, { login: 'ex_owner' })).statusCode, 303);
    const audit = await t.db.selectFrom('audit_log').select('action').where('action', '=', 'exchange.pinch_hit').execute();
    assert.equal(audit.length, 1);
  });

  it('reminds givers whose gift is not posted yet, once, and not after the due date moved', async () => {
    const exchange = await t.db.selectFrom('gift_exchanges').select(['id', 'due_at']).executeTakeFirstOrThrow();
    const dueAt = exchange.due_at!.toISOString();
    assert.equal(await runReminderJob(t.db, { exchangeId: exchange.id, dueAt: '2031-01-01T00:00:00.000Z' }), 0);
    assert.equal(await runReminderJob(t.db, { exchangeId: exchange.id, dueAt }), 4);
    const items = await t.db.selectFrom('inbox_items').select('text').where('kind', '=', 'exchange.assignment').execute();
    assert.equal(items.filter((i) => i.text.startsWith('Reminder: your gift for Winter Swap is due on')).length, 4);
  });

  it('after sending, gives a sign-up with no giver a pinch hitter, refusing one who has a giver or the recipient', async () => {
    const exchange = await t.db.selectFrom('gift_exchanges').select('id').executeTakeFirstOrThrow();
    const extra = await t.db.selectFrom('users').select('id').where('login', '=', 'ex_extra').executeTakeFirstOrThrow();
    const prompt = JSON.stringify([{ tags: { fandom: ['Exchange Fandom A'] } }]);
    await t.db
      .insertInto('exchange_signups')
      .values({ exchange_id: exchange.id, user_id: extra.id, requests: prompt, offers: prompt, updated_at: new Date() })
      .execute();
    const review = await owner.get(`${base}/matching`);
    assert.match(review.body, /Pinch hits for sign-ups with no giver/);
    assert.equal((await people[0]!.post(`${base}/pinch_hits`, { recipient: 'ex_extra', login: 'ex_ben' })).statusCode, 403);
    const taken = await owner.post(`${base}/pinch_hits`, { recipient: 'ex_ann', login: 'ex_ben' });
    assert.equal(taken.statusCode, 422);
    assert.match(taken.body, /ex_ann already has an assignment/);
    const self = await owner.post(`${base}/pinch_hits`, { recipient: 'ex_extra', login: 'EX_EXTRA' });
    assert.equal(self.statusCode, 422);
    assert.match(self.body, /cannot write their own gift/);
    assert.match(self.body, /value="EX_EXTRA"/);
    assert.equal((await owner.post(`${base}/pinch_hits`, { recipient: 'ex_extra', login: 'ex_ben' })).statusCode, 303);
    const told = await t.db
      .selectFrom('inbox_items')
      .innerJoin('users', 'users.id', 'inbox_items.user_id')
      .select('inbox_items.text')
      .where('users.login', '=', 'ex_ben')
      .where('inbox_items.text', 'like', 'You are a pinch hitter%')
      .execute();
    assert.equal(told.length, 1);
  });

  it('posts for an assignment: the work joins the collection as a gift, unrevealed, and the reveal shows it and its creator', async () => {
    const a = await t.db
      .selectFrom('exchange_assignments')
      .innerJoin('users', 'users.id', 'exchange_assignments.giver_user_id')
      .innerJoin('exchange_signups as r', 'r.id', 'exchange_assignments.recipient_signup_id')
      .innerJoin('users as ru', 'ru.id', 'r.user_id')
      .select(['exchange_assignments.id', 'ru.login as recipient'])
      .where('users.login', '=', 'ex_ann')
      .executeTakeFirstOrThrow();
    const posted = await people[0]!.post('/works', buildWorkForm({ title: 'Snow For Ben', fandoms: 'Exchange Fandom B' }));
    const workId = workIdOf(posted.headers.location);
    const notMine = await people[0]!.post(`${base}/assignments/${a.id}/fulfil`, { work_id: '1' });
    assert.equal(notMine.statusCode, 422);
    assert.match(notMine.body, /There is no posted work 1 of yours/);
    assert.equal((await people[0]!.post(`${base}/assignments/${a.id}/fulfil`, { work_id: String(workId) })).statusCode, 303);
    const gift = await t.db.selectFrom('work_gifts').select('recipient_name').where('work_id', '=', workId).executeTakeFirstOrThrow();
    assert.equal(gift.recipient_name, a.recipient);
    // The recipient is told of the gift without its anonymous giver's name.
    const told = await t.db
      .selectFrom('inbox_items')
      .select(['text', 'actor_user_id'])
      .where('kind', '=', 'gift')
      .where('work_id', '=', workId)
      .execute();
    assert.equal(told.length, 1);
    assert.doesNotMatch(told[0]!.text, /ex_ann/);
    assert.equal(told[0]!.actor_user_id, null);
    const item = await t.db.selectFrom('collection_items').selectAll().where('work_id', '=', workId).executeTakeFirstOrThrow();
    assert.deepEqual([item.collection_approval, item.creator_approval], ['approved', 'approved']);
    const hidden = await guest().get(`/works/${workId}`);
    assert.doesNotMatch(hidden.body, /Snow For Ben/);
    assert.doesNotMatch(hidden.body, /ex_ann/);
    assert.equal((await owner.post('/collections/winter_swap/reveal', {})).statusCode, 303);
    const shown = await guest().get(`/works/${workId}`);
    assert.match(shown.body, /Snow For Ben/);
    assert.match(shown.body, /ex_ann/);
  });
});
