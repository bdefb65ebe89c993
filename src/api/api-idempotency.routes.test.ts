import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { CREATE_WORK_EXAMPLE } from './openapi.ts';

// A client that times out and retries a POST with the same Idempotency-Key posts once.
describe('Idempotency-Key on API POSTs', () => {
  let t: TestApp;
  let token: string;
  let other: string;

  const tokenOf = async (login: string) => {
    const visitor = await new TestVisitor(t.app).signUp(login);
    return /ff_[A-Za-z0-9_-]{43}/.exec((await visitor.post(`/users/${login}/api_tokens`, { name: 'retry' })).body)![0];
  };
  const post = (body: unknown, key: string | undefined, auth = token) =>
    t.app.inject({
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

  it('posts once when the same request arrives twice at the same moment', async () => {
    const body = { ...CREATE_WORK_EXAMPLE, title: 'Raced' };
    const answers = await Promise.all([post(body, 'race'), post(body, 'race')]);
    for (const answer of answers) assert.ok([201, 409].includes(answer.statusCode), `${answer.statusCode}: ${answer.body.slice(0, 200)}`);
    assert.equal(await worksTitled('Raced'), 1);
  });
});
