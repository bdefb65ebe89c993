import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { InjectOptions } from 'fastify';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { WRITES_PER_MINUTE } from './api.schema.ts';
import { ANONYMITY_OPERATION_IDS } from './api-collections-anonymity.openapi.ts';
import type { OpenApiDocument } from './openapi.ts';
import { DocumentedCaller } from './openapi.test-helpers.ts';

// The reveal through the API (decision 043): each answer checked against the OpenAPI document,
// and every documented status produced.
describe('API: revealing an anonymous or unrevealed collection', () => {
  let t: TestApp;
  let api: DocumentedCaller;
  const tokens: Record<string, string> = {};
  const bearer = (token: string): Partial<InjectOptions> => ({ headers: { authorization: `Bearer ${token}` } });
  const reveal = (name: string, options: Partial<InjectOptions> = {}) =>
    api.call('revealCollection', { url: `/api/v1/collections/${name}/reveal`, ...options });

  before(async () => {
    t = await createTestApp();
    api = new DocumentedCaller(t.app, (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as OpenApiDocument);
    for (const who of ['keeper', 'stranger']) {
      const visitor = await new TestVisitor(t.app).signUp(`reveal_${who}`);
      if (who === 'keeper') {
        assert.equal((await visitor.post('/collections', { name: 'api_masked', title: 'API Masked', anonymous: '1' })).statusCode, 303);
      }
      const page = await visitor.post(`/users/reveal_${who}/api_tokens`, { name: 'tests' });
      tokens[who] = /ff_[A-Za-z0-9_-]{43}/.exec(page.body)![0];
    }
  });
  after(() => t.close());

  it('reveals for a maintainer only, once, audited', async () => {
    assert.equal((await reveal('api_masked')).statusCode, 401);
    const refused = await reveal('api_masked', bearer(tokens.stranger!));
    assert.equal(refused.statusCode, 403);
    assert.match(refused.json().error.message, /Only the owners and moderators/);
    assert.equal((await reveal('no_such_collection', bearer(tokens.keeper!))).statusCode, 404);
    const done = await reveal('API_MASKED', bearer(tokens.keeper!));
    assert.equal(done.statusCode, 200);
    assert.deepEqual(done.json().collection.anonymous, false);
    const row = await t.db.selectFrom('collections').select(['is_anonymous']).where('name', '=', 'api_masked').executeTakeFirstOrThrow();
    assert.equal(row.is_anonymous, false);
    const audit = await t.db.selectFrom('audit_log').select('action').where('action', '=', 'collection.reveal').execute();
    assert.equal(audit.length, 1);
    const again = await reveal('api_masked', bearer(tokens.keeper!));
    assert.equal(again.statusCode, 409);
    assert.match(again.json().error.message, /nothing to reveal/);
  });

  it('rate limits the reveal with a documented 429, and produced every documented status', async () => {
    const request: InjectOptions = { method: 'POST', url: '/api/v1/collections/api_masked/reveal', remoteAddress: '10.9.9.8' };
    for (let i = 0; i < WRITES_PER_MINUTE; i += 1) await t.app.inject(request);
    const limited = await api.call('revealCollection', request);
    assert.equal(limited.statusCode, 429);
    assert.deepEqual(api.unseen(ANONYMITY_OPERATION_IDS), []);
  });
});
