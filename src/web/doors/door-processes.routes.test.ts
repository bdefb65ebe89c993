import assert from 'node:assert/strict';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../app.ts';
import { loadConfig } from '../../config.ts';
import type { DatabaseHandle } from '../../db/connection.ts';
import { createTestDatabase } from '../../../test/database.ts';
import { TestVisitor } from '../../../test/app.ts';
import { getOverSocket } from '../../../test/socket-get.ts';
import { buildWorkForm } from '../../../test/factories.ts';
import type { DoorEvent } from '../front-door.ts';

const DOOR_ENTRY = path.resolve(import.meta.dirname, '../../../test/door-entry.ts');

/** One GET on a connection of its own. */
const get = (port: number, urlPath: string, headers: Record<string, string> = {}) =>
  getOverSocket(`http://127.0.0.1:${port}`, urlPath, headers);

/** Writes raw bytes on a new connection and reads until the server closes it. */
function exchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(bytes));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString()));
    socket.on('error', reject);
  });
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

/** Waits for a condition another process makes true (its reports come every 100 ms); false if it never does. */
const until = async (condition: () => boolean, giveUpMs = 10_000) => {
  const deadline = Date.now() + giveUpMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
};

/**
 * Three guests ask the door for a page it has to have made again: one is sent on to make it, and
 * the other two are answered by the door (before or after waiting for the new copy), the same page.
 */
async function threeGuestsAtOnce(app: FastifyInstance, doorPort: number, workId: number, reported: DoorEvent[]) {
  const answeredHere = app.frontDoor.answered;
  const reportedBefore = reported.length;
  const answers = await Promise.all([1, 2, 3].map(() => get(doorPort, `/works/${workId}`)));
  assert.deepEqual(
    answers.map((a) => a.status),
    [200, 200, 200],
  );
  assert.equal(new Set(answers.map((a) => a.body)).size, 1);
  assert.ok(await until(() => reported.length >= reportedBefore + 2), 'two of them were answered by the door');
  assert.equal(app.frontDoor.answered, answeredHere, 'none of them went to the archive’s own door');
}

/** The status lines of the responses in a raw exchange, in order. */
const statusLines = (raw: string) => [...raw.matchAll(/HTTP\/1\.1 (\d{3}) [A-Z]/g)].map((m) => Number(m[1]));

/**
 * The archive on a port and one door on another (from the sources, under tsx), so every connection
 * to the door's port reaches the door first: what it answers and what it hands on are both seen.
 */
async function startWithDoor(ttlSeconds: number) {
  const handle = await createTestDatabase();
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    BASE_URL: 'http://archive.test',
    PAGE_CACHE_TTL: String(ttlSeconds),
    DOOR_PROCESSES: '1',
  });
  const app = await buildApp({ db: handle.db, config }, { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const archivePort = (app.server.address() as net.AddressInfo).port;
  const doorPort = await freePort();
  await app.doors!.start([{ host: '127.0.0.1', port: doorPort }], { file: DOOR_ENTRY, args: [], execArgv: ['--import', 'tsx'] });
  assert.equal(app.doors!.running, 1);
  const author = await new TestVisitor(app).signUp('doorsauthor');
  const location = (await author.post('/works', buildWorkForm({ title: 'Two Doors' }))).headers.location;
  const workId = Number(/\/works\/(\d+)$/.exec(String(location))![1]);
  return { handle, app, archivePort, doorPort, workId };
}

// The door listens on a port of its own here (the archive on another), so every connection to it
// reaches the door first: what it answers and what it hands on are both seen.
describe('door processes', () => {
  let handle: DatabaseHandle;
  let app: FastifyInstance;
  let archivePort: number;
  let doorPort: number;
  let workId: number;
  const visits: number[] = [];
  const reported: DoorEvent[] = [];
  let stores = 0;

  before(async () => {
    ({ handle, app, archivePort, doorPort, workId } = await startWithDoor(3600));
    app.pageCache.onServe((id) => visits.push(id));
    app.frontDoor.onAnswered((event) => reported.push(event));
    app.pageCache.onGuestPageChange((change) => {
      if (change.kind === 'store') stores++;
    });
  });

  after(async () => {
    await app?.close();
    await handle?.close();
  });

  it('hands a miss to the archive, then answers the stored page itself with the same bytes', async () => {
    const first = await get(doorPort, `/works/${workId}`);
    assert.equal(first.status, 200);
    assert.match(first.body, /Two Doors/);
    assert.equal(stores, 1, 'the archive rendered and stored it');
    const answeredHere = app.frontDoor.answered;
    const visitsBefore = visits.length;
    const second = await get(doorPort, `/works/${workId}`);
    assert.equal(app.frontDoor.answered, answeredHere, 'the archive’s own door did not answer it');
    assert.equal(stores, 1, 'nor rendered it again');
    assert.equal(second.status, 200);
    assert.equal(second.body, first.body);
    const { date: _a, ...firstHeaders } = first.headers;
    const { date: _b, ...secondHeaders } = second.headers;
    assert.deepEqual(secondHeaders, firstHeaders);
    // The door's visit and answer reach the archive's hit counting and metrics.
    assert.ok(await until(() => visits.length > visitsBefore && reported.some((e) => e.route === '/works/:id')));
    assert.equal(visits.at(-1), workId);
    const etag = String(second.headers.etag);
    assert.equal((await get(doorPort, `/works/${workId}`, { 'if-none-match': etag })).status, 304);
  });

  it('stops answering a page as soon as a write has replaced it', async () => {
    await get(doorPort, `/works/${workId}`);
    const before = stores;
    app.pageCache.invalidateWork(workId);
    await app.doors!.settled();
    const answer = await get(doorPort, `/works/${workId}`);
    assert.equal(answer.status, 200);
    assert.equal(stores, before + 1, 'the archive rendered it again');
  });

  it('keeps guests who ask while a replaced page is made again, and answers them the new one', async () => {
    await get(doorPort, `/works/${workId}`);
    app.pageCache.invalidateWork(workId);
    await app.doors!.settled();
    await threeGuestsAtOnce(app, doorPort, workId, reported);
  });

  it('hands on a connection with every byte it read: a request with a body, after a page it answered', async () => {
    await get(doorPort, `/works/${workId}`);
    const request =
      `GET /works/${workId} HTTP/1.1\r\nHost: archive.test\r\n\r\n` +
      'POST /login HTTP/1.1\r\nHost: archive.test\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 11\r\nConnection: close\r\n\r\nlogin=nobod';
    const throughDoor = await exchange(doorPort, request);
    const direct = await exchange(archivePort, request);
    assert.deepEqual(statusLines(throughDoor), statusLines(direct));
    assert.equal(statusLines(throughDoor).length, 2);
    assert.equal(statusLines(throughDoor)[0], 200);
  });

  it('leaves a request expecting 100 Continue to the archive, which sends the 100 once', async () => {
    const request =
      'POST /login HTTP/1.1\r\nHost: archive.test\r\nContent-Type: application/x-www-form-urlencoded\r\n' +
      'Content-Length: 11\r\nExpect: 100-continue\r\nConnection: close\r\n\r\nlogin=nobod';
    const [throughDoor, direct] = [await exchange(doorPort, request), await exchange(archivePort, request)];
    assert.deepEqual(statusLines(throughDoor), statusLines(direct));
    assert.equal(statusLines(throughDoor)[0], 100);
    assert.equal(statusLines(throughDoor).length, 2);
  });

  it('hands on signed-in readers and requests the parser refuses, answered as the archive answers them', async () => {
    const reader = await new TestVisitor(app).signUp('doorsreader');
    const cookie = [...reader.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const signedIn = await get(doorPort, `/works/${workId}`, { cookie });
    assert.equal(signedIn.status, 200);
    assert.match(signedIn.body, /doorsreader/);
    const bad = 'GET /works/1 HTTP/1.1\r\nHost: archive.test\r\nBad Header\r\n\r\n';
    const [throughDoor, direct] = [await exchange(doorPort, bad), await exchange(archivePort, bad)];
    assert.equal(statusLines(throughDoor)[0], 400);
    assert.equal(throughDoor.split('\r\n\r\n')[1], direct.split('\r\n\r\n')[1]);
  });

  it('starts another door when one dies, with the pages stored now', async () => {
    await get(doorPort, `/works/${workId}`);
    const storesBefore = stores;
    const pids = () => (app.doors as unknown as { doors: Set<{ child: { pid: number } }> }).doors;
    const [door] = [...pids()];
    process.kill(door!.child.pid, 'SIGKILL');
    assert.ok(await until(() => app.doors!.running === 1 && ![...pids()].includes(door!)));
    const answer = await get(doorPort, `/works/${workId}`);
    assert.equal(answer.status, 200);
    assert.equal(stores, storesBefore, 'the new door had the page');
  });
});

describe('a door whose copy of a page expired', () => {
  it('sends one guest on to make it again and keeps the others', async () => {
    const { handle, app, doorPort, workId } = await startWithDoor(1);
    try {
      const reported: DoorEvent[] = [];
      app.frontDoor.onAnswered((event) => reported.push(event));
      await get(doorPort, `/works/${workId}`);
      await get(doorPort, `/works/${workId}`);
      // Past the page's expiry (a second), in the door and in the archive alike.
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      await threeGuestsAtOnce(app, doorPort, workId, reported);
    } finally {
      await app.close();
      await handle.close();
    }
  });
});
