import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import Fastify, { type FastifyInstance } from 'fastify';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import type { DatabaseHandle } from '../db/connection.ts';
import { createTestDatabase } from '../../test/database.ts';
import { TestVisitor } from '../../test/app.ts';
import { getOverSocket, type SocketAnswer } from '../../test/socket-get.ts';
import { buildWorkForm } from '../../test/factories.ts';
import { clientAddressOf, FrontDoor, protocolOf } from './front-door.ts';
import { registerPageCache, sendReadablePage } from './page-cache.ts';
import { FLASH_COOKIE } from './session.ts';

const get = getOverSocket;

const workIdFrom = (location: unknown) => Number(/^\/works\/(\d+)$/.exec(String(location))?.[1]);

/** The request-duration count /metrics reports for this route and status. */
async function requestCount(origin: string, route: string, status: number): Promise<number> {
  const metrics = (await get(origin, '/metrics')).body;
  const line = metrics
    .split('\n')
    .find(
      (l) =>
        l.startsWith('fanfold_http_request_duration_seconds_count{') &&
        l.includes(`route="${route}"`) &&
        l.includes(`status_code="${status}"`),
    );
  return line ? Number(line.split(' ').at(-1)) : 0;
}

describe('the front door answers stored pages before Fastify', () => {
  let handle: DatabaseHandle;
  let app: FastifyInstance;
  let origin: string;
  let workId: number;
  let reader: TestVisitor;
  let closed = false;

  before(async () => {
    handle = await createTestDatabase();
    const config = loadConfig({ LOG_LEVEL: 'silent', BASE_URL: 'http://archive.test', PAGE_CACHE_TTL: '3600', TRUST_PROXY: 'true' });
    app = await buildApp({ db: handle.db, config }, { logger: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const author = await new TestVisitor(app).signUp('doorauthor');
    reader = await new TestVisitor(app).signUp('doorreader');
    // Reading history is off until a reader turns it on.
    const { id: readerId } = await handle.db.selectFrom('users').select('id').where('login', '=', 'doorreader').executeTakeFirstOrThrow();
    await handle.db
      .insertInto('interaction_preferences')
      .values({ user_id: readerId, history_enabled: true })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ history_enabled: true }))
      .execute();
    workId = workIdFrom((await author.post('/works', buildWorkForm({ title: 'At The Door' }))).headers.location);
  });
  after(async () => {
    if (!closed) await app.close();
    await handle.close();
  });

  it('gives a guest the bytes and headers the hook gives, a 304 for the same ETag, and counts both in /metrics', async () => {
    const path = `/works/${workId}`;
    const before = await requestCount(origin, '/works/:id', 200);
    const rendered = await get(origin, path, { 'user-agent': 'guest-a' });
    assert.equal(rendered.status, 200);
    assert.ok(app.pageCache.get(path), 'stored by the first read');
    const answered = app.frontDoor.answered;
    const fromDoor = await get(origin, path, { 'user-agent': 'guest-a' });
    assert.equal(app.frontDoor.answered, answered + 1, 'answered at the door');
    const fromHook = await app.inject({ method: 'GET', url: path, headers: { 'user-agent': 'guest-a' } });
    assert.equal(fromDoor.body, rendered.body);
    assert.equal(fromDoor.body, fromHook.body);
    for (const name of ['content-type', 'content-length', 'etag', 'cache-control', 'vary', 'content-security-policy', 'x-frame-options']) {
      assert.equal(fromDoor.headers[name], fromHook.headers[name], name);
      assert.equal(fromDoor.headers[name], rendered.headers[name], name);
    }
    assert.equal(fromDoor.headers['strict-transport-security'], undefined, 'no HSTS over plain HTTP');

    const notModified = await get(origin, path, { 'if-none-match': String(fromDoor.headers.etag) });
    assert.equal(notModified.status, 304);
    assert.equal(notModified.body, '');
    assert.equal(notModified.headers.etag, fromDoor.headers.etag);
    assert.equal(await requestCount(origin, '/works/:id', 200), before + 3, 'the rendered page, the door’s answer and the hook’s');
    assert.ok((await requestCount(origin, '/works/:id', 304)) >= 1);
  });

  it('adds HSTS when a trusted proxy says the request came over TLS', async () => {
    const path = `/works/${workId}`;
    await get(origin, path);
    const answer = await get(origin, path, { 'x-forwarded-proto': 'https' });
    assert.equal(answer.status, 200);
    assert.match(String(answer.headers['strict-transport-security']), /max-age=/);
  });

  it('sends a reader their own stored page, records the visit in their history, and counts hits once per visitor', async () => {
    const path = `/works/${workId}`;
    // The sign-up's one-time notice was shown (and dropped) by the browser, which these requests do not update.
    const cookie = [...reader.cookies]
      .filter(([name]) => name !== FLASH_COOKIE)
      .map(([name, value]) => `${name}=${value}`)
      .join('; ');
    // Made through the routes until the page is kept whole (the shared part first, then the viewer's facts).
    let visits = 0;
    let first: SocketAnswer | undefined;
    while (app.pageCache.memberPageCount === 0 && visits < 5) {
      first = await get(origin, path, { cookie, 'user-agent': 'reader-browser' });
      visits++;
      assert.equal(first.status, 200);
      assert.ok(first.body.includes('/users/doorreader'), 'the reader’s own page');
    }
    assert.equal(app.pageCache.memberPageCount, 1, 'kept for the door');
    const answered = app.frontDoor.answered;
    const fromDoor = await get(origin, path, { cookie, 'user-agent': 'reader-browser' });
    visits++;
    assert.equal(app.frontDoor.answered, answered + 1, 'answered at the door');
    assert.equal(fromDoor.body, first?.body);
    // Two more guests, each twice: one hit each.
    for (const agent of ['guest-b', 'guest-c']) for (let i = 0; i < 2; i++) await get(origin, path, { 'user-agent': agent });

    const hitsBefore = await handle.db.selectFrom('works').select('hits').where('id', '=', workId).executeTakeFirstOrThrow();
    await app.close(); // writes the buffered hits and history
    closed = true;
    const reading = await handle.db
      .selectFrom('readings')
      .innerJoin('users', 'users.id', 'readings.user_id')
      .select('readings.visits')
      .where('users.login', '=', 'doorreader')
      .where('readings.work_id', '=', workId)
      .executeTakeFirst();
    assert.equal(reading?.visits, visits, 'the rendered visits and the stored one');
    const hitsAfter = await handle.db.selectFrom('works').select('hits').where('id', '=', workId).executeTakeFirstOrThrow();
    // guest-a (earlier test), the HSTS test's agentless guest, the reader, guest-b and guest-c.
    assert.ok(Number(hitsAfter.hits) >= Number(hitsBefore.hits), 'hits are written on close');
    assert.equal(Number(hitsAfter.hits), 5);
  });
});

describe('the door names the client and the protocol as Fastify does', () => {
  for (const trustProxy of [false, true]) {
    it(`for any X-Forwarded-For and X-Forwarded-Proto (trustProxy ${trustProxy})`, async () => {
      const seen: Array<{ ip: string; protocol: string }> = [];
      const door = new FrontDoor({ trustProxy });
      const app = Fastify({
        trustProxy,
        serverFactory: (handler) =>
          door.createServer(
            (request, response) => {
              seen.push({ ip: clientAddressOf(request, trustProxy), protocol: protocolOf(request, trustProxy) });
              handler(request, response);
            },
            { keepAliveTimeout: 5_000, requestTimeout: 10_000, connectionTimeout: 0 },
          ),
      });
      app.get('/', async (request) => ({ ip: request.ip, protocol: request.protocol }));
      await app.listen({ port: 0, host: '127.0.0.1' });
      const origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      const entry = fc.oneof(fc.ipV4(), fc.ipV6(), fc.constantFrom('', ' ', 'unknown', 'https', 'http'));
      const list = fc
        .tuple(fc.array(entry, { maxLength: 4 }), fc.constantFrom(',', ', ', ' ,', ',\t'))
        .map(([parts, separator]) => parts.join(separator));
      try {
        await fc.assert(
          fc.asyncProperty(fc.option(list), fc.option(list), async (forwardedFor, forwardedProto) => {
            seen.length = 0;
            const headers: Record<string, string> = {};
            if (forwardedFor !== null) headers['x-forwarded-for'] = forwardedFor;
            if (forwardedProto !== null) headers['x-forwarded-proto'] = forwardedProto;
            const answer = JSON.parse((await get(origin, '/', headers)).body) as { ip: string; protocol: string };
            assert.deepEqual(seen, [answer]);
          }),
          { numRuns: 60 },
        );
      } finally {
        await app.close();
      }
    });
  }
});

describe('a stored page due for a refresh', () => {
  it('is made again by the one request the door passes on, not answered stale by the hook behind it', async () => {
    let clock = 1_000_000;
    const door = new FrontDoor({ trustProxy: false });
    const app = Fastify({
      serverFactory: (handler) => door.createServer(handler, { keepAliveTimeout: 5_000, requestTimeout: 10_000, connectionTimeout: 0 }),
    });
    registerPageCache(app, { enabled: true, ttlMs: 10_000, now: () => clock, frontDoor: door });
    app.decorateRequest('viewer', null); // a guest: what the session plugin sets
    let renders = 0;
    app.get('/page', async (request, reply) => {
      const ticket = app.pageCache.ticket();
      renders++;
      return sendReadablePage(request, reply, { workId: 1, html: `<p>render ${renders}</p>`, ticket });
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    try {
      assert.equal((await get(origin, '/page')).body, '<p>render 1</p>');
      assert.equal((await get(origin, '/page')).body, '<p>render 1</p>', 'stored');
      clock += 8_500; // past the refresh point, before the expiry
      assert.equal((await get(origin, '/page')).body, '<p>render 2</p>', 'the request sent to refresh it made it');
      assert.equal((await get(origin, '/page')).body, '<p>render 2</p>');
      assert.equal(renders, 2);
    } finally {
      await app.close();
    }
  });
});
