import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { buildWorkForm } from '../../test/factories.ts';
import { workIdOf } from '../../test/staff.ts';
import { signUpWithToken, jsonRequest, withToken } from '../api/api-tokens.test-helpers.ts';
import { closeTaskPool } from '../workers/task-pool.ts';
import { exchangeSettingsForm } from './exchange.test-helpers.ts';

// An assignment's or nomination's id belongs to one collection's exchange: under another
// collection's name it is absent (404), on the pages and in the API, even for someone who may see
// it under its own name (a maintainer of both collections, its giver, its nominator).

function settingsForm(): Record<string, string> {
  return exchangeSettingsForm({ tags_fandom: 'Ids Fandom A', nominations_fandom: '1' });
}

describe('exchange ids under the wrong collection name are absent (pages and API)', () => {
  let t: TestApp;
  let owner: TestVisitor;
  let giver: TestVisitor;
  const tokens: Record<string, string> = {};
  let assignmentId = 0;
  let nominationId = 0;
  let workId = 0;
  const pageOf = (name: string) => `/collections/${name}/exchange`;
  const apiOf = (name: string) => `/api/v1/collections/${name}/exchange`;
  const wrongName = /There is no assignment \d+ in this collection&#39;s exchange|There is no assignment \d+ in this collection's exchange/;

  before(async () => {
    t = await createTestApp({ PAGE_CACHE: 'off' });
    const own = await signUpWithToken(t, 'ids_owner');
    const giv = await signUpWithToken(t, 'ids_giver');
    [owner, giver] = [own.visitor, giv.visitor];
    [tokens.owner, tokens.giver] = [own.token, giv.token];
    await new TestVisitor(t.app).signUp('ids_recipient');
    for (const fandom of ['Ids Fandom A', 'Ids Fandom B'])
      assert.equal((await owner.post('/works', buildWorkForm({ title: `Seed ${fandom}`, fandoms: fandom }))).statusCode, 303);
    // The owner maintains both exchanges, so only the name in the address tells them apart.
    for (const name of ['ids_left', 'ids_right']) {
      assert.equal((await owner.post('/collections', { name, title: name })).statusCode, 303);
      const saved = await owner.post(`${pageOf(name)}/settings`, settingsForm());
      assert.equal(saved.statusCode, 303, saved.body.slice(0, 500));
    }
    const right = await t.db
      .selectFrom('gift_exchanges')
      .innerJoin('collections', 'collections.id', 'gift_exchanges.collection_id')
      .select('gift_exchanges.id')
      .where('collections.name', '=', 'ids_right')
      .executeTakeFirstOrThrow();
    const users = await t.db.selectFrom('users').select(['id', 'login']).where('login', 'like', 'ids_%').execute();
    const idOf = (login: string) => users.find((u) => u.login === login)!.id;
    const prompt = JSON.stringify([{ tags: { fandom: ['Ids Fandom A'] } }]);
    const signUp = await t.db
      .insertInto('exchange_signups')
      .values({ exchange_id: right.id, user_id: idOf('ids_recipient'), requests: prompt, offers: prompt, updated_at: new Date() })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto('exchange_signups')
      .values({ exchange_id: right.id, user_id: idOf('ids_giver'), requests: prompt, offers: prompt, updated_at: new Date() })
      .execute();
    assignmentId = (
      await t.db
        .insertInto('exchange_assignments')
        .values({ exchange_id: right.id, recipient_signup_id: signUp.id, giver_user_id: idOf('ids_giver'), sent_at: new Date() })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    nominationId = (
      await t.db
        .insertInto('exchange_tag_nominations')
        .values({
          exchange_id: right.id,
          user_id: idOf('ids_giver'),
          tag_type: 'fandom',
          tag_name: 'Ids Fandom B',
          decided_by_user_id: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    workId = workIdOf((await giver.post('/works', buildWorkForm({ title: 'Ids Gift', fandoms: 'Ids Fandom A' }))).headers.location);
  });
  after(async () => {
    await t.close();
    await closeTaskPool();
  });

  const assignmentRow = () => t.db.selectFrom('exchange_assignments').selectAll().where('id', '=', assignmentId).executeTakeFirstOrThrow();
  const nominationRow = () =>
    t.db.selectFrom('exchange_tag_nominations').selectAll().where('id', '=', nominationId).executeTakeFirstOrThrow();

  it('shows an assignment only under its own collection’s name (any case), to its giver and its maintainer', async () => {
    for (const visitor of [giver, owner]) {
      const wrong = await visitor.get(`${pageOf('ids_left')}/assignments/${assignmentId}`);
      assert.equal(wrong.statusCode, 404);
      assert.match(wrong.body, wrongName);
      assert.equal((await visitor.get(`${pageOf('ids_right')}/assignments/${assignmentId}`)).statusCode, 200);
    }
    assert.equal((await giver.get(`${pageOf('IDS_RIGHT')}/assignments/${assignmentId}`)).statusCode, 200);
  });

  it('refuses defaulting, pinch hitting and posting under another collection’s name, changing nothing', async () => {
    const before = await assignmentRow();
    assert.equal((await giver.post(`${pageOf('ids_left')}/assignments/${assignmentId}/default`, {})).statusCode, 404);
    assert.equal((await owner.post(`${pageOf('ids_left')}/assignments/${assignmentId}/pinch_hit`, { login: 'ids_owner' })).statusCode, 404);
    const fulfil = await giver.post(`${pageOf('ids_left')}/assignments/${assignmentId}/fulfil`, { work_id: String(workId) });
    assert.equal(fulfil.statusCode, 404);
    assert.match(fulfil.body, wrongName);
    assert.deepEqual(await assignmentRow(), before);
    assert.equal((await t.db.selectFrom('collection_items').select('id').where('work_id', '=', workId).executeTakeFirst()) ?? null, null);
  });

  it('refuses withdrawing or reviewing a nomination under another collection’s name', async () => {
    assert.equal((await giver.post(`${pageOf('ids_left')}/nominations/${nominationId}/withdraw`, {})).statusCode, 404);
    const review = await owner.post(`${pageOf('ids_left')}/nominations/review`, { [`decision_${nominationId}`]: 'approve' });
    assert.equal(review.statusCode, 404);
    assert.match(review.body, new RegExp(`There is no nomination ${nominationId} in this exchange`));
    assert.equal((await nominationRow()).status, 'pending');
  });

  it('answers the API’s assignment, sign-up and nomination operations under another collection’s name with 404', async () => {
    const wrong = `${apiOf('ids_left')}/assignments/${assignmentId}`;
    for (const token of [tokens.giver!, tokens.owner!]) {
      const read = await t.app.inject({ method: 'GET', url: wrong, ...withToken(token) });
      assert.equal(read.statusCode, 404);
      assert.match(read.json().error.message, /There is no assignment \d+ in this collection's exchange/);
      assert.equal(
        (await t.app.inject({ method: 'GET', url: `${apiOf('ids_right')}/assignments/${assignmentId}`, ...withToken(token) })).statusCode,
        200,
      );
    }
    const before = await assignmentRow();
    assert.equal((await t.app.inject({ method: 'POST', url: `${wrong}/default`, ...withToken(tokens.giver!) })).statusCode, 404);
    assert.equal(
      (await t.app.inject({ method: 'POST', url: `${wrong}/pinch_hit`, ...jsonRequest({ login: 'ids_owner' }, tokens.owner!) })).statusCode,
      404,
    );
    assert.equal(
      (await t.app.inject({ method: 'POST', url: `${wrong}/fulfil`, ...jsonRequest({ work_id: workId }, tokens.giver!) })).statusCode,
      404,
    );
    assert.deepEqual(await assignmentRow(), before);
    // The giver signed up in the right-hand exchange only: the left-hand one has no sign-up of theirs.
    assert.equal((await t.app.inject({ method: 'GET', url: `${apiOf('ids_left')}/signup`, ...withToken(tokens.giver!) })).statusCode, 404);
    assert.equal((await t.app.inject({ method: 'GET', url: `${apiOf('ids_right')}/signup`, ...withToken(tokens.giver!) })).statusCode, 200);
    const nomination = `${apiOf('ids_left')}/nominations/${nominationId}`;
    assert.equal((await t.app.inject({ method: 'DELETE', url: nomination, ...withToken(tokens.giver!) })).statusCode, 404);
    assert.equal(
      (await t.app.inject({ method: 'POST', url: nomination, ...jsonRequest({ decision: 'approve' }, tokens.owner!) })).statusCode,
      404,
    );
    const review = await t.app.inject({
      method: 'POST',
      url: `${apiOf('ids_left')}/nominations/review`,
      ...jsonRequest({ decisions: [{ id: nominationId, decision: 'reject' }] }, tokens.owner!),
    });
    assert.equal(review.statusCode, 404);
    assert.equal((await nominationRow()).status, 'pending');
  });
});
