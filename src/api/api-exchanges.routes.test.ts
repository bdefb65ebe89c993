import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { InjectOptions } from 'fastify';
import { createTestApp, type TestVisitor, type TestApp } from '../../test/app.ts';
import { buildWorkForm } from '../../test/factories.ts';
import { workIdOf } from '../../test/staff.ts';
import { closeTaskPool } from '../workers/task-pool.ts';
import { EXCHANGE_OPERATION_IDS } from './api-exchanges.openapi.ts';
import type { OpenApiDocument } from './openapi.ts';
import { DocumentedCaller } from './openapi.test-helpers.ts';
import {
  jsonRequest,
  withToken,
  signUpWithToken,
  readOnlyAppToken,
  assertSharedAnswers,
  assertRateLimited,
} from './api-tokens.test-helpers.ts';

// Gift exchanges through the API (api-exchanges.routes.ts): one exchange from settings to a posted
// gift, each answer checked against the OpenAPI document, the answers every operation shares, and
// every documented status produced.

const iso = (d: Date) => d.toISOString().slice(0, 16);

describe('API operations of gift exchanges', () => {
  let t: TestApp;
  let api: DocumentedCaller;
  const tokens: Record<string, string> = {};
  const visitors: Record<string, TestVisitor> = {};
  const base = '/api/v1/collections/api_swap/exchange';

  const call = (operationId: string, url: string, options: Partial<InjectOptions> = {}) => api.call(operationId, { url, ...options });

  async function personalToken(login: string): Promise<string> {
    const { visitor, token } = await signUpWithToken(t, login);
    visitors[login] = visitor;
    return token;
  }
  const readOnlyToken = (login: string) => readOnlyAppToken(t.db, login);

  const settings = (overrides: Record<string, unknown> = {}) => ({
    opens_at: iso(new Date(Date.now() - 3_600_000)),
    closes_at: iso(new Date(Date.now() + 7 * 86_400_000)),
    due_at: iso(new Date(Date.now() + 30 * 86_400_000)),
    requests_min: 1,
    requests_max: 2,
    offers_min: 1,
    offers_max: 2,
    required_request_matches: 1,
    tags_fandom: ['Api Fandom A', 'api fandom b'],
    required_fandom: 1,
    min_fandom: 1,
    max_fandom: 1,
    ...overrides,
  });
  const fandomPrompt = (name: string) => [{ tags: { fandom: [name] } }];

  before(async () => {
    t = await createTestApp({ PAGE_CACHE: 'off' });
    api = new DocumentedCaller(t.app, (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as OpenApiDocument);
    for (const who of ['ax_own', 'ax_ann', 'ax_ben', 'ax_cat', 'ax_dan', 'ax_out']) tokens[who] = await personalToken(who);
    for (const fandom of ['Api Fandom A', 'Api Fandom B'])
      assert.equal((await visitors.ax_own!.post('/works', buildWorkForm({ title: `Seed ${fandom}`, fandoms: fandom }))).statusCode, 303);
    assert.equal((await visitors.ax_own!.post('/collections', { name: 'api_swap', title: 'Api Swap' })).statusCode, 303);
  });
  after(async () => {
    await t.close();
    await closeTaskPool();
  });

  it('runs an exchange from settings through sign-ups, matching, sending, defaults and pinch hits to a posted gift', async () => {
    const [own, ann, out] = [tokens.ax_own!, tokens.ax_ann!, tokens.ax_out!];
    const put = (body: unknown, token: string) => call('saveExchangeSettings', base, { method: 'PUT', ...jsonRequest(body, token) });
    assert.equal((await call('getExchange', base, withToken(ann))).statusCode, 404);
    assert.equal((await put(settings(), ann)).statusCode, 403);
    assert.equal(
      (await put(settings(), own).then(() => call('getExchange', '/api/v1/collections/no_such/exchange', withToken(ann)))).statusCode,
      404,
    );
    await t.db.deleteFrom('gift_exchanges').execute();
    assert.equal(
      (await call('saveExchangeSettings', '/api/v1/collections/no_such/exchange', { method: 'PUT', ...jsonRequest(settings(), own) }))
        .statusCode,
      404,
    );
    const unknown = await put(settings({ tags_fandom: ['Api Fandom A', 'No Such Fandom'] }), own);
    assert.equal(unknown.statusCode, 422);
    assert.match(unknown.json().error.fields.tags_fandom, /No Such Fandom” is not a fandom tag/);
    const bad = await put(settings({ requests_max: 99, closes_at: iso(new Date(Date.now() - 7_200_000)) }), own);
    assert.equal(bad.statusCode, 422);
    assert.match(bad.json().error.fields.requests_max, /whole number from 1 to 10/);
    assert.match(bad.json().error.fields.closes_at, /close after they open/);
    assert.equal((await put({ ...settings(), requests_min: 'one' }, own)).statusCode, 422);
    const created = await put(settings(), own);
    assert.equal(created.statusCode, 201, created.body);
    assert.deepEqual(created.json().exchange.tag_set, { fandom: ['Api Fandom A', 'Api Fandom B'] });
    assert.equal((await put(settings(), own)).statusCode, 200);
    const shown = (await call('getExchange', base, withToken(ann))).json().exchange;
    assert.equal(shown.open, true);
    assert.equal(shown.is_maintainer, false);

    // Sign-ups: four in a ring, each requesting what the next offers.
    const signUp = (token: string, body: unknown) =>
      call('saveExchangeSignUp', `${base}/signup`, { method: 'PUT', ...jsonRequest(body, token) });
    assert.equal((await call('getMyExchangeSignUp', `${base}/signup`, withToken(ann))).statusCode, 404);
    const nowhere = await call('saveExchangeSignUp', '/api/v1/collections/no_such/exchange/signup', {
      method: 'PUT',
      ...jsonRequest({ requests: [], offers: [] }, ann),
    });
    assert.equal(nowhere.statusCode, 404);
    const wrong = await signUp(ann, { requests: fandomPrompt('Other Fandom'), offers: fandomPrompt('Api Fandom A') });
    assert.equal(wrong.statusCode, 422);
    assert.match(wrong.json().error.message, /Other Fandom/);
    assert.equal(
      (await signUp(ann, { requests: [{ tags: { character: ['Alice'] } }], offers: [] })).json().error.fields.requests,
      'This exchange asks for no character tags.',
    );
    assert.equal((await signUp(ann, { requests: 'A' })).statusCode, 422);
    const fandoms = ['Api Fandom A', 'api fandom b', 'Api Fandom A', 'Api Fandom B'];
    const ring = ['ax_ann', 'ax_ben', 'ax_cat', 'ax_dan'];
    for (let i = 0; i < 4; i++) {
      const r = await signUp(tokens[ring[i]!]!, { requests: fandomPrompt(fandoms[(i + 1) % 4]!), offers: fandomPrompt(fandoms[i]!) });
      assert.equal(r.statusCode, 201, r.body);
    }
    const again = await signUp(tokens.ax_dan!, { requests: fandomPrompt('Api Fandom A'), offers: fandomPrompt('Api Fandom B') });
    assert.equal(again.statusCode, 200);
    assert.deepEqual(again.json().sign_up.requests, [{ tags: { fandom: ['Api Fandom A'] }, any: [] }]);
    assert.equal(
      (await call('getMyExchangeSignUp', `${base}/signup`, withToken(ann))).json().sign_up.offers[0].tags.fandom[0],
      'Api Fandom A',
    );
    assert.equal((await signUp(out, { requests: fandomPrompt('Api Fandom A'), offers: fandomPrompt('Api Fandom A') })).statusCode, 201);
    assert.equal((await call('deleteExchangeSignUp', `${base}/signup`, { method: 'DELETE', ...withToken(out) })).statusCode, 204);
    assert.equal((await call('deleteExchangeSignUp', `${base}/signup`, { method: 'DELETE', ...withToken(out) })).statusCode, 404);
    assert.equal((await call('getExchangeMatching', `${base}/matching`, withToken(ann))).statusCode, 403);
    assert.equal((await call('getExchangeMatching', '/api/v1/collections/no_such/exchange/matching', withToken(own))).statusCode, 404);
    assert.equal((await call('getExchangeMatching', `${base}/matching`, withToken(own))).json().matching.sign_ups.length, 4);

    // Matching: only once sign-ups closed, by the maintainers.
    const match = (token: string) => call('startExchangeMatching', `${base}/matching`, { method: 'POST', ...withToken(token) });
    assert.equal((await match(own)).statusCode, 422);
    assert.equal((await call('sendExchangeAssignments', `${base}/send`, { method: 'POST', ...withToken(own) })).statusCode, 409);
    await t.db
      .updateTable('gift_exchanges')
      .set({ signups_close_at: new Date(Date.now() - 1000) })
      .execute();
    assert.equal((await signUp(ann, { requests: fandomPrompt('Api Fandom B'), offers: fandomPrompt('Api Fandom A') })).statusCode, 422);
    assert.equal((await call('deleteExchangeSignUp', `${base}/signup`, { method: 'DELETE', ...withToken(ann) })).statusCode, 422);
    assert.equal((await match(ann)).statusCode, 403);
    assert.equal(
      (await call('startExchangeMatching', '/api/v1/collections/no_such/exchange/matching', { method: 'POST', ...withToken(own) }))
        .statusCode,
      404,
    );
    const started = await match(own);
    assert.equal(started.statusCode, 202, started.body);
    assert.equal(started.json().matching.status, 'matching');
    assert.equal((await match(own)).statusCode, 409);
    assert.equal((await put(settings(), own)).statusCode, 409);
    const change = (body: unknown, token = own, name = 'api_swap') =>
      call('changeExchangeAssignments', `/api/v1/collections/${name}/exchange/matching/change`, jsonRequest(body, token));
    assert.equal((await change({ kind: 'remove', giver: 'ax_ann' })).statusCode, 409);
    await t.app.jobs.drain();
    const review = (await call('getExchangeMatching', `${base}/matching`, withToken(own))).json().matching;
    assert.equal(review.status, 'matched');
    assert.equal(review.assignments.length, 4);

    // Changes by hand, as the page checks them.
    assert.equal((await change({ kind: 'remove', giver: 'ax_ann' }, ann)).statusCode, 403);
    assert.equal((await change({ kind: 'remove', giver: 'ax_ann' }, own, 'no_such')).statusCode, 404);
    assert.equal(
      (await change({ kind: 'swap', giver: 'ax_ann' })).json().error.fields.other,
      'Name the recipient (to reassign) or the second giver (to swap).',
    );
    assert.match((await change({ kind: 'reassign', giver: 'ax_ann', other: 'ax_ann' })).json().error.message, /cannot give to itself/);
    const removed = await change({ kind: 'remove', giver: 'ax_ann' });
    assert.equal(removed.statusCode, 200, removed.body);
    assert.match(removed.json().broken[0], /^ax_ann → /);
    const recipient = removed.json().broken[0].split(' → ')[1];
    assert.equal((await change({ kind: 'reassign', giver: 'ax_ann', other: recipient })).statusCode, 200);

    // Sending, then the givers' side.
    const pinchHits = (body: unknown, token = own, name = 'api_swap') =>
      call('pinchHitExchangeRecipient', `/api/v1/collections/${name}/exchange/pinch_hits`, jsonRequest(body, token));
    assert.equal((await pinchHits({ recipient: 'ax_ann', login: 'ax_out' })).statusCode, 409);
    assert.equal((await call('sendExchangeAssignments', `${base}/send`, { method: 'POST', ...withToken(ann) })).statusCode, 403);
    assert.equal(
      (await call('sendExchangeAssignments', '/api/v1/collections/no_such/exchange/send', { method: 'POST', ...withToken(own) }))
        .statusCode,
      404,
    );
    const sent = await call('sendExchangeAssignments', `${base}/send`, { method: 'POST', ...withToken(own) });
    assert.equal(sent.statusCode, 200, sent.body);
    assert.equal(sent.json().sent, 4);
    assert.equal(
      (await call('listMyExchangeAssignments', '/api/v1/collections/no_such/exchange/assignments', withToken(ann))).statusCode,
      404,
    );
    const mine = (await call('listMyExchangeAssignments', `${base}/assignments`, withToken(ann))).json().assignments;
    assert.equal(mine.length, 1);
    assert.equal(mine[0].recipient, recipient);
    const one = `${base}/assignments/${mine[0].id}`;
    assert.equal((await call('getExchangeAssignment', one, withToken(ann))).json().assignment.has_giver, true);
    assert.equal((await call('getExchangeAssignment', one, withToken(tokens.ax_ben!))).statusCode, 404);
    assert.equal((await call('getExchangeAssignment', one, withToken(own))).statusCode, 200);

    // Dan defaults; a maintainer finds a pinch hitter.
    const dans = (await call('listMyExchangeAssignments', `${base}/assignments`, withToken(tokens.ax_dan!))).json().assignments[0];
    const dan = `${base}/assignments/${dans.id}`;
    assert.equal((await call('defaultExchangeAssignment', `${dan}/default`, { method: 'POST', ...withToken(own) })).statusCode, 403);
    assert.equal((await call('defaultExchangeAssignment', `${dan}/default`, { method: 'POST', ...withToken(ann) })).statusCode, 404);
    assert.equal(
      (await call('defaultExchangeAssignment', `${dan}/default`, { method: 'POST', ...withToken(tokens.ax_dan!) })).statusCode,
      200,
    );
    const pinch = (body: unknown, token = own) => call('assignExchangePinchHitter', `${dan}/pinch_hit`, jsonRequest(body, token));
    assert.match((await pinch({ login: 'ax_dan' })).json().error.fields.login, /defaulted on this assignment before/);
    assert.equal((await pinch({ login: 'ax_out' }, ann)).statusCode, 404);
    assert.equal((await pinch({ login: 'ax_out' })).statusCode, 200);
    assert.equal((await pinch({ login: 'ax_out' })).statusCode, 409);
    assert.equal((await call('assignExchangePinchHitter', `${one}/pinch_hit`, jsonRequest({ login: 'ax_out' }, ann))).statusCode, 403);
    assert.equal((await call('getExchangeAssignment', dan, withToken(out))).json().assignment.pinch_hit, true);

    // A sign-up with no giver after sending gets one.
    const exchange = await t.db.selectFrom('gift_exchanges').select('id').executeTakeFirstOrThrow();
    const extra = await t.db.selectFrom('users').select('id').where('login', '=', 'ax_out').executeTakeFirstOrThrow();
    const prompt = JSON.stringify(fandomPrompt('Api Fandom A'));
    await t.db
      .insertInto('exchange_signups')
      .values({ exchange_id: exchange.id, user_id: extra.id, requests: prompt, offers: prompt, updated_at: new Date() })
      .execute();
    assert.equal((await pinchHits({ recipient: 'ax_out', login: 'ax_ben' }, ann)).statusCode, 403);
    assert.equal((await pinchHits({ recipient: 'ax_out', login: 'ax_ben' }, own, 'no_such')).statusCode, 404);
    assert.match((await pinchHits({ recipient: 'ax_ann', login: 'ax_ben' })).json().error.fields.recipient, /already has an assignment/);
    assert.match((await pinchHits({ recipient: 'ax_out', login: 'AX_OUT' })).json().error.fields.login, /cannot write their own gift/);
    const hit = await pinchHits({ recipient: 'ax_out', login: 'ax_ben' });
    assert.equal(hit.statusCode, 201, hit.body);

    // Ann posts her gift.
    const fulfil = (body: unknown, token = ann, url = `${one}/fulfil`) => call('fulfilExchangeAssignment', url, jsonRequest(body, token));
    const work = workIdOf(
      (await visitors.ax_ann!.post('/works', buildWorkForm({ title: 'Api Gift Work', fandoms: 'Api Fandom B' }))).headers.location,
    );
    assert.equal((await fulfil({ work_id: work }, own)).statusCode, 403);
    assert.equal((await fulfil({ work_id: work }, ann, `${base}/assignments/999999/fulfil`)).statusCode, 404);
    assert.equal(
      (await fulfil({ work_id: work }, ann, `/api/v1/collections/no_such/exchange/assignments/${mine[0].id}/fulfil`)).statusCode,
      404,
    );
    assert.match((await fulfil({ work_id: 1 })).json().error.fields.work_id, /There is no posted work 1 of yours/);
    assert.equal((await fulfil({ work_id: 'x' })).statusCode, 422);
    const posted = await fulfil({ work_id: work });
    assert.equal(posted.statusCode, 200, posted.body);
    assert.equal(posted.json().assignment.work_id, work);
    const gift = await t.db.selectFrom('work_gifts').select('recipient_name').where('work_id', '=', work).executeTakeFirstOrThrow();
    assert.equal(gift.recipient_name, recipient);
    assert.equal((await call('defaultExchangeAssignment', `${one}/default`, { method: 'POST', ...withToken(ann) })).statusCode, 422);
  });

  it('takes tag nominations until sign-ups close; maintainers approve (the tag joins the tag set) or reject them', async () => {
    const [own, ann, ben] = [tokens.ax_own!, tokens.ax_ann!, tokens.ax_ben!];
    assert.equal((await visitors.ax_own!.post('/collections', { name: 'api_noms', title: 'Api Noms' })).statusCode, 303);
    const noms = '/api/v1/collections/api_noms/exchange';
    const created = await call('saveExchangeSettings', noms, {
      method: 'PUT',
      ...jsonRequest(settings({ tags_fandom: ['Api Fandom A'], nominations_fandom: 1 }), own),
    });
    assert.equal(created.statusCode, 201, created.body);
    assert.deepEqual(created.json().exchange.nomination_limits, { fandom: 1 });
    assert.equal(created.json().exchange.nominations_open, true);
    const list = (token: string, url = `${noms}/nominations`) => call('getExchangeNominations', url, withToken(token));
    assert.equal((await list(ann, '/api/v1/collections/no_such/exchange/nominations')).statusCode, 404);
    const nominate = (body: unknown, token = ann, url = `${noms}/nominations`) =>
      call('nominateExchangeTags', url, { method: 'POST', ...jsonRequest(body, token) });
    assert.equal(
      (await nominate({ tags: { fandom: ['Api Fandom B'] } }, ann, '/api/v1/collections/no_such/exchange/nominations')).statusCode,
      404,
    );
    const unknown = await nominate({ tags: { fandom: ['No Such Fandom'] } });
    assert.equal(unknown.statusCode, 422);
    assert.match(unknown.json().error.fields.nominate_fandom, /No Such Fandom” is not a fandom tag/);
    assert.equal((await nominate({ tags: { fandom: ['Api Fandom B', 'Api Fandom A'] } })).statusCode, 422);
    assert.equal((await nominate({ tags: 'Api Fandom B' })).statusCode, 422);
    const nominated = await nominate({ tags: { fandom: ['api fandom b'] } });
    assert.equal(nominated.statusCode, 201, nominated.body);
    assert.equal(nominated.json().nominated, 1);
    assert.deepEqual(
      nominated.json().nominations.mine.map((n: { tag: string; status: string }) => [n.tag, n.status]),
      [['Api Fandom B', 'pending']],
    );
    assert.equal(nominated.json().nominations.all, null);
    assert.equal((await nominate({ tags: { fandom: ['Api Fandom B'] } }, ben)).statusCode, 201);
    const all = (await list(own)).json().nominations.all as Array<{ id: number; login: string }>;
    assert.equal(all.length, 2);
    const [annB, benB] = [all.find((n) => n.login === 'ax_ann')!, all.find((n) => n.login === 'ax_ben')!];
    const decide = (id: number, body: unknown, token = own, url = `${noms}/nominations/${id}`) =>
      call('decideExchangeNomination', url, { method: 'POST', ...jsonRequest(body, token) });
    assert.equal((await decide(annB.id, { decision: 'approve' }, ann)).statusCode, 403);
    assert.equal((await decide(999999, { decision: 'approve' })).statusCode, 404);
    assert.equal((await decide(annB.id, { decision: 'maybe' })).statusCode, 422);
    const approved = await decide(annB.id, { decision: 'approve' });
    assert.equal(approved.statusCode, 200, approved.body);
    assert.deepEqual(approved.json().nominations.tag_set, { fandom: ['Api Fandom A', 'Api Fandom B'] });
    assert.equal((await decide(benB.id, { decision: 'reject' })).statusCode, 409);
    assert.equal((await call('getExchange', noms, withToken(ann))).json().exchange.tag_set.fandom.length, 2);

    // The maintainers' own nomination window.
    for (const fandom of ['Api Fandom C', 'Api Fandom D'])
      assert.equal((await visitors.ax_own!.post('/works', buildWorkForm({ title: `Seed ${fandom}`, fandoms: fandom }))).statusCode, 303);
    const save = (overrides: Record<string, unknown>) =>
      call('saveExchangeSettings', noms, {
        method: 'PUT',
        ...jsonRequest(settings({ tags_fandom: ['Api Fandom A', 'Api Fandom B'], nominations_fandom: 3, ...overrides }), own),
      });
    const opensAt = iso(new Date(Date.now() + 86_400_000));
    const later = await save({ nominations_open_at: opensAt, nominations_close_at: null });
    assert.equal(later.statusCode, 200, later.body);
    assert.equal(later.json().exchange.nominations_open, false);
    assert.equal(later.json().exchange.nominations_open_at, `${opensAt}:00.000Z`);
    assert.equal(later.json().exchange.nominations_close_at, later.json().exchange.signups_close_at);
    const early = await nominate({ tags: { fandom: ['Api Fandom C'] } });
    assert.equal(early.statusCode, 422);
    assert.match(early.json().error.message, /Nominations open on .* UTC; come back then/);
    assert.match((await list(ann)).json().nominations.closed_reason, /Nominations open on/);
    const inverted = await save({ nominations_open_at: opensAt, nominations_close_at: iso(new Date(Date.now() + 3_600_000)) });
    assert.equal(inverted.statusCode, 422);
    assert.equal(inverted.json().error.fields.nominations_close_at, 'Nominations must close after they open.');
    assert.equal((await save({})).statusCode, 200);
    assert.equal((await nominate({ tags: { fandom: ['Api Fandom C'] } })).statusCode, 201);
    assert.equal((await nominate({ tags: { fandom: ['Api Fandom C', 'Api Fandom D'] } }, ben)).statusCode, 201);

    // Withdrawing one's own pending nomination; a reviewed one stays.
    const mine = (await list(ann)).json().nominations.mine as Array<{ id: number; tag: string; status: string; decided_at: string | null }>;
    const annC = mine.find((n) => n.tag === 'Api Fandom C')!;
    assert.equal(annC.decided_at, null);
    assert.notEqual(mine.find((n) => n.tag === 'Api Fandom B')!.decided_at, null);
    const withdraw = (id: number, token = ann, url = `${noms}/nominations/${id}`) =>
      call('withdrawExchangeNomination', url, { method: 'DELETE', ...withToken(token) });
    assert.equal((await withdraw(annC.id, ben)).statusCode, 404);
    assert.equal((await withdraw(annC.id, ann, `/api/v1/collections/no_such/exchange/nominations/${annC.id}`)).statusCode, 404);
    const reviewed = await withdraw(annB.id);
    assert.equal(reviewed.statusCode, 409);
    assert.match(reviewed.json().error.message, /a reviewed nomination cannot be withdrawn/);
    assert.equal((await withdraw(annC.id)).statusCode, 204);
    assert.equal((await withdraw(annC.id)).statusCode, 404);
    assert.equal((await list(ann)).json().nominations.mine.length, 1);

    // A review of many at once: one notice per nominator.
    const everyone = (await list(own)).json().nominations.all as Array<{ id: number; login: string; tag: string; status: string }>;
    const benOf = (tag: string) => everyone.find((n) => n.login === 'ax_ben' && n.tag === tag)!.id;
    const [benC, benD] = [benOf('Api Fandom C'), benOf('Api Fandom D')];
    const review = (body: unknown, token = own, url = `${noms}/nominations/review`) =>
      call('reviewExchangeNominations', url, { method: 'POST', ...jsonRequest(body, token) });
    const notices = async () =>
      (
        await t.db
          .selectFrom('inbox_items')
          .innerJoin('users', 'users.id', 'inbox_items.user_id')
          .select('inbox_items.text')
          .where('users.login', '=', 'ax_ben')
          .where('inbox_items.kind', '=', 'exchange.nominations')
          .orderBy('inbox_items.id')
          .execute()
      ).map((n) => n.text);
    const before = await notices();
    assert.equal((await review({ decisions: [{ id: benC, decision: 'approve' }] }, ann)).statusCode, 403);
    assert.equal(
      (await review({ decisions: [{ id: benC, decision: 'approve' }] }, own, '/api/v1/collections/no_such/exchange/nominations/review'))
        .statusCode,
      404,
    );
    assert.equal((await review({ decisions: [] })).statusCode, 422);
    assert.equal((await review({ decisions: [{ id: benC, decision: 'maybe' }] })).statusCode, 422);
    const gone = await review({
      decisions: [
        { id: benC, decision: 'approve' },
        { id: annC.id, decision: 'reject' },
      ],
    });
    assert.equal(gone.statusCode, 404);
    assert.match(gone.json().error.message, /may have been withdrawn/);
    const done = await review({
      decisions: [
        { id: benC, decision: 'approve' },
        { id: benD, decision: 'reject' },
      ],
    });
    assert.equal(done.statusCode, 200, done.body);
    assert.deepEqual(done.json().approved, [{ id: benC, type: 'fandom', tag: 'Api Fandom C' }]);
    assert.deepEqual(done.json().rejected, [{ id: benD, type: 'fandom', tag: 'Api Fandom D' }]);
    assert.deepEqual(done.json().nominations.tag_set, { fandom: ['Api Fandom A', 'Api Fandom B', 'Api Fandom C'] });
    assert.deepEqual((await notices()).slice(before.length), [
      'The maintainers of Api Noms reviewed your tag nominations: approved Api Fandom C (now in the tag set); rejected Api Fandom D.',
    ]);
    assert.equal((await review({ decisions: [{ id: benD, decision: 'approve' }] })).statusCode, 409);
  });

  it('answers every operation the same way without a token, without its scope, and with a body that is not JSON', async () => {
    await assertSharedAnswers(api, EXCHANGE_OPERATION_IDS, { readOnly: await readOnlyToken('ax_out'), writer: tokens.ax_out! });
  });

  it('rate limits every operation with a documented 429', async () => {
    await assertRateLimited(t, api, EXCHANGE_OPERATION_IDS, '10.9.9.8');
  });

  it('has every documented status of these operations produced by some request above', () => {
    assert.deepEqual(api.unseen(EXCHANGE_OPERATION_IDS), []);
  });
});
