import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { postWork, quickUser, runAllJobs, workCounts } from '../comments/interactions.test-helpers.ts';

/** A guest's kudos from a given address (no cookies, same-site Origin as a browser sends). */
function guestKudos(t: TestApp, workId: number, address: string) {
  return t.app.inject({
    method: 'POST',
    url: `/works/${workId}/kudos`,
    remoteAddress: address,
    headers: { origin: 'http://archive.test', host: 'archive.test', 'content-type': 'application/x-www-form-urlencoded' },
    payload: '',
  });
}

describe('kudos', () => {
  let t: TestApp;
  let author: TestVisitor;
  let workId: number;
  before(async () => {
    t = await createTestApp();
    author = await new TestVisitor(t.app).signUp('kudos_author');
    workId = await postWork(author, { title: 'Kudos Target' });
  });
  after(() => t.close());

  it('takes one kudos per signed-in user and lists the givers on the work page', async () => {
    const reader = await quickUser(t, 'kind_reader');
    const cached = await new TestVisitor(t.app).get(`/works/${workId}`);
    assert.match(cached.body, /No kudos yet\./);
    assert.doesNotMatch(cached.body, /name="_csrf"/, 'the guest page (cached for every guest) embeds no per-visitor token');
    const first = await reader.post(`/works/${workId}/kudos`);
    assert.equal(first.statusCode, 303);
    const second = await reader.post(`/works/${workId}/kudos`);
    assert.equal(second.statusCode, 303);
    assert.equal((await workCounts(t.db, workId)).kudos_count, 1);
    const page = await new TestVisitor(t.app).get(`/works/${workId}`);
    assert.match(page.body, /kind_reader<\/a> left kudos on this work!/, 'the cached guest page was invalidated');
    const own = await reader.get(`/works/${workId}`);
    assert.match(own.body, /You have already left kudos here/);
  });

  it('takes one kudos per guest (by a daily fingerprint of the address, not stored raw)', async () => {
    assert.equal((await guestKudos(t, workId, '203.0.113.7')).statusCode, 303);
    assert.equal((await guestKudos(t, workId, '203.0.113.7')).statusCode, 303);
    assert.equal((await guestKudos(t, workId, '203.0.113.8')).statusCode, 303);
    const rows = await t.db
      .selectFrom('kudos')
      .select(['guest_fingerprint'])
      .where('work_id', '=', workId)
      .where('user_id', 'is', null)
      .execute();
    assert.equal(rows.length, 2);
    for (const r of rows) assert.doesNotMatch(r.guest_fingerprint!, /203\.0\.113/);
    const page = await new TestVisitor(t.app).get(`/works/${workId}`);
    assert.match(page.body, /as well as 2 guests left kudos/);
  });

  it('refuses kudos from the creator and from users the creator blocked', async () => {
    const own = await author.post(`/works/${workId}/kudos`);
    assert.equal(own.statusCode, 422);
    assert.match(own.body, /can(&#39;|')t leave kudos on your own work/);
    const pest = await quickUser(t, 'kudos_pest');
    assert.equal((await author.post('/users/kudos_author/blocked', { action: 'add', user: 'kudos_pest' })).statusCode, 303);
    const refused = await pest.post(`/works/${workId}/kudos`);
    assert.equal(refused.statusCode, 403);
    assert.match(refused.body, /blocked you/);
    const count = await t.db.selectFrom('kudos').select('id').where('work_id', '=', workId).where('user_id', 'is not', null).execute();
    assert.equal(count.length, 1);
  });

  it('refuses guests on a restricted work and anyone on a draft', async () => {
    const restricted = await postWork(author, { title: 'Members only', restricted: '1' });
    assert.equal((await guestKudos(t, restricted, '198.51.100.1')).statusCode, 401);
    const draft = await postWork(author, { title: 'Draft', action: 'draft' });
    const reader = await quickUser(t, 'draft_peeker');
    assert.equal((await reader.post(`/works/${draft}/kudos`)).statusCode, 404);
    assert.equal((await workCounts(t.db, restricted)).kudos_count, 0);
  });

  it('keeps the count exact under 50 concurrent clicks', async () => {
    const target = await postWork(author, { title: 'Popular' });
    const users = await Promise.all(Array.from({ length: 20 }, (_, i) => quickUser(t, `rush_${i}`)));
    const requests = [
      ...users.flatMap((u) => [u.post(`/works/${target}/kudos`), u.post(`/works/${target}/kudos`)]),
      ...Array.from({ length: 10 }, (_, i) => guestKudos(t, target, `192.0.2.${i % 5}`)),
    ];
    assert.equal(requests.length, 50);
    const responses = await Promise.all(requests);
    for (const r of responses) assert.equal(r.statusCode, 303, r.body.slice(0, 300));
    const distinct = await t.db
      .selectFrom('kudos')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('work_id', '=', target)
      .executeTakeFirstOrThrow();
    assert.equal(Number(distinct.n), 25);
    assert.equal((await workCounts(t.db, target)).kudos_count, 25);
  });

  it('sums up a day of kudos in one inbox item per work (a job with a dedupe key)', async () => {
    const target = await postWork(author, { title: 'Summarised' });
    for (const login of ['sum_a', 'sum_b', 'sum_c']) {
      const u = await quickUser(t, login);
      assert.equal((await u.post(`/works/${target}/kudos`)).statusCode, 303);
    }
    await guestKudos(t, target, '192.0.2.200');
    const jobs = await t.db
      .selectFrom('jobs')
      .select('id')
      .where('kind', '=', 'kudos.daily-summary')
      .where('payload', '@>', JSON.stringify({ workId: target }))
      .execute();
    assert.equal(jobs.length, 1, 'one summary job per work per day, however many kudos');
    await runAllJobs(t);
    const items = await t.db
      .selectFrom('inbox_items')
      .innerJoin('users', 'users.id', 'inbox_items.user_id')
      .select(['inbox_items.text', 'inbox_items.kind'])
      .where('users.login', '=', 'kudos_author')
      .where('inbox_items.work_id', '=', target)
      .execute();
    assert.equal(items.length, 1);
    assert.equal(items[0]!.kind, 'kudos');
    assert.match(items[0]!.text, /sum_a, sum_b, sum_c and 1 guest left kudos on Summarised/);
    const inbox = await author.get('/users/kudos_author/inbox');
    assert.match(inbox.body, /sum_a, sum_b, sum_c and 1 guest left kudos on Summarised/);
  });
});
