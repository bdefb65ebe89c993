import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import pg from 'pg';
import { createTestApp, TestVisitor } from '../../test/app.ts';
import { createTestDatabase } from '../../test/database.ts';
import { type ReplicaServer, replicaCaughtUp, startReplica } from '../../test/replica-server.ts';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import type { DatabaseHandle } from '../db/connection.ts';
import { ReplicaSet } from '../db/replicas.ts';
import { hashToken } from '../lib/tokens.ts';
import { CREATE_WORK_EXAMPLE, type OpenApiDocument } from './openapi.ts';

// The whole API reads through the read handle (decision 039): every GET is answered from a replica
// that has the caller's last write, a write only touches the primary, and the token lookup writes
// nothing a GET would wait for.

const tokenOf = async (app: FastifyInstance, login: string) => {
  const visitor = await new TestVisitor(app).signUp(login);
  const page = await visitor.post(`/users/${login}/api_tokens`, { name: 'replica test' });
  return /ff_[A-Za-z0-9_-]{43}/.exec(page.body)![0];
};

describe('the API token’s last use', () => {
  it('is written at most once in a while per token, so reads do not write', async () => {
    const t = await createTestApp();
    try {
      const token = await tokenOf(t.app, 'stamped');
      const lastUsed = async () =>
        (await t.db.selectFrom('api_tokens').select('last_used_at').where('token_hash', '=', hashToken(token)).executeTakeFirstOrThrow())
          .last_used_at;
      const write = await t.app.inject({
        method: 'POST',
        url: '/api/v1/works',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        payload: JSON.stringify(CREATE_WORK_EXAMPLE),
      });
      assert.equal(write.statusCode, 201);
      assert.ok((await lastUsed()) instanceof Date, 'the first use is written');
      await t.db.updateTable('api_tokens').set({ last_used_at: null }).where('token_hash', '=', hashToken(token)).execute();
      for (let i = 0; i < 3; i += 1)
        assert.equal(
          (await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } })).statusCode,
          200,
        );
      assert.equal(await lastUsed(), null, 'uses right after it are not written again');
    } finally {
      await t.close();
    }
  });
});

// A streaming replica needs a PostgreSQL primary to copy: this part runs in `npm run test:pg`
// (TEST_DATABASE_URL), as src/db/replicas.db.test.ts does.
const serverUrl = process.env.TEST_DATABASE_URL;
const describeOnPostgres = serverUrl !== undefined ? describe : () => undefined;
describeOnPostgres('the API on a real streaming replica', () => {
  let handle: DatabaseHandle;
  let server: ReplicaServer;
  let replicaClient: pg.Client;
  let replicas: ReplicaSet;
  let app: FastifyInstance;

  const caughtUp = () => replicaCaughtUp(handle.db, replicaClient);

  before(async () => {
    handle = await createTestDatabase();
    const database = (await sql<{ d: string }>`select current_database() as d`.execute(handle.db)).rows[0]!.d;
    server = await startReplica(serverUrl!);
    replicaClient = new pg.Client({ connectionString: server.urlFor(database) });
    await replicaClient.connect();
    replicas = await ReplicaSet.open(handle.db, handle.pool!, [server.urlFor(database)], { maxLagSeconds: 5, checkMs: 0 });
    const config = loadConfig({ LOG_LEVEL: 'silent', BASE_URL: 'http://archive.test', PAGE_CACHE: 'off', SEARCH_INDEX: 'off' });
    app = await buildApp({ db: handle.db, config, replicas }, { logger: false });
    await app.ready();
  });

  after(async () => {
    await app?.close();
    await replicas?.close();
    await replicaClient?.end().catch(() => undefined);
    await server?.remove();
    await handle?.close();
  });

  it('answers every GET from the replica, the writer’s own reads from the primary, and writes on the primary', async () => {
    const writer = await tokenOf(app, 'replica_writer');
    const reader = await tokenOf(app, 'replica_reader');
    const as = (token: string | null) => (token ? { authorization: `Bearer ${token}` } : {});
    const first = await app.inject({
      method: 'POST',
      url: '/api/v1/works',
      headers: { ...as(writer), 'content-type': 'application/json' },
      payload: JSON.stringify({ ...CREATE_WORK_EXAMPLE, title: 'Replicated' }),
    });
    assert.equal(first.statusCode, 201);
    const work = first.json().work.id as number;
    await caughtUp();
    await replicas.check();

    await replicaClient.query('select pg_wal_replay_pause()');
    try {
      // A write while the replica stands still: the writer's token reads it back at once (from the
      // primary); anyone else reads the replica, which has not seen it yet.
      const posted = await app.inject({
        method: 'POST',
        url: `/api/v1/works/${work}/chapters`,
        headers: { ...as(writer), 'content-type': 'application/json' },
        payload: JSON.stringify({ text: 'The second chapter.', format: 'plain' }),
      });
      assert.equal(posted.statusCode, 201, posted.body);
      await replicas.check();
      const chapters = async (token: string | null) =>
        (await app.inject({ method: 'GET', url: `/api/v1/works/${work}`, headers: as(token) })).json().chapters.length;
      assert.equal(await chapters(writer), 2, 'the writer reads its own write');
      assert.equal(await chapters(reader), 1, 'another token reads the replica');
      assert.equal(await chapters(null), 1, 'a guest reads the replica');

      // Every GET of the document, with a token, on the replica: none writes (a write there fails).
      const doc = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json', headers: as(reader) })).json() as OpenApiDocument;
      const failed: string[] = [];
      for (const [path, item] of Object.entries(doc.paths)) {
        if (!item.get || !path.startsWith('/api/v1/')) continue;
        const url = path.replace(/\{(\w+)\}/g, (_m, name: string) =>
          name === 'login' ? 'replica_reader' : name === 'name' ? 'Grief' : name === 'kind' ? 'work' : String(work),
        );
        const answer = await app.inject({ method: 'GET', url, headers: as(reader) });
        if (answer.statusCode >= 500) failed.push(`${url}: ${answer.statusCode} ${answer.body.slice(0, 200)}`);
      }
      assert.deepEqual(failed, []);
      assert.equal(await chapters(reader), 1, 'and they were answered by the replica');
    } finally {
      await replicaClient.query('select pg_wal_replay_resume()');
    }
    await caughtUp();
    await replicas.check();
    assert.equal(
      (await app.inject({ method: 'GET', url: `/api/v1/works/${work}`, headers: as(reader) })).json().chapters.length,
      2,
      'once replayed, everyone reads it',
    );
  });
});
