import http from 'node:http';
import type { TLSSocket } from 'node:tls';
import { HSTS_VALUE } from './security-headers.ts';

/**
 * The archive's HTTP server, with a front door that answers from memory what needs nothing else:
 * a cached page costs a lookup and a socket write, not Fastify's routing, hooks and reply (decision
 * 045's measurements: a cached guest page took 2.6 times the time of a bare Node answer through
 * them). Everything else (a miss, another method, a closing server) goes on to Fastify.
 *
 * `app.inject` calls Fastify's handler directly, so tests through it never reach the door; the
 * caches keep an onRequest hook answering the same stored answers (page-cache.ts).
 */

/** A response made of stored bytes. The door adds HSTS over TLS and nothing else. */
export interface DoorAnswer {
  readonly status: number;
  /** Every header, Content-Length included: made once when the answer was stored, not per request. */
  readonly headers: Readonly<Record<string, string | number | string[]>>;
  readonly body: Buffer | undefined;
  /** The route's pattern (`/works/:id`), for metrics: one series per route, never per URL. */
  readonly route: string;
}

/** Looks a GET up in memory: an answer, or undefined to let Fastify handle the request. */
export type DoorCounter = (request: DoorRequest) => DoorAnswer | undefined;

/** The request as the door sees it: the raw message, with the client as Fastify would name it. */
export interface DoorRequest {
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  /** `request.ip` as Fastify computes it with the same trust-proxy setting. */
  readonly ip: string;
  /** The raw request, for a counter that needs its connection (a door process's). */
  readonly message: http.IncomingMessage;
}

/** What was answered, for metrics and the access log. */
export interface DoorEvent {
  readonly method: string;
  readonly url: string;
  readonly route: string;
  readonly status: number;
  readonly seconds: number;
}

export interface FrontDoorOptions {
  /** Fastify's `trustProxy` (a boolean here, as config.ts allows). */
  readonly trustProxy: boolean;
}

/** Fastify's defaults for the server it would have made itself (fastify.js, server.js). */
export interface ServerTimeouts {
  readonly keepAliveTimeout: number;
  readonly requestTimeout: number;
  readonly connectionTimeout: number;
}

export class FrontDoor {
  private readonly counters: DoorCounter[] = [];
  private readonly listeners: Array<(event: DoorEvent) => void> = [];
  private closing = false;
  private answers = 0;

  constructor(private readonly options: FrontDoorOptions) {}

  /** Adds a cache to ask, in order, before Fastify. */
  addCounter(counter: DoorCounter): void {
    this.counters.push(counter);
  }

  /** Called after every answer the door gave (metrics, request log). */
  onAnswered(listener: (event: DoorEvent) => void): void {
    this.listeners.push(listener);
  }

  /** Tells the listeners of an answer given elsewhere (a door process's), as if this door gave it. */
  report(event: DoorEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  /** How many requests the door answered. */
  get answered(): number {
    return this.answers;
  }

  /** From now on every request goes to Fastify, which answers 503 while it closes. */
  close(): void {
    this.closing = true;
  }

  /** Fastify's `serverFactory`: a plain HTTP server whose requests pass the door first. */
  createServer(fastifyHandler: http.RequestListener, timeouts: ServerTimeouts): http.Server {
    const server = http.createServer((request, response) => {
      if (!this.answer(request, response)) fastifyHandler(request, response);
    });
    server.keepAliveTimeout = timeouts.keepAliveTimeout;
    server.requestTimeout = timeouts.requestTimeout;
    server.setTimeout(timeouts.connectionTimeout);
    return server;
  }

  /** Answers the request from the counters (true), or leaves it for the caller (false). */
  answer(request: http.IncomingMessage, response: http.ServerResponse): boolean {
    if (this.closing || request.method !== 'GET' || request.url === undefined || this.counters.length === 0) return false;
    const started = performance.now();
    const asked: DoorRequest = {
      url: request.url,
      headers: request.headers,
      ip: clientAddressOf(request, this.options.trustProxy),
      message: request,
    };
    for (const counter of this.counters) {
      const answer = counter(asked);
      if (!answer) continue;
      const overTls = protocolOf(request, this.options.trustProxy) === 'https';
      response.writeHead(answer.status, overTls ? { ...answer.headers, 'strict-transport-security': HSTS_VALUE } : answer.headers);
      response.end(answer.body);
      this.answers++;
      if (this.listeners.length > 0) {
        const event: DoorEvent = {
          method: 'GET',
          url: request.url,
          route: answer.route,
          status: answer.status,
          seconds: (performance.now() - started) / 1000,
        };
        for (const listener of this.listeners) listener(event);
      }
      return true;
    }
    // The counters were asked and passed it on: the hooks behind must not answer it from them again
    // (a page due for a refresh would be served stale by the hook to the one request sent to make it).
    (request as AskedMessage)[ASKED_AT_DOOR] = true;
    return false;
  }
}

const ASKED_AT_DOOR = Symbol('askedAtDoor');
type AskedMessage = http.IncomingMessage & { [ASKED_AT_DOOR]?: true };

/** Whether the door asked its counters about this request and they did not answer it. */
export function askedAtDoor(request: http.IncomingMessage): boolean {
  return (request as AskedMessage)[ASKED_AT_DOOR] === true;
}

/**
 * The client's address as Fastify's `request.ip` gives it: the socket's peer, or with a trusted
 * proxy (trust everything, as TRUST_PROXY=true means) the leftmost X-Forwarded-For entry.
 */
export function clientAddressOf(request: http.IncomingMessage, trustProxy: boolean): string {
  const peer = request.socket.remoteAddress ?? '';
  if (!trustProxy) return peer;
  const forwarded = request.headers['x-forwarded-for'];
  if (typeof forwarded !== 'string') return peer;
  // Empty entries are skipped, as Fastify's parser of the header does.
  for (const entry of forwarded.split(',')) {
    const address = entry.trim();
    if (address !== '') return address;
  }
  return peer;
}

/** `request.protocol` as Fastify gives it: the last X-Forwarded-Proto entry behind a trusted proxy. */
export function protocolOf(request: http.IncomingMessage, trustProxy: boolean): 'http' | 'https' | string {
  const forwarded = request.headers['x-forwarded-proto'];
  if (trustProxy && typeof forwarded === 'string' && forwarded !== '') {
    const at = forwarded.lastIndexOf(',');
    return (at < 0 ? forwarded : forwarded.slice(at + 1)).trim();
  }
  return (request.socket as TLSSocket).encrypted ? 'https' : 'http';
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The server's front door (stored pages answered before Fastify). */
    frontDoor: FrontDoor;
  }
}
