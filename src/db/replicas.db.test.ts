import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { createTestDatabase } from '../../test/database.ts';
import { createEmptyDatabase } from '../../test/empty-database.ts';
import { openReplicas } from '../main.ts';
import { TestVisitor } from '../../test/app.ts';
import { type ReplicaServer, replicaCaughtUp, startReplica } from '../../test/replica-server.ts';
import type { DatabaseHandle } from './connection.ts';
import { ReplicaSet, WRITE_LSN_COOKIE } from './replicas.ts';
import type { Database } from './schema.ts';

const serverUrl = process.env.TEST_DATABASE_URL;

const MAX_LAG_SECONDS = 5;

/** Which kind of server answered a read through `db`. */
async function answeredBy(db: Kysely<Database>): Promise<'replica' | 'primary'> {
  const row = await sql<{ r: boolean }>`select pg_is_in_recovery() as r`.execute(db);
  return row.rows[0]!.r ? 'replica' : 'primary';
}

describe('DATABASE_REPLICA_URLS on the embedded database', () => {
  it('is ignored, with a start-up message saying why and what to set', async () => {
    const pglite = await createEmptyDatabase();
    try {
      const config = loadConfig({ DATABASE_REPLICA_URLS: 'postgres://u:p@127.0.0.1:5433/fanfold', LOG_LEVEL: 'silent' });
      const lines: string[] = [];
      assert.equal(await openReplicas(config, pglite, (line) => lines.push(line)), undefined);
      assert.equal(lines.length, 1);
      assert.match(lines[0]!, /DATABASE_REPLICA_URLS is ignored: the archive runs on the embedded database.*set DATABASE_URL/);
    } finally {
      await pglite.close();
    }
  });
});

// A streaming replica needs a PostgreSQL primary to copy: these run in `npm run test:pg`, which
// gives one (the unit run on PGlite has the test above), as backup.db.test.ts adds its server target.
const onPostgres = serverUrl !== undefined;
const describeOnPostgres = onPostgres ? describe : () => undefined;
describeOnPostgres('read replicas against a real streaming replica', () => {
  let handle: DatabaseHandle;
  let server: ReplicaServer;
  let replicaClient: pg.Client;
  let replicas: ReplicaSet;
  let app: FastifyInstance;
  let clock = 1_000_000;

  const caughtUp = (target?: string) => replicaCaughtUp(handle.db, replicaClient, target);

  /** Runs `fn` with the replica's replay paused (it receives WAL but applies none), resuming whatever happens. */
  const whilePaused = async (fn: () => Promise<void>) => {
    await replicaClient.query('select pg_wal_replay_pause()');
    try {
      await fn();
    } finally {
      await replicaClient.query('select pg_wal_replay_resume()');
    }
  };

  before(async () => {
    handle = await createTestDatabase();
    const database = (await sql<{ d: string }>`select current_database() as d`.execute(handle.db)).rows[0]!.d;
    server = await startReplica(serverUrl!);
    replicaClient = new pg.Client({ connectionString: server.urlFor(database) });
    await replicaClient.connect();
    replicas = await ReplicaSet.open(handle.db, handle.pool!, [server.urlFor(database)], {
      maxLagSeconds: MAX_LAG_SECONDS,
      checkMs: 0,
      now: () => clock,
    });
    const config = loadConfig({ LOG_LEVEL: 'silent', BASE_URL: 'http://archive.test', PAGE_CACHE: 'off', SEARCH_INDEX: 'off' });
    app = await buildApp({ db: handle.db, config, replicas }, { logger: false });
    // Which server a request's reads through the read handle reach, on a read and on a write.
    const which = async () => ({ server: await answeredBy(replicas.reads) });
    app.get('/test/which-server', which);
    app.post('/test/which-server', which);
    // Under /api/ a bearer-token POST needs no CSRF token, as for the real API.
    app.get('/api/test-which-server', which);
    app.post('/api/test-which-server', which);
    await app.ready();
  });

  after(async () => {
    await app?.close();
    await replicas?.close();
    await replicaClient?.end().catch(() => undefined);
    await server?.remove();
    await handle?.close();
  });

  it('sends a guest listing read to the replica and a write request to the primary', async () => {
    await replicas.check();
    assert.deepEqual(
      replicas.status().map((r) => r.inRotation),
      [true],
    );
    const guest = await app.inject({ method: 'GET', url: '/test/which-server' });
    assert.equal(guest.json().server, 'replica');
    assert.equal(await replicas.runInScope({ write: false, cookie: undefined }, () => answeredBy(replicas.reads)), 'replica');
    assert.equal(await replicas.runInScope({ write: true, cookie: undefined }, () => answeredBy(replicas.reads)), 'primary');
    // The primary handle is never routed.
    assert.equal(await answeredBy(handle.db), 'primary');
    const visitor = new TestVisitor(app);
    const posted = await visitor.post('/test/which-server');
    assert.equal(posted.json().server, 'primary');
  });

  it('reads a session’s own write from the primary until the replica has replayed it', async () => {
    await caughtUp();
    await replicas.check();
    const visitor = new TestVisitor(app);
    let lsn: string | undefined;
    await whilePaused(async () => {
      await visitor.signUp('replicareader');
      lsn = visitor.cookies.get(WRITE_LSN_COOKIE);
      assert.ok(lsn, 'a write response carries the primary’s WAL position');
      await replicas.check();
      assert.equal((await visitor.get('/test/which-server')).json().server, 'primary');
      // Their own works page lists the draft-less account as theirs: read from the primary.
      const own = await visitor.get('/users/replicareader/works');
      assert.equal(own.statusCode, 200);
      // A guest, who wrote nothing, still reads the replica (which has not seen the account yet).
      assert.equal((await app.inject({ method: 'GET', url: '/test/which-server' })).json().server, 'replica');
      assert.equal((await app.inject({ method: 'GET', url: '/users/replicareader/works' })).statusCode, 404);
    });
    await caughtUp(decodeURIComponent(lsn!));
    await replicas.check();
    assert.equal((await visitor.get('/test/which-server')).json().server, 'replica');
    assert.equal((await app.inject({ method: 'GET', url: '/users/replicareader/works' })).statusCode, 200);
  });

  it('remembers an API client’s write by its token when it keeps no cookies', async () => {
    await caughtUp();
    await replicas.check();
    const app1 = { authorization: 'Bearer token-of-one-app' };
    let lsn: string | undefined;
    await whilePaused(async () => {
      await sql`create table replica_api_probe (id int)`.execute(handle.db);
      const posted = await app.inject({ method: 'POST', url: '/api/test-which-server', headers: app1 });
      assert.equal(posted.json().server, 'primary');
      lsn = (posted.cookies as Array<{ name: string; value: string }>).find((c) => c.name === WRITE_LSN_COOKIE)?.value;
      assert.ok(lsn);
      await replicas.check();
      const read = (headers: Record<string, string>) =>
        app.inject({ method: 'GET', url: '/api/test-which-server', headers }).then((r) => r.json().server);
      assert.equal(await read(app1), 'primary', 'the same token, without the cookie, reads its write');
      assert.equal(await read({ authorization: 'Bearer token-of-another-app' }), 'replica');
      assert.equal(await read({}), 'replica');
    });
    await caughtUp(decodeURIComponent(lsn!));
    await replicas.check();
    assert.equal((await app.inject({ method: 'GET', url: '/api/test-which-server', headers: app1 })).json().server, 'replica');
  });

  it('takes a lagging replica out of rotation, reports its lag, and puts it back once it catches up', async () => {
    await caughtUp();
    await replicas.check();
    await whilePaused(async () => {
      // Committed synchronously: the primary's flushed position, which the check samples, includes it
      // even on a server run with synchronous_commit=off (scripts/with-postgres.sh).
      await handle.db.transaction().execute(async (trx) => {
        await sql`set local synchronous_commit = on`.execute(trx);
        await sql`create table replica_lag_probe (id int)`.execute(trx);
      });
      clock += (MAX_LAG_SECONDS + 1) * 1000;
      await replicas.check();
      const [status] = replicas.status();
      assert.equal(status!.inRotation, false);
      assert.equal(status!.lagSeconds, MAX_LAG_SECONDS + 1);
      assert.match(status!.reason ?? '', /behind the primary/);
      assert.equal((await app.inject({ method: 'GET', url: '/test/which-server' })).json().server, 'primary');

      const metrics = await app.inject({ method: 'GET', url: '/metrics' });
      assert.equal(metrics.statusCode, 200);
      assert.match(
        metrics.body,
        new RegExp(`fanfold_replica_lag_seconds\\{replica="127\\.0\\.0\\.1:\\d+/\\w+"\\} ${MAX_LAG_SECONDS + 1}\\n`),
      );
      assert.match(metrics.body, /fanfold_replica_in_rotation\{replica="[^"]+"\} 0\n/);
      const health = await app.inject({ method: 'GET', url: '/healthz' });
      assert.equal(health.statusCode, 200, 'a replica out of rotation does not make the process unhealthy');
      assert.deepEqual(health.json().replicas, [{ inRotation: false, lagSeconds: MAX_LAG_SECONDS + 1 }]);
    });
    await caughtUp();
    await replicas.check();
    assert.deepEqual(replicas.status()[0], { name: replicas.status()[0]!.name, inRotation: true, lagSeconds: 0 });
    assert.equal((await app.inject({ method: 'GET', url: '/test/which-server' })).json().server, 'replica');
    assert.match((await app.inject({ method: 'GET', url: '/metrics' })).body, /fanfold_replica_in_rotation\{replica="[^"]+"\} 1\n/);
  });

  it('falls back to the primary when the replica stops, with and without a check in between', async () => {
    await replicaClient.end();
    await server.stopServer();
    // Before any check notices: the failed connection takes it out and the read goes to the primary.
    assert.equal((await app.inject({ method: 'GET', url: '/test/which-server' })).json().server, 'primary');
    await replicas.check();
    const [status] = replicas.status();
    assert.equal(status!.inRotation, false);
    assert.equal(status!.lagSeconds, null);
    assert.match(status!.reason ?? '', /did not answer/);
    assert.equal((await app.inject({ method: 'GET', url: '/works' })).statusCode, 200);
    const health = await app.inject({ method: 'GET', url: '/healthz' });
    assert.equal(health.statusCode, 200);
    assert.deepEqual(health.json().replicas, [{ inRotation: false, lagSeconds: null }]);
  });
});
