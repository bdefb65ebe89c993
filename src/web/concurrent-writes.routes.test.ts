import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { insertUser } from '../accounts/accounts.repo.ts';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';

// A request that loses a race for a unique thing: it passed its check, then its insert met a row
// another transaction committed meanwhile. The visitor gets a 409 saying to send it again, never
// a 500, and nothing of the losing request is kept.

const onPostgres = process.env.TEST_DATABASE_URL !== undefined;

describe('a request that loses a race', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());

  it('is told to send it again (409) and leaves nothing half-written', async () => {
    const visitor = new TestVisitor(t.app);
    await visitor.get('/signup');
    let response: Awaited<ReturnType<TestVisitor['post']>> | undefined;
    await t.db.transaction().execute(async (trx) => {
      // Another sign-up of the same name, not committed yet: the request's check cannot see it.
      await insertUser(trx, { login: 'racer', email: 'first@example.org', passwordHash: 'x', isAdmin: false });
      const sent = visitor.post('/signup', {
        login: 'racer',
        email: 'second@example.org',
        password: 'correct horse battery',
        password_confirmation: 'correct horse battery',
      });
      void sent.then((r) => (response = r));
      if (onPostgres) {
        // Commit once the request's insert waits on ours (on PGlite it waits for the one connection instead).
        for (let k = 0; k < 400; k++) {
          const waiting = await sql<{ n: number }>`
            select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'
          `.execute(t.db);
          if (Number(waiting.rows[0]?.n) > 0) break;
          await sleep(25);
        }
      }
    });
    while (!response) await sleep(10);
    assert.equal(response.statusCode, onPostgres ? 409 : 422, response.body.slice(0, 300));
    assert.match(response.body, onPostgres ? /at the same moment/ : /is taken/);
    const users = await t.db.selectFrom('users').select('email').where('login', '=', 'racer').execute();
    assert.deepEqual(
      users.map((u) => u.email),
      ['first@example.org'],
    );
    const pseuds = await t.db.selectFrom('pseuds').select('id').where('name', '=', 'racer').execute();
    assert.equal(pseuds.length, 0, 'no pseud of the losing sign-up');
  });
});
