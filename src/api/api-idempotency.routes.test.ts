import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { IDEMPOTENCY_TTL_MS, IdempotencyStore } from './api-idempotency.ts';
import { CREATE_WORK_EXAMPLE } from './openapi.ts';

// A client that times out and retries a POST with the same Idempotency-Key posts once, whichever
// server process the retry reaches (the keys are in the database, migration 0021).
describe('Idempotency-Key on API POSTs', () => {
  let t: TestApp;
  let token: string;
  let other: string;

  const tokenOf = async (login: string) => {
    const visitor = await new TestVisitor(t.app).signUp(login);
    return /ff_[A-Za-z0-9_-]{43}/.exec((await visitor.post(`/users/${login}/api_tokens`, { name: 'retry' })).body)![0];
  };
  const post = (body: unknown, key: string | undefined, auth = token, app: FastifyInstance = t.app) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/works',
      headers: {
        authorization: `Bearer ${auth}`,
        'content-type': 'application/json',
        ...(key === undefined ? {} : { 'idempotency-key': key }),
      },
      payload: JSON.stringify(body),
    });
  const worksTitled = async (title: string) => (await t.db.selectFrom('works').select('id').where('title', '=', title).execute()).length;

  before(async () => {
    t = await createTestApp();
    token = await tokenOf('retrier');
    other = await tokenOf('other_retrier');
  });
  after(() => t.close());

  it('answers a retry with the first answer and posts once', async () => {
    const body = { ...CREATE_WORK_EXAMPLE, title: 'Posted Once' };
    const first = await post(body, 'key-1');
    assert.equal(first.statusCode, 201);
    const again = await post(body, 'key-1');
    assert.equal(again.statusCode, 201);
    assert.equal(again.headers['idempotency-replayed'], 'true');
    assert.equal(again.headers.location, first.headers.location);
    assert.deepEqual(again.json(), first.json());
    assert.equal(await worksTitled('Posted Once'), 1);
    // Without a key, or with another, a retry is a new request.
    assert.equal((await post(body, 'key-2')).statusCode, 201);
    assert.equal(await worksTitled('Posted Once'), 2);
  });

  it('refuses a key reused for another body, and keys of one account do not touch another', async () => {
    assert.equal((await post({ ...CREATE_WORK_EXAMPLE, title: 'Keyed A' }, 'shared')).statusCode, 201);
    const reused = await post({ ...CREATE_WORK_EXAMPLE, title: 'Keyed B' }, 'shared');
    assert.equal(reused.statusCode, 422);
    assert.match(reused.json().detail, /different request/);
    assert.equal((await post({ ...CREATE_WORK_EXAMPLE, title: 'Keyed B' }, 'shared', other)).statusCode, 201);
    assert.equal((await post(CREATE_WORK_EXAMPLE, 'has spaces in it')).statusCode, 400);
  });

  it('keeps only successes: a refused request leaves the key free for the corrected one', async () => {
    const refused = await post({ ...CREATE_WORK_EXAMPLE, title: '' }, 'fix-me');
    assert.equal(refused.statusCode, 422);
    const fixed = await post({ ...CREATE_WORK_EXAMPLE, title: 'Fixed' }, 'fix-me');
    assert.equal(fixed.statusCode, 201);
  });

  it('posts once when the retry reaches another server process on the same database, or both arrive at once', async () => {
    // A second instance of the app, as a balancer spreads requests over processes.
    const second = await buildApp(
      { db: t.db, config: loadConfig({ LOG_LEVEL: 'silent', BASE_URL: 'http://archive.test', PAGE_CACHE: 'off' }) },
      { logger: false },
    );
    try {
      const body = { ...CREATE_WORK_EXAMPLE, title: 'Balanced' };
      const first = await post(body, 'spread', token, t.app);
      assert.equal(first.statusCode, 201);
      const retry = await post(body, 'spread', token, second);
      assert.equal(retry.statusCode, 201);
      assert.equal(retry.headers['idempotency-replayed'], 'true');
      assert.deepEqual(retry.json(), first.json());
      assert.equal(await worksTitled('Balanced'), 1);
      const reused = await post({ ...body, title: 'Other' }, 'spread', token, second);
      assert.equal(reused.statusCode, 422);
      assert.equal(reused.headers['content-type'], 'application/problem+json; charset=utf-8');
      assert.match(reused.json().detail, /different request/);

      const raced = { ...CREATE_WORK_EXAMPLE, title: 'Raced Across' };
      const answers = await Promise.all([post(raced, 'across', token, t.app), post(raced, 'across', token, second)]);
      for (const answer of answers) assert.ok([201, 409].includes(answer.statusCode), `${answer.statusCode}: ${answer.body.slice(0, 200)}`);
      assert.equal(await worksTitled('Raced Across'), 1);
    } finally {
      await second.close();
    }
  });

  it('keeps a key a day, then purges it', async () => {
    let now = Date.now();
    const store = new IdempotencyStore(t.db, () => now);
    const user = (await t.db.selectFrom('users').select('id').where('login', '=', 'retrier').executeTakeFirstOrThrow()).id;
    const id = { userId: user, method: 'POST', path: '/api/v1/works', key: 'clocked' };
    assert.deepEqual(await store.claim(id, 'a'), { kind: 'claimed' });
    await store.finish(id, { status: 201, contentType: 'application/json', location: null, body: '{}' });
    assert.equal((await store.claim(id, 'a')).kind, 'done');
    assert.equal((await store.claim(id, 'b')).kind, 'mismatch');
    now += IDEMPOTENCY_TTL_MS;
    assert.ok((await store.purge()) >= 1);
    const left = await t.db.selectFrom('api_idempotency_keys').select('key').where('key', '=', 'clocked').execute();
    assert.deepEqual(left, []);
    assert.deepEqual(await store.claim(id, 'b'), { kind: 'claimed' }, 'after a day the key is new again');
  });

  it('posts once when the same request arrives twice at the same moment', async () => {
    const body = { ...CREATE_WORK_EXAMPLE, title: 'Raced' };
    const answers = await Promise.all([post(body, 'race'), post(body, 'race')]);
    for (const answer of answers) assert.ok([201, 409].includes(answer.statusCode), `${answer.statusCode}: ${answer.body.slice(0, 200)}`);
    assert.equal(await worksTitled('Raced'), 1);
  });
});
