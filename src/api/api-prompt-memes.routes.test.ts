import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { InjectOptions } from 'fastify';
import { createTestApp, type TestVisitor, type TestApp } from '../../test/app.ts';
import { buildWorkForm } from '../../test/factories.ts';
import { workIdOf } from '../../test/staff.ts';
import { PROMPT_OPERATION_IDS } from './api-prompt-memes.openapi.ts';
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

// Prompt memes through the API (api-prompt-memes.routes.ts): each answer checked against the
// OpenAPI document, the answers every operation shares, and every documented status produced.

describe('API operations of prompt memes', () => {
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
    for (const who of ['pm_mod', 'pm_asker', 'pm_writer', 'ag_cat']) tokens[who] = await personalToken(who);
    const made = await visitors.pm_mod!.post('/collections', { name: 'api_meme', title: 'API Meme', description: '', rules: '', faq: '' });
    assert.equal(made.statusCode, 303, made.body.slice(0, 300));
  });
  after(() => t.close());

  it('starts the meme, posts an anonymous prompt, claims, fills, lists with filters, edits and deletes', async () => {
    const [mod, asker, writer, cat] = [tokens.pm_mod!, tokens.pm_asker!, tokens.pm_writer!, tokens.ag_cat!];
    const settings = (name: string, body: unknown, token: string) =>
      call('updatePromptMeme', `/api/v1/collections/${name}/prompt_meme`, { method: 'PUT', ...jsonRequest(body, token) });
    assert.equal((await settings('api_meme', { prompts_open: true }, mod)).statusCode, 200);
    assert.equal((await settings('api_meme', { prompts_open: true }, cat)).statusCode, 403);
    assert.equal((await settings('no_such_meme', { prompts_open: true }, mod)).statusCode, 404);
    assert.equal((await settings('api_meme', { prompts_open: 'yes' }, mod)).statusCode, 422);

    const create = (body: unknown, token: string, name = 'api_meme') =>
      call('createPrompt', `/api/v1/collections/${name}/prompts`, jsonRequest(body, token));
    assert.equal((await create({ title: 'x', fandoms: ['F'] }, asker, 'no_such_meme')).statusCode, 404);
    const bad = await create({ title: '', fandoms: [] }, asker);
    assert.equal(bad.statusCode, 422);
    assert.ok(bad.json().errors.title && bad.json().errors.fandoms, bad.body);
    const posted = await create(
      { title: 'API prompt', fandoms: ['API Fandom'], freeforms: ['Fluff'], description: '<p>hi<script>x</script></p>', anonymous: true },
      asker,
    );
    assert.equal(posted.statusCode, 201, posted.body);
    const id = posted.json().prompt.id as number;
    assert.equal(posted.json().prompt.prompter, 'pm_asker', 'the prompter sees themselves');
    const seen = await call('getPrompt', `/api/v1/prompts/${id}`, withToken(writer));
    assert.equal(seen.json().prompt.prompter, null);
    assert.equal(seen.json().prompt.prompter_name, 'Anonymous');
    assert.doesNotMatch(seen.body, /pm_asker/);
    assert.doesNotMatch(seen.body, /<script/);
    assert.equal((await call('getPrompt', '/api/v1/prompts/999999', withToken(writer))).statusCode, 404);

    const claim = (token: string, method: 'POST' | 'DELETE', pid = id) =>
      call(method === 'POST' ? 'claimPrompt' : 'unclaimPrompt', `/api/v1/prompts/${pid}/claim`, { method, ...withToken(token) });
    assert.equal((await claim(writer, 'POST', 999999)).statusCode, 404);
    assert.equal((await claim(writer, 'DELETE', 999999)).statusCode, 404);
    assert.equal((await claim(cat, 'DELETE')).statusCode, 422);
    assert.deepEqual((await claim(cat, 'POST')).json().prompt.claimants, ['ag_cat']);
    assert.deepEqual((await claim(cat, 'DELETE')).json().prompt.claimants, []);
    assert.equal((await claim(writer, 'POST')).statusCode, 200);

    const fill = (body: unknown, token: string, pid = id) => call('fillPrompt', `/api/v1/prompts/${pid}/fills`, jsonRequest(body, token));
    const work = await postWork('pm_writer', { title: 'API Fill' });
    assert.equal((await fill({ work_id: work }, writer, 999999)).statusCode, 404);
    assert.match((await fill({ work_id: work }, cat)).json().errors.work_id, /Claim this prompt/);
    assert.equal((await fill({ work_id: 'x' }, writer)).statusCode, 422);
    const filled = await fill({ work_id: work }, writer);
    assert.equal(filled.statusCode, 201, filled.body);
    assert.equal(filled.json().outcome, 'approved');
    assert.equal(filled.json().prompt.fills[0].title, 'API Fill');
    assert.equal(filled.json().prompt.state, 'filled');
    // A user the prompter blocked keeps no way in: neither a new claim nor a fill of an old one.
    assert.equal((await claim(cat, 'POST')).statusCode, 200);
    assert.equal((await visitors.pm_asker!.post('/users/pm_asker/blocked', { user: 'ag_cat', action: 'add' })).statusCode, 303);
    const barred = await claim(cat, 'POST');
    assert.equal(barred.statusCode, 403);
    assert.match(barred.body, /You cannot claim or fill this prompt\./);
    const catsWork = await postWork('ag_cat', { title: 'Barred Fill' });
    const barredFill = await fill({ work_id: catsWork }, cat);
    assert.equal(barredFill.statusCode, 403);
    assert.match(barredFill.body, /You cannot claim or fill this prompt\./);
    assert.equal((await visitors.pm_asker!.post('/users/pm_asker/blocked', { user: 'ag_cat', action: 'remove' })).statusCode, 303);
    assert.equal((await claim(cat, 'DELETE')).statusCode, 200);

    const list = (query: string, token: string, name = 'api_meme') =>
      call('listPrompts', `/api/v1/collections/${name}/prompts${query}`, withToken(token));
    assert.equal((await list('?state=filled', cat)).json().prompts.length, 1);
    assert.equal((await list('?state=unclaimed', cat)).json().prompts.length, 0);
    assert.equal((await list('?tag=API+Fandom&exclude_tag=Fluff', cat)).json().prompts.length, 0);
    assert.equal((await list('?mine=claims', writer)).json().prompts.length, 1);
    assert.equal((await list('', cat, 'no_such_meme')).statusCode, 404);
    assert.equal((await list('?state=done', cat)).statusCode, 422);

    const update = (body: unknown, token: string, pid = id) =>
      call('updatePrompt', `/api/v1/prompts/${pid}`, { method: 'PUT', ...jsonRequest(body, token) });
    assert.equal((await update({ title: 'Hijack', fandoms: ['F'] }, cat)).statusCode, 403);
    assert.equal((await update({ title: 'Hijack', fandoms: ['F'] }, asker, 999999)).statusCode, 404);
    assert.equal((await update({ title: '', fandoms: ['F'] }, asker)).statusCode, 422);
    const updated = await update({ title: 'API prompt, edited', fandoms: ['API Fandom'] }, asker);
    assert.equal(updated.statusCode, 200, updated.body);
    assert.equal(updated.json().prompt.anonymous, false);

    const remove = (token: string, pid = id) => call('deletePrompt', `/api/v1/prompts/${pid}`, { method: 'DELETE', ...withToken(token) });
    assert.equal((await remove(cat)).statusCode, 403);
    assert.equal((await remove(mod, 999999)).statusCode, 404);
    assert.equal((await remove(mod)).statusCode, 204);
    assert.equal((await call('getPrompt', `/api/v1/prompts/${id}`, withToken(writer))).statusCode, 404);
  });

  it('answers every operation the same way without a token, without its scope, and with a body that is not JSON', async () => {
    await assertSharedAnswers(api, PROMPT_OPERATION_IDS, { readOnly: await readOnlyToken('ag_cat'), writer: tokens.ag_cat! });
  });

  it('rate limits every operation with a documented 429', async () => {
    await assertRateLimited(t, api, PROMPT_OPERATION_IDS, '10.9.9.8');
  });

  it('has every documented status of these operations produced by some request above', () => {
    assert.deepEqual(api.unseen(PROMPT_OPERATION_IDS), []);
  });
});
