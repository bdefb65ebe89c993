// Idempotency keys for the API's POSTs (draft-ietf-httpapi-idempotency-key-header): a client
// that sends `Idempotency-Key` and retries after a timeout gets the first answer again instead
// of posting twice. Kept in memory per process for a day, like the account ceiling of decision
// 017: a retry that lands on another server process, or after a restart, runs again.
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from '../web/errors.tsx';

const KEY = /^[\x21-\x7e]{1,255}$/;
const DAY_MS = 24 * 3600_000;

type Entry =
  | { state: 'running'; fingerprint: string; expiresAt: number }
  | { state: 'done'; fingerprint: string; expiresAt: number; status: number; headers: Record<string, string>; body: string };

/** The answers remembered per account and key (bounded: the oldest go first). */
export class IdempotencyStore {
  private readonly entries = new Map<string, Entry>();
  constructor(private readonly maxEntries = 20_000) {}

  get(id: string, now = Date.now()): Entry | undefined {
    const entry = this.entries.get(id);
    if (entry && entry.expiresAt <= now) {
      this.entries.delete(id);
      return undefined;
    }
    return entry;
  }

  start(id: string, fingerprint: string, now = Date.now()): void {
    while (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(id, { state: 'running', fingerprint, expiresAt: now + DAY_MS });
  }

  finish(id: string, answer: { status: number; headers: Record<string, string>; body: string }): void {
    const entry = this.entries.get(id);
    if (entry) this.entries.set(id, { ...answer, state: 'done', fingerprint: entry.fingerprint, expiresAt: entry.expiresAt });
  }

  forget(id: string): void {
    this.entries.delete(id);
  }
}

/** Hooks for the API's scope; `accountOf` names the caller (keys are per account). */
export function idempotencyHooks(accountOf: (request: FastifyRequest) => number | null, store = new IdempotencyStore()) {
  const running = new WeakMap<FastifyRequest, string>();

  /** preHandler: replays a finished request, refuses a reused key or one still running, or marks this one running. */
  const check = async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    const header = request.headers['idempotency-key'];
    if (request.method !== 'POST' || header === undefined) return undefined;
    const account = accountOf(request);
    if (account === null) return undefined;
    if (typeof header !== 'string' || !KEY.test(header))
      throw new HttpError(400, 'Idempotency-Key is 1 to 255 printable characters without spaces, such as a UUID.');
    const id = `${account}\n${header}`;
    const fingerprint = createHash('sha256')
      .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
      .digest('base64url');
    const entry = store.get(id);
    if (entry && entry.fingerprint !== fingerprint)
      throw new HttpError(422, 'This Idempotency-Key was already used for a different request. Use a new key for each new request.');
    if (entry?.state === 'running')
      throw new HttpError(409, 'A request with this Idempotency-Key is still running. Try again in a moment for its answer.');
    if (entry?.state === 'done') {
      reply.headers(entry.headers).header('idempotency-replayed', 'true').status(entry.status);
      return reply.send(entry.body);
    }
    store.start(id, fingerprint);
    running.set(request, id);
    return undefined;
  };

  /** onSend: keeps a success for replay; anything else frees the key (nothing was posted, a retry may run). */
  const remember = async (request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> => {
    const id = running.get(request);
    if (id === undefined) return payload;
    running.delete(request);
    if (reply.statusCode >= 200 && reply.statusCode < 300 && typeof payload === 'string') {
      const headers: Record<string, string> = {};
      for (const name of ['content-type', 'location']) {
        const value = reply.getHeader(name);
        if (typeof value === 'string') headers[name] = value;
      }
      store.finish(id, { status: reply.statusCode, headers, body: payload });
    } else {
      store.forget(id);
    }
    return payload;
  };

  return { check, remember };
}
