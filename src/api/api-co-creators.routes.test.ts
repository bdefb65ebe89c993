import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { InjectOptions } from 'fastify';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { buildWorkForm } from '../../test/factories.ts';
import { workIdOf } from '../../test/staff.ts';
import { hashToken, newToken } from '../lib/tokens.ts';
import { READS_PER_MINUTE, WRITES_PER_MINUTE } from './api.schema.ts';
import { CO_CREATOR_OPERATION_IDS } from './api-co-creators.openapi.ts';
import type { OpenApiDocument } from './openapi.ts';
import { DocumentedCaller } from './openapi.test-helpers.ts';
import { jsonRequest, withToken, signUpWithToken } from './api-tokens.test-helpers.ts';

// Co-creators and orphaning through the API (api-co-creators.routes.ts): each answer checked against
// the OpenAPI document, the answers every operation shares, and every documented status produced.

describe('API operations of co-creators and orphaning', () => {
  let t: TestApp;
  let api: DocumentedCaller;
  const tokens: Record<string, string> = {};
  const visitors: Record<string, TestVisitor> = {};

  const call = (operationId: string, url: string, options: Partial<InjectOptions> = {}) => api.call(operationId, { url, ...options });
  const status = async (operationId: string, url: string, options: Partial<InjectOptions> = {}) =>
    (await call(operationId, url, options)).statusCode;
  const idOfUser = async (login: string) =>
    (await t.db.selectFrom('users').select('id').where('login', '=', login).executeTakeFirstOrThrow()).id;

  async function personalToken(login: string): Promise<string> {
    const { visitor, token } = await signUpWithToken(t, login);
    visitors[login] = visitor;
    return token;
  }

  /** An app's access token for `login` holding only `scopes`, as the consent page stores it. */
  async function appToken(login: string, scopes: string[]): Promise<string> {
    const app = await t.db
      .insertInto('oauth_apps')
      .values({
        client_id: `ffc_${newToken().slice(0, 20)}`,
        owner_user_id: await idOfUser(login),
        name: 'Test app',
        redirect_uri: 'https://app.example/cb',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const token = `ffa_${newToken()}`;
    await t.db
      .insertInto('oauth_tokens')
      .values({
        access_token_hash: hashToken(token),
        access_expires_at: new Date(Date.now() + 3600_000),
        refresh_token_hash: hashToken(`ffr_${newToken()}`),
        refresh_expires_at: new Date(Date.now() + 86400_000),
        app_id: app.id,
        user_id: await idOfUser(login),
        scopes,
      })
      .execute();
    return token;
  }

  const postWork = async (login: string, overrides: Record<string, string> = {}) =>
    workIdOf((await visitors[login]!.post('/works', buildWorkForm(overrides))).headers.location);

  before(async () => {
    t = await createTestApp({ PAGE_CACHE: 'off' });
    api = new DocumentedCaller(t.app, (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as OpenApiDocument);
    for (const who of ['cc_ann', 'cc_ben', 'cc_cat']) tokens[who] = await personalToken(who);
  });
  after(() => t.close());

  it('invites, lists, accepts, edits as a co-creator, and leaves; refuses what the pages refuse', async () => {
    const ann = tokens.cc_ann!;
    const ben = tokens.cc_ben!;
    const cat = tokens.cc_cat!;
    const work = await postWork('cc_ann', { title: 'API Shared' });
    const invite = (id: number, body: unknown, token: string) =>
      call('inviteWorkCoCreator', `/api/v1/works/${id}/co_creator_invitations`, jsonRequest(body, token));

    const sent = await invite(work, { pseud: 'cc_ben' }, ann);
    assert.equal(sent.statusCode, 201, sent.body);
    assert.deepEqual(sent.json().invitation.status, 'invited');
    assert.equal(sent.json().invitation.target.title, 'API Shared');
    assert.equal((await invite(work, { pseud: 'nobody_here' }, ann)).statusCode, 422);
    assert.match((await invite(work, { pseud: 'cc_ben' }, ann)).json().errors.pseud, /invited already/);
    assert.equal((await invite(work, { pseud: 42 }, ann)).statusCode, 422);
    assert.equal((await invite(work, { pseud: 'cc_cat' }, cat)).statusCode, 403);
    assert.equal((await invite(999999, { pseud: 'cc_cat' }, ann)).statusCode, 404);

    const listed = await call('listCoCreatorInvitations', '/api/v1/me/co_creator_invitations', withToken(ben));
    assert.equal(listed.statusCode, 200);
    const [invitation] = listed.json().invitations;
    assert.equal(invitation.invited_by, 'cc_ann');
    assert.equal(listed.json().allows_invitations, true);
    // Not credited before accepting.
    assert.equal(await status('leaveWorkCredits', `/api/v1/works/${work}/creators/me`, withToken(ben)), 403);
    const answer = (id: number, body: unknown, token: string) =>
      call('answerCoCreatorInvitation', `/api/v1/me/co_creator_invitations/${id}`, jsonRequest(body, token));
    assert.equal((await answer(invitation.id, { answer: 'maybe' }, ben)).statusCode, 422);
    assert.equal((await answer(invitation.id, { answer: 'accept' }, cat)).statusCode, 404);
    const accepted = await answer(invitation.id, { answer: 'accept' }, ben);
    assert.equal(accepted.statusCode, 200, accepted.body);
    assert.equal(accepted.json().invitation.target.id, work);
    const edited = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/works/${work}`,
      ...jsonRequest(
        { title: 'API Shared, Edited', rating: 'General Audiences', warnings: ['No Archive Warnings Apply'], fandoms: ['Test Fandom'] },
        ben,
      ),
    });
    assert.equal(edited.statusCode, 200, `the co-creator edits the work: ${edited.body.slice(0, 300)}`);

    assert.equal(await status('leaveWorkCredits', `/api/v1/works/${work}/creators/me`, withToken(ann)), 204);
    assert.equal(await status('leaveWorkCredits', `/api/v1/works/${work}/creators/me`, withToken(ben)), 422);
    assert.equal(await status('leaveWorkCredits', '/api/v1/works/999999/creators/me', withToken(ben)), 404);

    // Series: invite, decline, the preference, leaving as the only creator.
    const series = await visitors.cc_cat!.post('/series', { title: 'API Series', summary: '', notes: '' });
    const seriesId = Number(/\/series\/(\d+)/.exec(String(series.headers.location))![1]);
    const inviteSeries = (id: number, body: unknown, token: string) =>
      call('inviteSeriesCoCreator', `/api/v1/series/${id}/co_creator_invitations`, jsonRequest(body, token));
    assert.equal((await inviteSeries(seriesId, { pseud: 'cc_ann' }, cat)).statusCode, 201);
    assert.equal((await inviteSeries(seriesId, { pseud: 'cc_ann' }, ann)).statusCode, 403);
    assert.equal((await inviteSeries(999999, { pseud: 'cc_ann' }, cat)).statusCode, 404);
    assert.equal((await inviteSeries(seriesId, { pseud: 'cc_ann' }, cat)).statusCode, 422);
    const annInvitations = (await call('listCoCreatorInvitations', '/api/v1/me/co_creator_invitations', withToken(ann))).json().invitations;
    assert.equal((await answer(annInvitations[0].id, { answer: 'decline' }, ann)).statusCode, 200);
    assert.equal(await status('leaveSeriesCredits', `/api/v1/series/${seriesId}/creators/me`, withToken(cat)), 422);
    assert.equal(await status('leaveSeriesCredits', `/api/v1/series/${seriesId}/creators/me`, withToken(ann)), 403);
    assert.equal(await status('leaveSeriesCredits', '/api/v1/series/999999/creators/me', withToken(ann)), 404);
    assert.equal((await inviteSeries(seriesId, { pseud: 'cc_ben' }, cat)).statusCode, 201);
    const benInvitations = (await call('listCoCreatorInvitations', '/api/v1/me/co_creator_invitations', withToken(ben))).json().invitations;
    assert.equal((await answer(benInvitations[0].id, { answer: 'accept' }, ben)).statusCode, 200);
    assert.equal(await status('leaveSeriesCredits', `/api/v1/series/${seriesId}/creators/me`, withToken(ben)), 204);

    const preference = (body: unknown, token: string) =>
      call('updateCoCreatorPreference', '/api/v1/me/co_creator_preference', jsonRequest(body, token));
    assert.equal((await preference({ allows_invitations: false }, cat)).statusCode, 200);
    assert.equal((await preference({ allows_invitations: 'no' }, cat)).statusCode, 422);
    const refused = await invite(await postWork('cc_ann'), { pseud: 'cc_cat' }, ann);
    assert.equal(refused.statusCode, 422);
    assert.match(refused.json().errors.pseud, /does not accept co-creator invitations from you/);
  });

  it('orphans a work, a series and all works; refuses drafts and others’ works', async () => {
    const ann = tokens.cc_ann!;
    const cat = tokens.cc_cat!;
    const work = await postWork('cc_ann', { title: 'API Orphan' });
    const draft = await postWork('cc_ann', { title: 'API Draft', action: 'draft' });
    const orphan = (id: number, body: unknown, token: string) => call('orphanWork', `/api/v1/works/${id}/orphan`, jsonRequest(body, token));
    assert.equal((await orphan(work, { keep_pseud: 'yes' }, ann)).statusCode, 422);
    assert.equal((await orphan(work, { keep_pseud: true }, cat)).statusCode, 403);
    assert.equal((await orphan(999999, { keep_pseud: true }, ann)).statusCode, 404);
    assert.match((await orphan(draft, { keep_pseud: true }, ann)).json().errors._body, /Drafts cannot be orphaned/);
    const done = await orphan(work, { keep_pseud: true }, ann);
    assert.equal(done.statusCode, 200, done.body);
    assert.equal(done.json().orphaned.title, 'API Orphan');
    const page = await new TestVisitor(t.app).get(`/works/${work}`);
    assert.match(page.body, /cc_ann \(orphan_account\)/);

    const series = await visitors.cc_ann!.post('/series', { title: 'API Orphan Series', summary: '', notes: '' });
    const seriesId = Number(/\/series\/(\d+)/.exec(String(series.headers.location))![1]);
    assert.equal(await status('orphanSeries', `/api/v1/series/${seriesId}/orphan`, withToken(cat)), 403);
    assert.equal(await status('orphanSeries', '/api/v1/series/999999/orphan', withToken(ann)), 404);
    assert.equal(await status('orphanSeries', `/api/v1/series/${seriesId}/orphan`, withToken(ann)), 200);

    const all = (body: unknown, token: string) => call('orphanAllWorks', '/api/v1/me/orphan_works', jsonRequest(body, token));
    assert.equal((await all({}, ann)).statusCode, 422);
    const orphanedAll = await all({ keep_pseud: false }, ann);
    assert.equal(orphanedAll.statusCode, 200, orphanedAll.body);
    assert.ok(orphanedAll.json().orphaned >= 1);
    assert.match((await all({ keep_pseud: false }, ann)).json().errors._body, /no posted works/);

    const allSeries = (body: unknown, token: string) => call('orphanAllSeries', '/api/v1/me/orphan_series', jsonRequest(body, token));
    const mine = await visitors.cc_ann!.post('/series', { title: 'API All Series', summary: '', notes: '' });
    const mineId = Number(/\/series\/(\d+)/.exec(String(mine.headers.location))![1]);
    assert.equal((await allSeries({}, ann)).statusCode, 422);
    assert.equal((await allSeries({ confirm: false }, ann)).statusCode, 422);
    const seriesDone = await allSeries({ confirm: true }, ann);
    assert.equal(seriesDone.statusCode, 200, seriesDone.body);
    assert.equal(seriesDone.json().orphaned, 1);
    assert.equal((await visitors.cc_ann!.get(`/series/${mineId}/edit`)).statusCode, 403);
    assert.match((await allSeries({ confirm: true }, ann)).json().errors._body, /no series to orphan/);
  });

  /** A request for each operation that reaches its checks. */
  const anyRequest = (path: string) => path.replace(/\{(\w+)\}/g, '999999');

  it('answers every operation the same way without a token, without its scope, and with a body that is not JSON', async () => {
    const readOnly = await appToken('cc_cat', ['read']);
    const writer = tokens.cc_cat!;
    for (const id of CO_CREATOR_OPERATION_IDS) {
      const { method, path, op } = api.operations.get(id)!;
      const url = anyRequest(path);
      const body = op.requestBody?.content['application/json']?.example;
      const none = await call(id, url, body === undefined ? {} : jsonRequest(body, null));
      assert.equal(none.statusCode, 401, `${id} without a token`);
      assert.match(String(none.headers['www-authenticate']), /^Bearer/);
      if (method !== 'get') {
        const refused = await call(id, url, body === undefined ? withToken(readOnly) : jsonRequest(body, readOnly));
        assert.equal(refused.statusCode, 403, `${id} with a read-only app token`);
        assert.match(String(refused.headers['www-authenticate']), /insufficient_scope/);
      }
      if (body !== undefined) {
        assert.equal((await call(id, url, jsonRequest('{"oops":', writer))).statusCode, 400, `${id} with broken JSON`);
        assert.equal((await call(id, url, jsonRequest('hello', writer, 'text/plain'))).statusCode, 415, `${id} with text`);
      }
    }
  });

  it('rate limits every operation with a documented 429', async () => {
    for (const id of CO_CREATOR_OPERATION_IDS) {
      const { method, path } = api.operations.get(id)!;
      const max = method === 'get' ? READS_PER_MINUTE : WRITES_PER_MINUTE;
      const request: InjectOptions = { method: method.toUpperCase() as 'GET', url: anyRequest(path), remoteAddress: '10.9.9.8' };
      for (let i = 0; i < max; i += 1) await t.app.inject(request);
      const limited = await api.call(id, request);
      assert.equal(limited.statusCode, 429, id);
      assert.ok(Number(limited.headers['retry-after']) > 0, `${id} says when to retry`);
    }
  });

  it('has every documented status of these operations produced by some request above', () => {
    assert.deepEqual(api.unseen(CO_CREATOR_OPERATION_IDS), []);
  });
});
