// Requests with tokens, and the answers every operation shares, for the API operation tests: a person's token made through the
// page as they would make it, a read-only app token as the consent page stores it, and the
// request options every test sends.
import assert from 'node:assert/strict';
import type { InjectOptions } from 'fastify';
import type { Kysely } from 'kysely';
import { TestVisitor, type TestApp } from '../../test/app.ts';
import type { Database } from '../db/schema.ts';
import { hashToken, newToken } from '../lib/tokens.ts';
import { READS_PER_MINUTE, WRITES_PER_MINUTE } from './api.schema.ts';
import type { DocumentedCaller } from './openapi.test-helpers.ts';

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** A JSON body (or a raw string, to send something that is not JSON) with the token, if any. */
export const jsonRequest = (body: unknown, token: string | null, type = 'application/json'): Partial<InjectOptions> => ({
  headers: { 'content-type': type, ...(token ? bearer(token) : {}) },
  payload: typeof body === 'string' ? body : JSON.stringify(body),
});

/** A request with nothing but the token. */
export const withToken = (token: string): Partial<InjectOptions> => ({ headers: bearer(token) });

/** Signs `login` up and makes a personal token on the tokens page. */
export async function signUpWithToken(t: TestApp, login: string): Promise<{ visitor: TestVisitor; token: string }> {
  const visitor = await new TestVisitor(t.app).signUp(login);
  const page = await visitor.post(`/users/${login}/api_tokens`, { name: 'tests' });
  return { visitor, token: /ff_[A-Za-z0-9_-]{43}/.exec(page.body)![0] };
}

/** An app's token for `login` holding only the "read" scope, as the consent page stores it. */
export async function readOnlyAppToken(db: Kysely<Database>, login: string): Promise<string> {
  const user = (await db.selectFrom('users').select('id').where('login', '=', login).executeTakeFirstOrThrow()).id;
  const app = await db
    .insertInto('oauth_apps')
    .values({ client_id: `ffc_${newToken().slice(0, 20)}`, owner_user_id: user, name: 'Test app', redirect_uri: 'https://app.example/cb' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const token = `ffa_${newToken()}`;
  await db
    .insertInto('oauth_tokens')
    .values({
      access_token_hash: hashToken(token),
      access_expires_at: new Date(Date.now() + 3600_000),
      refresh_token_hash: hashToken(`ffr_${newToken()}`),
      refresh_expires_at: new Date(Date.now() + 86400_000),
      app_id: app.id,
      user_id: user,
      scopes: ['read'],
    })
    .execute();
  return token;
}

/** A request path for a documented one: every `{parameter}` an id that exists nowhere. */
export const anyRequest = (path: string) => path.replace(/\{\w+\}/g, '999999');

/**
 * The answers every operation shares: 401 without a token, 403 for a write with a read-only app
 * token, and for operations with a body, 400 for broken JSON and 415 for text.
 */
export async function assertSharedAnswers(
  api: DocumentedCaller,
  operationIds: readonly string[],
  tokens: { readOnly: string; writer: string },
): Promise<void> {
  const call = (id: string, url: string, options: Partial<InjectOptions>) => api.call(id, { url, ...options });
  for (const id of operationIds) {
    const { method, path, op } = api.operations.get(id)!;
    const url = anyRequest(path);
    const body = op.requestBody?.content['application/json']?.example;
    const none = await call(id, url, body === undefined ? {} : jsonRequest(body, null));
    assert.equal(none.statusCode, 401, `${id} without a token`);
    if (method !== 'get') {
      const refused = await call(id, url, body === undefined ? withToken(tokens.readOnly) : jsonRequest(body, tokens.readOnly));
      assert.equal(refused.statusCode, 403, `${id} with a read-only app token`);
    }
    if (body !== undefined) {
      assert.equal((await call(id, url, jsonRequest('{"oops":', tokens.writer))).statusCode, 400, `${id} with broken JSON`);
      assert.equal((await call(id, url, jsonRequest('hello', tokens.writer, 'text/plain'))).statusCode, 415, `${id} with text`);
    }
  }
}

/** Every operation answers a documented 429 once a caller at `remoteAddress` has used up its minute. */
export async function assertRateLimited(
  t: TestApp,
  api: DocumentedCaller,
  operationIds: readonly string[],
  remoteAddress: string,
): Promise<void> {
  for (const id of operationIds) {
    const { method, path } = api.operations.get(id)!;
    const max = method === 'get' ? READS_PER_MINUTE : WRITES_PER_MINUTE;
    const request: InjectOptions = { method: method.toUpperCase() as 'GET', url: anyRequest(path), remoteAddress };
    for (let i = 0; i < max; i += 1) await t.app.inject(request);
    const limited = await api.call(id, request);
    assert.equal(limited.statusCode, 429, id);
  }
}
