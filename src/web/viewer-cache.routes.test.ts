import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { TestVisitor } from '../../test/app.ts';
import { createTestDatabase } from '../../test/database.ts';
import { buildWorkForm } from '../../test/factories.ts';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import type { DatabaseHandle } from '../db/connection.ts';

const serverUrl = process.env.TEST_DATABASE_URL;

// Another process's writes reach this one as NOTIFYs (migration 0026); on the embedded database
// there is no other process, so these run in `npm run test:pg`, where a server is given. The
// unit run covers the same cache through this process's own writes (signed-in-page.routes.test.ts).
const describeOnPostgres = serverUrl !== undefined ? describe : () => undefined;
describeOnPostgres('the viewer cache across processes (PostgreSQL)', () => {
  let handle: DatabaseHandle;
  let app: FastifyInstance;
  /** Writes as another app process would: its own connection, unseen by this process's observers. */
  let elsewhere: pg.Client;
  let reader: TestVisitor;
  let url: string;

  before(async () => {
    handle = await createTestDatabase();
    const databaseUrl = new URL(serverUrl!);
    databaseUrl.pathname = new URL(handle.location).pathname;
    const config = loadConfig({ LOG_LEVEL: 'silent', BASE_URL: 'http://archive.test', DATABASE_URL: databaseUrl.toString() });
    app = await buildApp({ db: handle.db, config }, { logger: false });
    await app.ready();
    assert.ok(app.viewerCache.isLive, 'the listener is up once the app is ready');
    elsewhere = new pg.Client({ connectionString: databaseUrl.toString() });
    await elsewhere.connect();
    const author = await new TestVisitor(app).signUp('xauthor');
    const posted = await author.post('/works', buildWorkForm({ title: 'Across', rating: 'General Audiences' }));
    url = String(posted.headers.location);
    reader = await new TestVisitor(app).signUp('xreader');
  });
  after(async () => {
    await elsewhere.end();
    await app.close();
    await handle.close();
  });

  const signedIn = async (visitor: TestVisitor, login: string) => (await visitor.get(url)).body.includes(`href="/users/${login}"`);
  /** Resolves when the next notice from another process has been applied. */
  const nextNotice = () =>
    new Promise<number | null>((resolve) => {
      const stop = app.viewerCache.onNotice((userId) => {
        stop();
        resolve(userId);
      });
    });
  const idOf = async (login: string) =>
    (await elsewhere.query<{ id: number }>('select id from users where login = $1', [login])).rows[0]!.id;

  it('drops a session ended in another process', async () => {
    assert.ok(await signedIn(reader, 'xreader'));
    assert.ok(await signedIn(reader, 'xreader'));
    assert.ok(app.viewerCache.size > 0, 'the reader is cached');
    const id = await idOf('xreader');
    const noticed = nextNotice();
    await elsewhere.query('delete from sessions where user_id = $1', [id]);
    assert.equal(await noticed, id);
    assert.equal(await signedIn(reader, 'xreader'), false, 'a session logged out elsewhere was served from the cache');
  });

  it('drops a reader suspended in another process', async () => {
    const other = await new TestVisitor(app).signUp('xother');
    assert.ok(await signedIn(other, 'xother'));
    const id = await idOf('xother');
    const noticed = nextNotice();
    await elsewhere.query(`insert into user_suspensions (user_id, message) values ($1, 'elsewhere')`, [id]);
    assert.equal(await noticed, id);
    assert.equal(await signedIn(other, 'xother'), false, 'a reader suspended elsewhere was served from the cache');
  });

  it('serves nothing from the cache while it cannot hear other processes', async () => {
    const listener = await elsewhere.query<{ pid: number }>(
      `select pid from pg_stat_activity where datname = current_database() and query = 'listen fanfold_viewers'`,
    );
    assert.equal(listener.rows.length, 1);
    const lost = new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (!app.viewerCache.isLive) {
          clearInterval(check);
          resolve();
        }
      }, 5);
    });
    await elsewhere.query('select pg_terminate_backend($1)', [listener.rows[0]!.pid]);
    await lost;
    assert.equal(app.viewerCache.size, 0);
    assert.equal(app.viewerCache.get('anything'), undefined);
  });
});
