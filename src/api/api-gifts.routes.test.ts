import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { InjectOptions } from 'fastify';
import { createTestApp, type TestVisitor, type TestApp } from '../../test/app.ts';
import { buildWorkForm } from '../../test/factories.ts';
import { workIdOf } from '../../test/staff.ts';
import { GIFT_OPERATION_IDS } from './api-gifts.openapi.ts';
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

// Gifts and related works through the API (api-gifts.routes.ts): each answer checked against the
// OpenAPI document, the answers every operation shares, and every documented status produced.

describe('API operations of gifts and related works', () => {
  let t: TestApp;
  let api: DocumentedCaller;
  const tokens: Record<string, string> = {};
  const visitors: Record<string, TestVisitor> = {};

  const call = (operationId: string, url: string, options: Partial<InjectOptions> = {}) => api.call(operationId, { url, ...options });

  async function personalToken(login: string): Promise<string> {
    const { visitor, token } = await signUpWithToken(t, login);
    visitors[login] = visitor;
    return token;
  }
  const readOnlyToken = (login: string) => readOnlyAppToken(t.db, login);
  const postWork = async (login: string, overrides: Record<string, string> = {}) =>
    workIdOf((await visitors[login]!.post('/works', buildWorkForm(overrides))).headers.location);

  before(async () => {
    t = await createTestApp({ PAGE_CACHE: 'off' });
    api = new DocumentedCaller(t.app, (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as OpenApiDocument);
    for (const who of ['ag_ann', 'ag_ben', 'ag_cat']) tokens[who] = await personalToken(who);
  });
  after(() => t.close());

  it('gives a work, lists and refuses the gift, and refuses what the form refuses', async () => {
    const [ann, ben, cat] = [tokens.ag_ann!, tokens.ag_ben!, tokens.ag_cat!];
    const work = await postWork('ag_ann', { title: 'API Gift' });
    const give = (id: number, body: unknown, token: string) => call('setWorkGifts', `/api/v1/works/${id}/gifts`, jsonRequest(body, token));
    const given = await give(work, { recipients: ['ag_ben', 'Someone Far'] }, ann);
    assert.equal(given.statusCode, 200, given.body);
    assert.deepEqual(
      given.json().gifts.map((g: { name: string; login: string | null }) => [g.name, g.login]),
      [
        ['ag_ben', 'ag_ben'],
        ['Someone Far', null],
      ],
    );
    assert.equal((await give(work, { recipients: ['ag_ann'] }, ann)).statusCode, 422);
    assert.match((await give(work, { recipients: ['ag_ann'] }, ann)).json().errors.recipients, /yourself/);
    assert.equal((await give(work, { recipients: 'ag_ben' }, ann)).statusCode, 422);
    assert.equal((await give(work, { recipients: ['ag_ben'] }, cat)).statusCode, 403);
    assert.equal((await give(999999, { recipients: ['ag_ben'] }, ann)).statusCode, 404);
    assert.equal((await call('getWorkGifts', `/api/v1/works/${work}/gifts`, withToken(ann))).json().gifts.length, 2);
    assert.equal((await call('getWorkGifts', `/api/v1/works/${work}/gifts`, withToken(cat))).statusCode, 403);
    assert.equal((await call('getWorkGifts', '/api/v1/works/999999/gifts', withToken(ann))).statusCode, 404);

    const mine = await call('listMyGifts', '/api/v1/me/gifts', withToken(ben));
    assert.equal(mine.statusCode, 200);
    const [gift] = mine.json().gifts;
    assert.equal(gift.title, 'API Gift');
    assert.equal((await call('refuseGift', `/api/v1/me/gifts/${gift.id}/refuse`, withToken(cat))).statusCode, 404);
    const refused = await call('refuseGift', `/api/v1/me/gifts/${gift.id}/refuse`, withToken(ben));
    assert.equal(refused.statusCode, 200, refused.body);
    assert.equal((await call('listMyGifts', '/api/v1/me/gifts', withToken(ben))).json().gifts.length, 0);
    assert.match((await give(work, { recipients: ['ag_ben'] }, ann)).json().errors.recipients, /refused this gift/);
  });

  it('links a translation, lets the parent’s creator approve and remove it, and takes it off', async () => {
    const [ann, ben, cat] = [tokens.ag_ann!, tokens.ag_ben!, tokens.ag_cat!];
    const parent = await postWork('ag_ann', { title: 'API Parent' });
    const child = await postWork('ag_ben', { title: 'API Child' });
    const add = (id: number, body: unknown, token: string) =>
      call('addRelatedWork', `/api/v1/works/${id}/related_works`, jsonRequest(body, token));
    const added = await add(child, { relation: 'translation_of', url: String(parent) }, ben);
    assert.equal(added.statusCode, 201, added.body);
    const [link] = added.json().related_works;
    assert.equal(link.status, 'pending');
    assert.equal(link.work_url, `http://archive.test/works/${parent}`);
    assert.match((await add(child, { relation: 'translation_of', url: String(parent) }, ben)).json().errors.url, /already linked/);
    assert.equal((await add(child, { relation: 'remix_of', url: 'ftp://example.org/x' }, ben)).statusCode, 422);
    assert.equal((await add(child, { relation: 'sequel_of', url: '1' }, ben)).statusCode, 422);
    assert.equal((await add(child, { relation: 'remix_of', url: 'https://example.org/x' }, ben)).json().errors.title !== undefined, true);
    assert.equal((await add(child, { relation: 'remix_of', url: String(parent) }, cat)).statusCode, 403);
    assert.equal((await add(999999, { relation: 'remix_of', url: String(parent) }, ben)).statusCode, 404);
    assert.equal(
      (await call('getWorkRelatedWorks', `/api/v1/works/${child}/related_works`, withToken(ben))).json().related_works.length,
      1,
    );
    assert.equal((await call('getWorkRelatedWorks', `/api/v1/works/${child}/related_works`, withToken(cat))).statusCode, 403);
    assert.equal((await call('getWorkRelatedWorks', '/api/v1/works/999999/related_works', withToken(ben))).statusCode, 404);

    const pending = await call('listLinksToMyWorks', '/api/v1/me/related_works', withToken(ann));
    assert.equal(pending.json().related_works[0].title, 'API Child');
    const decide = (action: string, id: number, token: string) =>
      call(`${action}RelatedWork`, `/api/v1/me/related_works/${id}/${action}`, withToken(token));
    assert.equal((await decide('approve', link.id, ben)).statusCode, 403);
    assert.equal((await decide('remove', link.id, cat)).statusCode, 403);
    assert.equal((await decide('approve', 999999, ann)).statusCode, 404);
    assert.equal((await decide('remove', 999999, ann)).statusCode, 404);
    assert.equal((await decide('approve', link.id, ann)).json().related_work.status, 'approved');
    assert.match((await t.app.inject({ url: `/works/${parent}` })).body, /API Child/);
    assert.equal((await decide('remove', link.id, ann)).json().related_work.status, 'removed');

    const remove = (id: number, linkId: number, token: string) =>
      call('deleteRelatedWork', `/api/v1/works/${id}/related_works/${linkId}`, withToken(token));
    assert.equal((await remove(child, link.id, cat)).statusCode, 403);
    assert.equal((await remove(child, 999999, ben)).statusCode, 404);
    assert.equal((await remove(child, link.id, ben)).statusCode, 204);
    assert.equal(
      (await call('getWorkRelatedWorks', `/api/v1/works/${child}/related_works`, withToken(ben))).json().related_works.length,
      0,
    );
  });

  it('answers every operation the same way without a token, without its scope, and with a body that is not JSON', async () => {
    await assertSharedAnswers(api, GIFT_OPERATION_IDS, { readOnly: await readOnlyToken('ag_cat'), writer: tokens.ag_cat! });
  });

  it('rate limits every operation with a documented 429', async () => {
    await assertRateLimited(t, api, GIFT_OPERATION_IDS, '10.9.9.7');
  });

  it('has every documented status of these operations produced by some request above', () => {
    assert.deepEqual(api.unseen(GIFT_OPERATION_IDS), []);
  });
});
