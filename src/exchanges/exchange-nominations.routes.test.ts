import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { buildWorkForm } from '../../test/factories.ts';
import { closeTaskPool } from '../workers/task-pool.ts';
import { exchangeSettingsForm } from './exchange.test-helpers.ts';

const iso = (d: Date) => d.toISOString().slice(0, 16);

function settingsForm(overrides: Record<string, string> = {}): Record<string, string> {
  return exchangeSettingsForm({ tags_fandom: 'Nom Fandom A', nominations_fandom: '2', ...overrides });
}

describe('gift exchange tag nominations: participants nominate in a window and withdraw, maintainers review in batches, approved tags join the tag set', () => {
  let t: TestApp;
  let owner: TestVisitor;
  let ann: TestVisitor;
  let ben: TestVisitor;
  const base = '/collections/nom_swap/exchange';

  before(async () => {
    t = await createTestApp({ PAGE_CACHE: 'off' });
    owner = await new TestVisitor(t.app).signUp('nom_owner');
    ann = await new TestVisitor(t.app).signUp('nom_ann');
    ben = await new TestVisitor(t.app).signUp('nom_ben');
    for (const fandom of ['Nom Fandom A', 'Nom Fandom B', 'Nom Fandom C', 'Nom Fandom D'])
      assert.equal((await owner.post('/works', buildWorkForm({ title: `Seed ${fandom}`, fandoms: fandom }))).statusCode, 303);
    assert.equal((await owner.post('/collections', { name: 'nom_swap', title: 'Nom Swap' })).statusCode, 303);
  });
  after(async () => {
    await t.close();
    await closeTaskPool();
  });

  it('checks the per-type limit in the settings, and saves and shows it', async () => {
    const bad = await owner.post(`${base}/settings`, settingsForm({ nominations_fandom: 'many', nominations_character: '3' }));
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /Nominations of fandoms per person must be a whole number from 0 to 20/);
    assert.match(bad.body, /List at least one character tag before taking character nominations/);
    assert.match(bad.body, /value="many"/);
    assert.equal((await owner.post(`${base}/settings`, settingsForm())).statusCode, 303);
    const form = await owner.get(`${base}/settings`);
    assert.match(form.body, /name="nominations_fandom"[^>]*value="2"|value="2"[^>]*name="nominations_fandom"/);
    assert.match((await ann.get(base)).body, /Nominate tags for the tag set/);
  });

  it('refuses bad nominations with 422 and the typing kept, and counts the limit per person and type', async () => {
    assert.equal((await new TestVisitor(t.app).get(`${base}/nominations`)).statusCode, 401);
    const page = await ann.get(`${base}/nominations`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Fandoms to nominate \(at most 2\)/);
    const unknown = await ann.post(`${base}/nominations`, { nominate_fandom: 'Nom Fandom B, No Such <Fandom>' });
    assert.equal(unknown.statusCode, 422);
    assert.match(unknown.body, /“No Such &lt;Fandom>” is not a fandom tag on this archive/);
    assert.match(unknown.body, /value="Nom Fandom B, No Such &lt;Fandom>"/);
    const already = await ann.post(`${base}/nominations`, { nominate_fandom: 'nom fandom a' });
    assert.equal(already.statusCode, 422);
    assert.match(already.body, /“Nom Fandom A” is in the tag set already/);
    const other = await ann.post(`${base}/nominations`, { nominate_character: 'Alice' });
    assert.equal(other.statusCode, 422);
    assert.match(other.body, /This exchange takes no characters nominations/);
    assert.equal((await ann.post(`${base}/nominations`, { nominate_fandom: ' , ' })).statusCode, 422);
    const tooMany = await ann.post(`${base}/nominations`, { nominate_fandom: 'Nom Fandom B, Nom Fandom C, Nom Fandom D' });
    assert.equal(tooMany.statusCode, 422);
    assert.match(tooMany.body, /at most 2 fandoms; you have 0 and named 3 more/);
    assert.equal((await ann.post(`${base}/nominations`, { nominate_fandom: 'nom fandom b, Nom Fandom C' })).statusCode, 303);
    assert.equal((await ann.post(`${base}/nominations`, { nominate_fandom: 'Nom Fandom D' })).statusCode, 422);
    assert.equal((await ben.post(`${base}/nominations`, { nominate_fandom: 'Nom Fandom B' })).statusCode, 303);
    const mine = await ann.get(`${base}/nominations`);
    assert.match(mine.body, /Fandoms: Nom Fandom B \(waiting for approval\)/);
    assert.doesNotMatch(mine.body, /Waiting for approval</);
    // Nominated tags are not in the tag set yet: a sign-up cannot use them.
    const early = await ann.post(`${base}/signup`, { request_1_fandom: 'Nom Fandom B', offer_1_fandom: 'Nom Fandom A' });
    assert.equal(early.statusCode, 422);
  });

  it('lets a nominator withdraw their own pending nomination, which then no longer counts against the limit', async () => {
    const annC = await t.db
      .selectFrom('exchange_tag_nominations')
      .innerJoin('users', 'users.id', 'exchange_tag_nominations.user_id')
      .select('exchange_tag_nominations.id')
      .where('users.login', '=', 'nom_ann')
      .where('tag_name', '=', 'Nom Fandom C')
      .executeTakeFirstOrThrow();
    assert.match((await ann.get(`${base}/nominations`)).body, /Withdraw<span class="visually-hidden"> Nom Fandom C<\/span>/);
    assert.equal((await new TestVisitor(t.app).post(`${base}/nominations/${annC.id}/withdraw`, {})).statusCode, 401);
    assert.equal((await ben.post(`${base}/nominations/${annC.id}/withdraw`, {})).statusCode, 404);
    assert.equal((await owner.post(`${base}/nominations/${annC.id}/withdraw`, {})).statusCode, 404);
    assert.equal((await ann.post(`${base}/nominations/999999/withdraw`, {})).statusCode, 404);
    const withdrawn = await ann.post(`${base}/nominations/${annC.id}/withdraw`, {});
    assert.equal(withdrawn.statusCode, 303);
    assert.match((await ann.get(`${base}/nominations`)).body, /Your nomination of Nom Fandom C was withdrawn/);
    assert.equal(await t.db.selectFrom('exchange_tag_nominations').select('id').where('id', '=', annC.id).executeTakeFirst(), undefined);
    // Two pending again (B, and C nominated anew): the withdrawal freed its place.
    assert.equal((await ann.post(`${base}/nominations`, { nominate_fandom: 'Nom Fandom C' })).statusCode, 303);
    assert.equal((await ann.post(`${base}/nominations`, { nominate_fandom: 'Nom Fandom D' })).statusCode, 422);
  });

  it('reviews many nominations at once, audited, and tells each nominator once of the whole review', async () => {
    const rows = await t.db
      .selectFrom('exchange_tag_nominations as n')
      .innerJoin('users', 'users.id', 'n.user_id')
      .select(['n.id', 'users.login', 'n.tag_name'])
      .orderBy('n.id')
      .execute();
    const idOf = (login: string, tag: string) => rows.find((r) => r.login === login && r.tag_name === tag)!.id;
    const [annB, annC, benB] = [idOf('nom_ann', 'Nom Fandom B'), idOf('nom_ann', 'Nom Fandom C'), idOf('nom_ben', 'Nom Fandom B')];
    const review = await owner.get(`${base}/nominations`);
    assert.match(review.body, /Nom Fandom B<\/strong>, nominated by nom_ann/);
    assert.match(review.body, new RegExp(`name="decision_${annB}" value="approve"`));
    assert.equal((await ben.post(`${base}/nominations/review`, { [`decision_${annB}`]: 'approve' })).statusCode, 403);
    assert.equal((await new TestVisitor(t.app).post(`${base}/nominations/review`, {})).statusCode, 401);
    const nothing = await owner.post(`${base}/nominations/review`, { [`decision_${annB}`]: '' });
    assert.equal(nothing.statusCode, 422);
    assert.match(nothing.body, /Choose Approve or Reject for at least one nomination/);
    const missing = await owner.post(`${base}/nominations/review`, { [`decision_${annB}`]: 'approve', decision_999999: 'reject' });
    assert.equal(missing.statusCode, 404);
    assert.match(missing.body, /There is no nomination 999999 in this exchange/);
    // The maintainer's choices are kept on the refused form.
    assert.match(missing.body, new RegExp(`name="decision_${annB}" value="approve" checked`));
    const torn = await owner.post(`${base}/nominations/review`, { [`decision_${annB}`]: 'approve', [`decision_${benB}`]: 'reject' });
    assert.equal(torn.statusCode, 422);
    assert.match(torn.body, /Nom Fandom B was both approved and rejected/);
    assert.equal((await t.db.selectFrom('exchange_tag_nominations').select('id').where('status', '!=', 'pending').execute()).length, 0);

    const done = await owner.post(`${base}/nominations/review`, { [`decision_${annB}`]: 'approve', [`decision_${annC}`]: 'reject' });
    assert.equal(done.statusCode, 303);
    assert.match((await owner.get(`${base}/nominations`)).body, /Nom Fandom B joined the tag set\. Rejected: Nom Fandom C\./);
    const after = await t.db.selectFrom('exchange_tag_nominations').select(['id', 'status']).execute();
    const statusOf = (id: number) => after.find((r) => r.id === id)!.status;
    assert.deepEqual([statusOf(annB), statusOf(annC), statusOf(benB)], ['approved', 'rejected', 'approved']);
    const exchange = await t.db.selectFrom('gift_exchanges').select('tag_set').executeTakeFirstOrThrow();
    assert.deepEqual(exchange.tag_set, { fandom: ['Nom Fandom A', 'Nom Fandom B'] });
    const audits = await t.db
      .selectFrom('audit_log')
      .select(['action', 'target_id'])
      .where('action', 'like', 'exchange.nomination.%')
      .execute();
    assert.deepEqual(audits.map((a) => `${a.action} ${a.target_id}`).sort(), [
      `exchange.nomination.approve ${annB}`,
      `exchange.nomination.reject ${annC}`,
    ]);
    const notices = await t.db
      .selectFrom('inbox_items')
      .innerJoin('users', 'users.id', 'inbox_items.user_id')
      .select(['users.login', 'inbox_items.text', 'inbox_items.url'])
      .where('inbox_items.kind', '=', 'exchange.nominations')
      .orderBy('users.login')
      .execute();
    assert.deepEqual(
      notices.map((n) => [n.login, n.text, n.url]),
      [
        [
          'nom_ann',
          'The maintainers of Nom Swap reviewed your tag nominations: approved Nom Fandom B (now in the tag set); rejected Nom Fandom C.',
          '/collections/nom_swap/exchange/nominations',
        ],
        [
          'nom_ben',
          'The maintainers of Nom Swap reviewed your tag nominations: approved Nom Fandom B (now in the tag set).',
          '/collections/nom_swap/exchange/nominations',
        ],
      ],
    );
    assert.match((await ann.get('/users/nom_ann/inbox')).body, /reviewed your tag nominations/);

    // Reviewed is final: neither decided again nor withdrawn.
    const again = await owner.post(`${base}/nominations/review`, { [`decision_${benB}`]: 'reject' });
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /was approved already/);
    const late = await ann.post(`${base}/nominations/${annB}/withdraw`, {});
    assert.equal(late.statusCode, 409);
    assert.match(late.body, /was approved already; a reviewed nomination cannot be withdrawn/);
    // The approved tag is usable by sign-ups; a rejected one is not counted against the limit.
    assert.equal((await ann.post(`${base}/signup`, { request_1_fandom: 'Nom Fandom B', offer_1_fandom: 'Nom Fandom A' })).statusCode, 303);
    assert.equal((await ann.post(`${base}/nominations`, { nominate_fandom: 'Nom Fandom D' })).statusCode, 303);
  });

  it('keeps nominations to the maintainers’ own window, shown on the exchange page; reviews go on after it closes', async () => {
    const day = 86_400_000;
    const tags = { tags_fandom: 'Nom Fandom A, Nom Fandom B' };
    assert.match((await ann.get(base)).body, /<dt>Tag nominations<\/dt><dd>Until [^<]* UTC \(open now\)<\/dd>/);
    const afterSignUps = iso(new Date(Date.now() + 8 * day));
    const late = await owner.post(`${base}/settings`, settingsForm({ ...tags, nominations_close_at: afterSignUps }));
    assert.equal(late.statusCode, 422);
    assert.match(late.body, /Nominations must close by the time sign-ups close/);
    assert.match(late.body, new RegExp(`value="${afterSignUps}"`));
    const inverted = await owner.post(
      `${base}/settings`,
      settingsForm({
        ...tags,
        nominations_open_at: iso(new Date(Date.now() + 2 * day)),
        nominations_close_at: iso(new Date(Date.now() + day)),
      }),
    );
    assert.equal(inverted.statusCode, 422);
    assert.match(inverted.body, /Nominations must close after they open/);

    const opensAt = iso(new Date(Date.now() + day));
    assert.equal((await owner.post(`${base}/settings`, settingsForm({ ...tags, nominations_open_at: opensAt }))).statusCode, 303);
    assert.match(
      (await owner.get(`${base}/settings`)).body,
      new RegExp(`name="nominations_open_at"[^>]*value="${opensAt}"|value="${opensAt}"[^>]*name="nominations_open_at"`),
    );
    assert.match((await ann.get(base)).body, /\(not open yet\)/);
    assert.match((await ann.get(base)).body, /Your tag nominations/);
    const early = await ben.post(`${base}/nominations`, { nominate_fandom: 'Nom Fandom C' });
    assert.equal(early.statusCode, 422);
    assert.match(early.body, new RegExp(`Nominations open on ${opensAt.replace('T', ' ')} UTC; come back then`));

    const closedAt = iso(new Date(Date.now() - 3_600_000));
    const past = settingsForm({ ...tags, nominations_open_at: iso(new Date(Date.now() - day)), nominations_close_at: closedAt });
    assert.equal((await owner.post(`${base}/settings`, past)).statusCode, 303);
    assert.match((await ann.get(base)).body, new RegExp(`Closed on ${closedAt.replace('T', ' ')} UTC`));
    const closed = await ben.post(`${base}/nominations`, { nominate_fandom: 'Nom Fandom C' });
    assert.equal(closed.statusCode, 422);
    assert.match(closed.body, /Nominations closed on .* UTC, so tags can no longer be nominated/);
    assert.match(closed.body, /value="Nom Fandom C"/);
    // Sign-ups are still open, and the maintainers review what came in before the window closed.
    const annD = await t.db
      .selectFrom('exchange_tag_nominations')
      .select('id')
      .where('tag_name', '=', 'Nom Fandom D')
      .executeTakeFirstOrThrow();
    assert.equal((await owner.post(`${base}/nominations/review`, { [`decision_${annD.id}`]: 'reject' })).statusCode, 303);
  });

  it('closes nominations and decisions once matching ran', async () => {
    assert.equal((await owner.post(`${base}/settings`, settingsForm({ tags_fandom: 'Nom Fandom A, Nom Fandom B' }))).statusCode, 303);
    assert.equal((await ben.post(`${base}/nominations`, { nominate_fandom: 'Nom Fandom C' })).statusCode, 303);
    const pending = await t.db
      .selectFrom('exchange_tag_nominations')
      .select('id')
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow();
    await t.db.updateTable('gift_exchanges').set({ status: 'matched' }).execute();
    const closed = await ann.post(`${base}/nominations`, { nominate_fandom: 'Nom Fandom C' });
    assert.equal(closed.statusCode, 422);
    assert.match(closed.body, /Nominations closed when matching began/);
    assert.equal((await owner.post(`${base}/nominations/review`, { [`decision_${pending.id}`]: 'approve' })).statusCode, 409);
    assert.match((await ann.get(`${base}/nominations`)).body, /Nominations closed when matching began/);
    assert.match((await ann.get(base)).body, /Closed: matching began/);
  });
});
