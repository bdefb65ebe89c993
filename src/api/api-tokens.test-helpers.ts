// Requests with tokens, shared by the API operation tests: a person's token made through the
// page as they would make it, a read-only app token as the consent page stores it, and the
// request options every test sends.
import type { InjectOptions } from 'fastify';
import type { Kysely } from 'kysely';
import { TestVisitor, type TestApp } from '../../test/app.ts';
import type { Database } from '../db/schema.ts';
import { hashToken, newToken } from '../lib/tokens.ts';

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
