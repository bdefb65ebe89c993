import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { buildWorkForm } from '../../test/factories.ts';
import { workIdOf } from '../../test/staff.ts';
import { closeTaskPool } from '../workers/task-pool.ts';

const iso = (d: Date) => d.toISOString().slice(0, 16);

describe('posting for an exchange assignment from the work form', () => {
  let t: TestApp;
  let owner: TestVisitor;
  let ann: TestVisitor;
  let ben: TestVisitor;
  let assignmentId: number;
  const base = '/collections/form_swap/exchange';

  before(async () => {
    t = await createTestApp({ PAGE_CACHE: 'off' });
    owner = await new TestVisitor(t.app).signUp('pf_owner');
    ann = await new TestVisitor(t.app).signUp('pf_ann');
    ben = await new TestVisitor(t.app).signUp('pf_ben');
    assert.equal((await owner.post('/works', buildWorkForm({ title: 'Seed', fandoms: 'Form Fandom' }))).statusCode, 303);
    assert.equal((await owner.post('/collections', { name: 'form_swap', title: 'Form Swap', anonymous: '1' })).statusCode, 303);
    const form: Record<string, string> = {
      opens_at: iso(new Date(Date.now() - 3_600_000)),
      closes_at: iso(new Date(Date.now() + 86_400_000)),
      requests_min: '1',
      requests_max: '1',
      offers_min: '1',
      offers_max: '1',
      required_request_matches: '1',
      tags_fandom: 'Form Fandom',
      required_fandom: '1',
      min_fandom: '1',
      max_fandom: '1',
    };
    for (const type of ['relationship', 'character', 'freeform'])
      Object.assign(form, { [`tags_${type}`]: '', [`required_${type}`]: '0', [`min_${type}`]: '0', [`max_${type}`]: '0' });
    assert.equal((await owner.post(`${base}/settings`, form)).statusCode, 303);
    for (const v of [ann, ben])
      assert.equal((await v.post(`${base}/signup`, { request_1_fandom: 'Form Fandom', offer_1_fandom: 'Form Fandom' })).statusCode, 303);
    // Matching and sending are covered by exchanges.routes.test.ts; here the sent assignment is written directly.
    const exchange = await t.db.selectFrom('gift_exchanges').select('id').executeTakeFirstOrThrow();
    const users = await t.db.selectFrom('users').select(['id', 'login']).where('login', 'in', ['pf_ann', 'pf_ben']).execute();
    const id = (login: string) => users.find((u) => u.login === login)!.id;
    const bens = await t.db.selectFrom('exchange_signups').select('id').where('user_id', '=', id('pf_ben')).executeTakeFirstOrThrow();
    const row = await t.db
      .insertInto('exchange_assignments')
      .values({ exchange_id: exchange.id, recipient_signup_id: bens.id, giver_user_id: id('pf_ann'), sent_at: new Date() })
      .returning('id')
      .executeTakeFirstOrThrow();
    assignmentId = row.id;
  });
  after(async () => {
    await t.close();
    await closeTaskPool();
  });

  it('links from the assignment page to the work form with the assignment chosen, for its giver only', async () => {
    const page = await ann.get(`${base}/assignments/${assignmentId}`);
    assert.match(page.body, new RegExp(`href="/works/new\\?assignment=${assignmentId}"`));
    const form = await ann.get(`/works/new?assignment=${assignmentId}`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, new RegExp(`name="exchange_assignment_id" value="${assignmentId}"`));
    assert.match(form.body, /Posting your gift for pf_ben in Form Swap/);
    assert.equal((await ben.get(`/works/new?assignment=${assignmentId}`)).statusCode, 404);
    assert.equal((await ann.get('/works/new?assignment=abc')).statusCode, 404);
  });

  it('refuses a draft for an assignment (422, typing kept), then posts the work into the collection as a gift to the recipient', async () => {
    const fields = { exchange_assignment_id: String(assignmentId), exchange_assignment_label: 'your gift for pf_ben in Form Swap' };
    const draft = await ann.post('/works', buildWorkForm({ title: 'Gift Draft', fandoms: 'Form Fandom', action: 'draft', ...fields }));
    assert.equal(draft.statusCode, 422);
    assert.match(draft.body, /A gift for an assignment is posted, not saved as a draft/);
    assert.match(draft.body, /value="Gift Draft"/);
    const count = () =>
      t.db
        .selectFrom('works')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
    const before = Number((await count()).n);
    const stranger = await ben.post('/works', buildWorkForm({ title: 'Not Mine', fandoms: 'Form Fandom', ...fields }));
    assert.equal(stranger.statusCode, 422);
    assert.match(stranger.body, /There is no such assignment for you/);
    assert.equal(Number((await count()).n), before, 'a refused assignment posts nothing');
    const posted = await ann.post('/works', buildWorkForm({ title: 'Gift Posted', fandoms: 'Form Fandom', ...fields }));
    assert.equal(posted.statusCode, 303, posted.body.slice(0, 400));
    const workId = workIdOf(posted.headers.location);
    const item = await t.db.selectFrom('collection_items').selectAll().where('work_id', '=', workId).executeTakeFirstOrThrow();
    assert.equal(item.collection_id > 0, true);
    const gift = await t.db.selectFrom('work_gifts').select('recipient_name').where('work_id', '=', workId).executeTakeFirstOrThrow();
    assert.equal(gift.recipient_name, 'pf_ben');
    const done = await t.db.selectFrom('exchange_assignments').select(['work_id', 'fulfilled_at']).executeTakeFirstOrThrow();
    assert.equal(done.work_id, workId);
    assert.ok(done.fulfilled_at);
    assert.equal((await ann.get(`/works/new?assignment=${assignmentId}`)).statusCode, 422);
  });
});
