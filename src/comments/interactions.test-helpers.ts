// Helpers for the interaction slices' route tests (kudos, comments, bookmarks, inbox, blocking).
import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { hashToken, newToken } from '../lib/tokens.ts';
import { TestVisitor, type TestApp } from '../../test/app.ts';
import { buildWorkForm } from '../../test/factories.ts';

/** Posts a work as this visitor and returns its id. */
export async function postWork(visitor: TestVisitor, overrides: Record<string, string | string[]> = {}): Promise<number> {
  const response = await visitor.post('/works', buildWorkForm(overrides));
  assert.equal(response.statusCode, 303, response.body.slice(0, 500));
  const match = /^\/works\/(\d+)$/.exec(String(response.headers.location));
  assert.ok(match, `expected a redirect to a work, got ${String(response.headers.location)}`);
  return Number(match[1]);
}

export async function firstChapterId(db: Kysely<Database>, workId: number): Promise<number> {
  const row = await db.selectFrom('chapters').select('id').where('work_id', '=', workId).orderBy('position').executeTakeFirstOrThrow();
  return row.id;
}

/**
 * A signed-in visitor made straight in the database (no sign-up form, so no argon2 hashing and
 * no sign-up rate limit): for tests that need many users.
 */
export async function quickUser(t: TestApp, login: string): Promise<TestVisitor> {
  const user = await t.db
    .insertInto('users')
    .values({ login, email: `${login}@example.org`, password_hash: 'x' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await t.db.insertInto('pseuds').values({ user_id: user.id, name: login, is_default: true }).execute();
  const token = newToken();
  await t.db
    .insertInto('sessions')
    .values({ token_hash: hashToken(token), user_id: user.id, expires_at: new Date(Date.now() + 86_400_000) })
    .execute();
  const visitor = new TestVisitor(t.app);
  visitor.cookies.set('ff_session', token);
  visitor.cookies.set('ff_csrf', newToken());
  return visitor;
}

export async function workCounts(db: Kysely<Database>, workId: number) {
  return db
    .selectFrom('works')
    .select(['kudos_count', 'comments_count', 'bookmarks_count'])
    .where('id', '=', workId)
    .executeTakeFirstOrThrow();
}

/** Makes every scheduled job due now (time travel for daily jobs), then runs them. */
export async function runAllJobs(t: TestApp): Promise<number> {
  await t.db
    .updateTable('jobs')
    .set({ run_at: new Date(Date.now() - 1000) })
    .where('done_at', 'is', null)
    .execute();
  return t.app.jobs.drain();
}

/** Posts a form as this visitor from a given network address (TestVisitor always uses 127.0.0.1). */
export function postFrom(t: TestApp, visitor: TestVisitor, url: string, form: Record<string, string>, address: string) {
  return t.app.inject({
    method: 'POST',
    url,
    remoteAddress: address,
    headers: { cookie: [...visitor.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: visitor.csrfToken, ...form }).toString(),
  });
}
