import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { buildWorkForm } from '../../test/factories.ts';
import { closeTaskPool } from '../workers/task-pool.ts';

const iso = (d: Date) => d.toISOString().slice(0, 16);

function settingsForm(overrides: Record<string, string> = {}): Record<string, string> {
  const now = Date.now();
  const form: Record<string, string> = {
    opens_at: iso(new Date(now - 3_600_000)),
    closes_at: iso(new Date(now + 7 * 86_400_000)),
    due_at: '',
    requests_min: '1',
    requests_max: '1',
    offers_min: '1',
    offers_max: '1',
    required_request_matches: '1',
    tags_fandom: 'Nom Fandom A',
    required_fandom: '1',
    min_fandom: '1',
    max_fandom: '1',
    nominations_fandom: '2',
  };
  for (const type of ['relationship', 'character', 'freeform'])
    Object.assign(form, { [`tags_${type}`]: '', [`required_${type}`]: '0', [`min_${type}`]: '0', [`max_${type}`]: '0' });
  return { ...form, ...overrides };
}

describe('gift exchange tag nominations: participants nominate, maintainers approve or reject, approved tags join the tag set', () => {
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

  it('lets only maintainers decide; approving adds the tag to the tag set (all its nominations approved), audited', async () => {
    const rows = await t.db.selectFrom('exchange_tag_nominations').selectAll().orderBy('id').execute();
    const [annB, annC, benB] = rows;
    assert.equal((await ben.post(`${base}/nominations/${annB!.id}/approve`, {})).statusCode, 403);
    assert.equal((await owner.post(`${base}/nominations/999999/approve`, {})).statusCode, 404);
    const review = await owner.get(`${base}/nominations`);
    assert.match(review.body, /Nom Fandom B<\/strong>, nominated by nom_ann/);
    assert.equal((await owner.post(`${base}/nominations/${annB!.id}/approve`, {})).statusCode, 303);
    assert.equal((await owner.post(`${base}/nominations/${annC!.id}/reject`, {})).statusCode, 303);
    const again = await owner.post(`${base}/nominations/${benB!.id}/reject`, {});
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /was approved already/);
    const after = await t.db.selectFrom('exchange_tag_nominations').select(['id', 'status']).orderBy('id').execute();
    assert.deepEqual(
      after.map((r) => r.status),
      ['approved', 'rejected', 'approved'],
    );
    const exchange = await t.db.selectFrom('gift_exchanges').select('tag_set').executeTakeFirstOrThrow();
    assert.deepEqual(exchange.tag_set, { fandom: ['Nom Fandom A', 'Nom Fandom B'] });
    const audits = await t.db.selectFrom('audit_log').select(['action']).where('action', 'like', 'exchange.nomination.%').execute();
    assert.deepEqual(audits.map((a) => a.action).sort(), ['exchange.nomination.approve', 'exchange.nomination.reject']);
    // The approved tag is usable by sign-ups; a rejected one is not counted against the limit.
    assert.equal((await ann.post(`${base}/signup`, { request_1_fandom: 'Nom Fandom B', offer_1_fandom: 'Nom Fandom A' })).statusCode, 303);
    assert.equal((await ann.post(`${base}/nominations`, { nominate_fandom: 'Nom Fandom D' })).statusCode, 303);
  });

  it('closes nominations and decisions once sign-ups close or matching ran', async () => {
    const pending = await t.db
      .selectFrom('exchange_tag_nominations')
      .select('id')
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow();
    await t.db.updateTable('gift_exchanges').set({ status: 'matched' }).execute();
    const closed = await ann.post(`${base}/nominations`, { nominate_fandom: 'Nom Fandom C' });
    assert.equal(closed.statusCode, 422);
    assert.match(closed.body, /Nominations closed/);
    assert.equal((await owner.post(`${base}/nominations/${pending.id}/approve`, {})).statusCode, 409);
    assert.match((await ann.get(`${base}/nominations`)).body, /Nominations are closed/);
  });
});
