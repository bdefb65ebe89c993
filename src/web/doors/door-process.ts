import type http from 'node:http';
import type net from 'node:net';
import { type DoorAnswer, type DoorRequest, FrontDoor } from '../front-door.ts';
import { cacheKeyOf, claimRefresh, etagMatches, isAnonymous } from '../page-cache.ts';
import type { DoorAnswerReport, DoorPage, DoorVisit, FromDoor, ToDoor } from './door-messages.ts';

/**
 * A door process (decision 050): it shares the archive's port (SO_REUSEPORT), answers the guest
 * pages the archive's process has stored from its own copy of them, and sends every other
 * connection to the archive's process with the bytes it has read, at the first request it cannot
 * answer. It opens no database and renders nothing, so it starts in a moment and costs what a
 * bare Node server costs per page.
 */

/** How often the visits and answers of the door go to the archive's process. */
const REPORT_MS = 100;
/** A stopping door waits this long at most for connections in the middle of a request. */
const STOP_GRACE_MS = 2_000;

interface KeptPage {
  readonly page: DoorPage;
  readonly ok: DoorAnswer;
  readonly notModified: DoorAnswer;
}

/** What a connection has sent and the door has not answered yet (a handed-off connection's head). */
interface Unanswered {
  chunks: Buffer[];
  handedOff: boolean;
  /** A request of this connection waits for a page being made again (nothing written for it yet). */
  waiting: boolean;
}

/**
 * A page the archive dropped a moment ago (a write replaced it): the first guest who asks for it is
 * sent on to make it again, and the others wait here for the new copy rather than each taking their
 * connection to the archive's process for good.
 */
interface Remaking {
  readonly since: number;
  sentOn: boolean;
  readonly waiting: Set<() => void>;
}

/** How long guests wait for a page being made again before their connection goes to the archive (a slow render, a page no longer stored). */
const REMAKE_WAIT_MS = 2_000;

/**
 * The bytes after the head of the bodiless request at the start of `bytes` (leading empty lines
 * skipped, as the parser skips them), or undefined when no complete head is there.
 */
export function afterRequestHead(bytes: Buffer): Buffer | undefined {
  let start = 0;
  while (start < bytes.length && (bytes[start] === 0x0d || bytes[start] === 0x0a)) start++;
  const end = bytes.indexOf('\r\n\r\n', start);
  return end < 0 ? undefined : bytes.subarray(end + 4);
}

export function runDoorProcess(): void {
  const send = (message: FromDoor) => process.send!(message);
  const pages = new Map<string, KeptPage>();
  const refreshClaims = new Map<string, number>();
  const unanswered = new WeakMap<net.Socket, Unanswered>();
  const servers: http.Server[] = [];
  const sockets = new Set<net.Socket>();
  let visits: DoorVisit[] = [];
  let answers: DoorAnswerReport[] = [];
  let logAnswers = false;
  let stopping = false;

  const keep = (page: DoorPage) => {
    const body = Buffer.from(page.body.buffer, page.body.byteOffset, page.body.byteLength);
    const route = page.route;
    pages.set(page.key, {
      page,
      ok: { status: page.status, headers: page.headers, body, route },
      notModified: { status: 304, headers: page.notModifiedHeaders, body: undefined, route },
    });
    refreshClaims.delete(page.key);
  };

  /** A guest's stored page, unless it is due for a refresh and this request is the one sent to make it. */
  const answerOf = (request: DoorRequest): DoorAnswer | undefined => {
    if (!isAnonymous(request)) return undefined;
    const { headers } = request;
    // The bytes of an answered request are found by the end of its head: a request with a body is not answered here.
    if ((headers['content-length'] !== undefined && headers['content-length'] !== '0') || headers['transfer-encoding'] !== undefined)
      return undefined;
    const key = cacheKeyOf(request);
    const kept = pages.get(key);
    if (!kept) return undefined;
    const now = Date.now();
    if (kept.page.expiresAt <= now) {
      // Expired here, so in the archive too: the next guest makes it again, the others wait for it.
      pages.delete(key);
      remakeFrom(key, now);
      return undefined;
    }
    if (kept.page.refreshAt <= now && claimRefresh(refreshClaims, key, now)) return undefined;
    const state = unanswered.get(request.message.socket);
    if (!state || state.handedOff || state.waiting) return undefined;
    const rest = afterRequestHead(state.chunks.length === 1 ? state.chunks[0]! : Buffer.concat(state.chunks));
    if (rest === undefined) return undefined;
    state.chunks = rest.length > 0 ? [rest] : [];
    visits.push([kept.page.workId, request.ip, headers['user-agent'] ?? '']);
    return etagMatches(headers['if-none-match'], kept.page.etag) ? kept.notModified : kept.ok;
  };

  /** From now on the connection is the archive's: nothing more is answered or read here. */
  const claim = (socket: net.Socket): boolean => {
    const state = unanswered.get(socket);
    if (!state || state.handedOff || socket.destroyed) return false;
    state.handedOff = true;
    socket.pause();
    return true;
  };

  /**
   * Sends the connection, with every byte read from it and not answered, to the archive's process.
   * Called once no answer of this door is still being written on it, so the two never interleave.
   */
  const sendAway = (socket: net.Socket) => {
    const state = unanswered.get(socket)!;
    if (socket.destroyed) return;
    (socket as net.Socket & { _handle?: { readStop?: () => number } })._handle?.readStop?.();
    const head = Buffer.concat(state.chunks);
    state.chunks = [];
    process.send!({ kind: 'connection', head } satisfies FromDoor, socket, { keepOpen: false }, (error) => {
      if (error) socket.destroy();
    });
  };

  /** A request the door cannot answer: its response waits behind any this door is still sending. */
  const handOff = (request: http.IncomingMessage, response: http.ServerResponse) => {
    const socket = request.socket;
    const state = unanswered.get(socket);
    if (state && !state.handedOff && !state.waiting && response.socket && waitForRemake(request, response, state)) return;
    const waited = state?.waiting === true;
    if (!claim(socket)) return;
    // A request waiting for a page has written nothing: the connection can go at once.
    if (response.socket || waited) sendAway(socket);
    else response.once('socket', () => sendAway(socket));
  };

  /** Makes a guest wait for the page the archive is making again; false when the request is to go on. */
  const waitForRemake = (request: http.IncomingMessage, response: http.ServerResponse, state: Unanswered): boolean => {
    if (request.method !== 'GET' || !isAnonymous(request)) return false;
    const key = cacheKeyOf({ url: request.url ?? '', headers: request.headers });
    const remake = remaking.get(key);
    if (!remake || Date.now() - remake.since > REMAKE_WAIT_MS) return false;
    if (!remake.sentOn) {
      remake.sentOn = true;
      return false;
    }
    state.waiting = true;
    const done = () => {
      clearTimeout(timer);
      remake.waiting.delete(done);
      if (!state.waiting) return; // the connection went on meanwhile
      state.waiting = false;
      if (!door?.answer(request, response)) handOff(request, response);
    };
    const timer = setTimeout(done, REMAKE_WAIT_MS);
    remake.waiting.add(done);
    return true;
  };

  const remaking = new Map<string, Remaking>();
  const remakeFrom = (key: string, now: number) => {
    const earlier = remaking.get(key);
    if (!earlier || now - earlier.since > REMAKE_WAIT_MS) remaking.set(key, { since: now, sentOn: false, waiting: new Set() });
  };
  const remade = (key: string) => {
    const remake = remaking.get(key);
    remaking.delete(key);
    for (const done of remake?.waiting ?? []) done();
  };
  let door: FrontDoor | undefined;

  const report = setInterval(() => {
    // Pages dropped for good (a deleted work, an evicted page) are not waited for.
    const now = Date.now();
    for (const [key, remake] of remaking) if (remake.waiting.size === 0 && now - remake.since > REMAKE_WAIT_MS) remaking.delete(key);
    if (visits.length === 0 && answers.length === 0) return;
    send({ kind: 'served', visits, answers });
    visits = [];
    answers = [];
  }, REPORT_MS);

  const start = async (message: Extract<ToDoor, { kind: 'start' }>) => {
    logAnswers = message.logAnswers;
    for (const page of message.pages) keep(page);
    door = new FrontDoor({ trustProxy: message.trustProxy });
    door.addCounter(answerOf);
    door.onAnswered((event) => answers.push([event.route, event.status, event.seconds, logAnswers ? event.url : '']));
    for (const address of message.addresses) {
      const server = door.createServer(handOff, message.timeouts);
      server.on('connection', (socket: net.Socket) => {
        const state: Unanswered = { chunks: [], handedOff: false, waiting: false };
        unanswered.set(socket, state);
        sockets.add(socket);
        socket.once('close', () => sockets.delete(socket));
        // Before the HTTP parser's own listener: every byte is kept until its request is answered.
        socket.prependListener('data', (chunk: Buffer) => {
          state.chunks.push(chunk);
        });
      });
      // A request that expects `100 Continue` goes on unanswered: the archive's server sends the 100.
      server.on('checkContinue', handOff);
      server.on('checkExpectation', handOff);
      server.on('clientError', (error: NodeJS.ErrnoException, socket: net.Socket) => {
        // A request the parser refused goes to the archive, whose server answers it as it answers
        // any other; a connection that is gone or timed out is closed as Node would close it.
        if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT' && socket.writable) {
          socket.end('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n');
          return;
        }
        if (!socket.writable || error.code === 'ECONNRESET') return void socket.destroy();
        const sending = (socket as net.Socket & { _httpMessage?: http.ServerResponse | null })._httpMessage;
        if (!claim(socket)) return;
        if (sending && !sending.writableFinished) sending.once('finish', () => setImmediate(() => sendAway(socket)));
        else sendAway(socket);
      });
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ host: address.host, port: address.port, reusePort: true }, () => {
          server.off('error', reject);
          resolve();
        });
      });
      servers.push(server);
    }
  };

  const stop = () => {
    if (stopping) return;
    stopping = true;
    for (const server of servers) {
      server.close();
      server.closeIdleConnections();
    }
    const exit = () => {
      clearInterval(report);
      if (visits.length > 0 || answers.length > 0) send({ kind: 'served', visits, answers });
      process.disconnect?.();
      process.exit(0);
    };
    if (sockets.size === 0) return exit();
    const timer = setTimeout(exit, STOP_GRACE_MS);
    const check = setInterval(() => {
      for (const server of servers) server.closeIdleConnections();
      if (sockets.size === 0) {
        clearTimeout(timer);
        clearInterval(check);
        exit();
      }
    }, 20);
  };

  process.on('message', (message: ToDoor) => {
    switch (message.kind) {
      case 'start':
        start(message).then(
          () => send({ kind: 'ready' }),
          (error: unknown) => send({ kind: 'failed', message: error instanceof Error ? error.message : String(error) }),
        );
        return;
      case 'store':
        keep(message.page);
        return remade(message.page.key);
      case 'delete':
        if (pages.delete(message.key)) remakeFrom(message.key, Date.now());
        refreshClaims.delete(message.key);
        return;
      case 'clear':
        pages.clear();
        refreshClaims.clear();
        for (const key of [...remaking.keys()]) remade(key);
        return;
      case 'sync':
        return send({ kind: 'synced', seq: message.seq });
      case 'stop':
        return stop();
    }
  });
  // The archive's process is gone: nobody would take the connections this door cannot answer.
  process.on('disconnect', () => process.exit(0));
}
