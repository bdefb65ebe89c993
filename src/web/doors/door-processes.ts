import { type ChildProcess, fork } from 'node:child_process';
import type http from 'node:http';
import type net from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import type { FrontDoor, ServerTimeouts } from '../front-door.ts';
import type { GuestPageChange, PageCache } from '../page-cache.ts';
import { type DoorAddress, type FromDoor, type ToDoor, toDoorPage } from './door-messages.ts';

/**
 * The archive's side of its door processes (decision 050): starts them on the port it listens on,
 * keeps their copies of the stored guest pages in step with the page cache, counts their visits
 * and answers as its own, and takes over the connections they hand on.
 */

/** How a door process is started: this process's own command, with `door` instead of `serve`. */
export interface DoorCommand {
  readonly file: string;
  readonly args: readonly string[];
  readonly execArgv: readonly string[];
}

export interface DoorProcessesOptions {
  readonly count: number;
  readonly server: http.Server;
  readonly pageCache: PageCache;
  readonly frontDoor: FrontDoor;
  readonly trustProxy: boolean;
  readonly timeouts: ServerTimeouts;
  readonly logAnswers: boolean;
  readonly log: Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>;
}

/** A door that has not answered a sync by then is stopped and started again. */
const SYNC_TIMEOUT_MS = 1_000;
const START_TIMEOUT_MS = 15_000;
const RESTART_DELAY_MS = 500;

interface Door {
  readonly child: ChildProcess;
  ready: boolean;
  synced: number;
}

export class DoorProcesses {
  private readonly doors = new Set<Door>();
  private readonly waiters: Array<{ seq: number; resolve: () => void }> = [];
  /** Changes sent to the doors, and how many of them every door has applied. */
  private sent = 0;
  private settledUpTo = 0;
  private addresses: readonly DoorAddress[] = [];
  private command: DoorCommand | undefined;
  private stopping = false;
  /** Connections handed on by a door, with the requests on each that are not finished. */
  private readonly adopted = new Map<net.Socket, number>();

  constructor(private readonly options: DoorProcessesOptions) {
    options.pageCache.onGuestPageChange((change) => this.broadcast(toMessage(change)));
    options.server.on('request', (request: http.IncomingMessage, response: http.ServerResponse) => {
      const busy = this.adopted.get(request.socket);
      if (busy === undefined) return;
      this.adopted.set(request.socket, busy + 1);
      response.once('close', () => {
        const now = this.adopted.get(request.socket);
        if (now !== undefined) this.adopted.set(request.socket, now - 1);
      });
    });
  }

  /** How many doors are running. */
  get running(): number {
    return [...this.doors].filter((d) => d.ready).length;
  }

  /**
   * Starts the doors on the addresses this process listens on (with reusePort). A door that cannot
   * listen (a Node without SO_REUSEPORT, say) is logged and left out: the archive serves alone.
   */
  async start(addresses: readonly DoorAddress[], command: DoorCommand): Promise<void> {
    this.addresses = addresses;
    this.command = command;
    const started = await Promise.all(Array.from({ length: this.options.count }, () => this.startOne()));
    const count = started.filter(Boolean).length;
    if (count > 0)
      this.options.log.info(
        `${count === 1 ? 'a door process answers' : `${count} door processes answer`} stored guest pages on the same port`,
      );
  }

  private startOne(): Promise<boolean> {
    const command = this.command!;
    const child = fork(command.file, [...command.args], {
      execArgv: [...command.execArgv],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const door: Door = { child, ready: false, synced: this.sent };
    this.doors.add(door);
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.options.log.warn(`a door process did not start within ${START_TIMEOUT_MS / 1000} s; the archive serves without it`);
        child.kill('SIGKILL');
        resolve(false);
      }, START_TIMEOUT_MS);
      child.on('message', (message: FromDoor, handle?: net.Socket) => {
        if (message.kind === 'ready') {
          clearTimeout(timer);
          door.ready = true;
          return resolve(true);
        }
        if (message.kind === 'failed') {
          clearTimeout(timer);
          this.options.log.warn(`a door process could not listen (${message.message}); the archive serves without it`);
          this.doors.delete(door);
          child.kill();
          return resolve(false);
        }
        this.receive(door, message, handle);
      });
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        const wasReady = door.ready;
        this.doors.delete(door);
        this.resolveWaiters();
        resolve(false);
        if (this.stopping || !wasReady) return;
        this.options.log.error(`a door process exited (${signal ?? code}); starting another`);
        setTimeout(() => {
          if (!this.stopping) void this.startOne();
        }, RESTART_DELAY_MS).unref();
      });
      // Sent before any change made after it: the door starts with the pages stored now.
      const pages = [...this.options.pageCache.guestPages()].map(([key, page]) => toDoorPage(key, page));
      this.send(door, {
        kind: 'start',
        addresses: this.addresses,
        trustProxy: this.options.trustProxy,
        timeouts: this.options.timeouts,
        logAnswers: this.options.logAnswers,
        pages,
      });
    });
  }

  private receive(door: Door, message: FromDoor, handle: net.Socket | undefined): void {
    switch (message.kind) {
      case 'served': {
        const { pageCache, frontDoor } = this.options;
        for (const [workId, ip, userAgent] of message.visits) pageCache.served(workId, { ip, userAgent, viewerId: undefined });
        for (const [route, status, seconds, url] of message.answers) frontDoor.report({ method: 'GET', url, route, status, seconds });
        return;
      }
      case 'synced':
        door.synced = Math.max(door.synced, message.seq);
        this.resolveWaiters();
        return;
      case 'connection':
        if (handle) this.adopt(handle, message.head);
        return;
    }
  }

  /** Serves a connection a door handed on, reading first the bytes the door had read from it. */
  private adopt(socket: net.Socket, head: Uint8Array): void {
    if (this.stopping) return void socket.destroy();
    this.adopted.set(socket, 0);
    socket.once('close', () => this.adopted.delete(socket));
    this.options.server.emit('connection', socket);
    if (head.byteLength > 0) socket.emit('data', Buffer.from(head.buffer, head.byteOffset, head.byteLength));
    socket.resume();
  }

  private broadcast(message: ToDoor): void {
    if (this.doors.size === 0) return;
    this.sent++;
    for (const door of this.doors) this.send(door, message);
  }

  private send(door: Door, message: ToDoor): void {
    if (!door.child.connected) return;
    door.child.send(message, (error) => {
      if (error && !this.stopping) door.child.kill('SIGKILL');
    });
  }

  /**
   * Resolves once every door has applied every change sent so far: a write's response waits for it,
   * so a guest never reads from a door a page the write has replaced.
   */
  settled(): Promise<void> {
    if (this.settledUpTo === this.sent || this.doors.size === 0) return Promise.resolve();
    const seq = this.sent;
    for (const door of this.doors) this.send(door, { kind: 'sync', seq });
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        for (const door of this.doors) {
          if (door.synced < seq) {
            this.options.log.error(`a door process did not apply the page cache's changes within ${SYNC_TIMEOUT_MS} ms; restarting it`);
            door.child.kill('SIGKILL');
          }
        }
      }, SYNC_TIMEOUT_MS);
      this.waiters.push({
        seq,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
      this.resolveWaiters();
    });
  }

  private resolveWaiters(): void {
    const applied = Math.min(this.sent, ...[...this.doors].map((d) => d.synced));
    this.settledUpTo = Math.max(this.settledUpTo, applied);
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      if (this.waiters[i]!.seq <= applied) this.waiters.splice(i, 1)[0]!.resolve();
    }
  }

  /**
   * Stops the doors (they stop taking connections and finish what they send), then waits for the
   * requests on connections they handed on, as the server waits for its own.
   */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    const exits = [...this.doors].map(
      (door) =>
        new Promise<void>((resolve) => {
          if (door.child.exitCode !== null || door.child.signalCode !== null) return resolve();
          door.child.once('exit', () => resolve());
          this.send(door, { kind: 'stop' });
        }),
    );
    const until = Date.now() + graceMs;
    await Promise.race([Promise.all(exits), new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
    for (const door of this.doors) door.child.kill('SIGKILL');
    while (Date.now() < until && [...this.adopted.values()].some((busy) => busy > 0)) await new Promise((r) => setTimeout(r, 20));
    for (const [socket, busy] of this.adopted) if (busy === 0) socket.destroy();
    this.resolveWaiters();
  }
}

function toMessage(change: GuestPageChange): ToDoor {
  if (change.kind === 'store') return { kind: 'store', page: toDoorPage(change.key, change.page) };
  return change;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The door processes, when DOOR_PROCESSES asks for them (started by startServer after listening). */
    doors?: DoorProcesses;
  }
}
