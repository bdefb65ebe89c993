// Idempotency keys for the API's POSTs (draft-ietf-httpapi-idempotency-key-header): a client
// that sends `Idempotency-Key` and retries after a timeout gets the first answer again instead
// of posting twice. Kept in the database (migration 0021), so a retry that a balancer sends to
// another server process, or that comes after a restart, is still answered from the first.
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { HttpError } from '../web/errors.tsx';

const KEY = /^[\x21-\x7e]{1,255}$/;
/** How long a success is kept for replay. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600_000;
/**
 * A key whose first request has run this long without an answer was left by a process that
 * stopped: a retry may run again rather than meet a 409 for a day.
 */
const ABANDONED_MS = 10 * 60_000;
const PURGE_EVERY_MS = 10 * 60_000;

/** One key: per account, method and path. */
export interface KeyId {
  userId: number;
  method: string;
  path: string;
  key: string;
}

export interface StoredAnswer {
  status: number;
  contentType: string | null;
  location: string | null;
  body: string;
}

export type Claim = { kind: 'claimed' } | { kind: 'running' } | { kind: 'mismatch' } | { kind: 'done'; answer: StoredAnswer };

export class IdempotencyStore {
  private lastPurge = 0;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number = Date.now,
  ) {}

  private byId(id: KeyId) {
    return this.db
      .selectFrom('api_idempotency_keys')
      .selectAll()
      .where('user_id', '=', id.userId)
      .where('method', '=', id.method)
      .where('path', '=', id.path)
      .where('key', '=', id.key);
  }

  /**
   * Claims the key for a request with this fingerprint, or says what holds it. The insert is the
   * claim: of two requests at the same moment (on any process) exactly one inserts.
   */
  async claim(id: KeyId, fingerprint: string): Promise<Claim> {
    const now = this.now();
    if (now - this.lastPurge >= PURGE_EVERY_MS) {
      this.lastPurge = now;
      await this.purge();
    }
    await this.db
      .deleteFrom('api_idempotency_keys')
      .where('user_id', '=', id.userId)
      .where('method', '=', id.method)
      .where('path', '=', id.path)
      .where('key', '=', id.key)
      .where((eb) =>
        eb.or([
          eb('expires_at', '<=', new Date(now)),
          eb.and([eb('status', 'is', null), eb('created_at', '<=', new Date(now - ABANDONED_MS))]),
        ]),
      )
      .execute();
    const inserted = await this.db
      .insertInto('api_idempotency_keys')
      .values({
        user_id: id.userId,
        method: id.method,
        path: id.path,
        key: id.key,
        fingerprint,
        created_at: new Date(now),
        expires_at: new Date(now + IDEMPOTENCY_TTL_MS),
      })
      .onConflict((oc) => oc.columns(['user_id', 'method', 'path', 'key']).doNothing())
      .returning('user_id')
      .executeTakeFirst();
    if (inserted) return { kind: 'claimed' };
    const row = await this.byId(id).executeTakeFirst();
    // Gone between the insert and this read: its request failed and freed it; the client may retry.
    if (!row || row.status === null) return row && row.fingerprint !== fingerprint ? { kind: 'mismatch' } : { kind: 'running' };
    if (row.fingerprint !== fingerprint) return { kind: 'mismatch' };
    return {
      kind: 'done',
      answer: { status: row.status, contentType: row.content_type, location: row.location, body: row.body ?? '' },
    };
  }

  /** Keeps a success for replay. */
  async finish(id: KeyId, answer: StoredAnswer): Promise<void> {
    await this.db
      .updateTable('api_idempotency_keys')
      .set({ status: answer.status, content_type: answer.contentType, location: answer.location, body: answer.body })
      .where('user_id', '=', id.userId)
      .where('method', '=', id.method)
      .where('path', '=', id.path)
      .where('key', '=', id.key)
      .execute();
  }

  /** Frees a key whose request did not succeed: nothing was posted, so a retry may run. */
  async forget(id: KeyId): Promise<void> {
    await this.db
      .deleteFrom('api_idempotency_keys')
      .where('user_id', '=', id.userId)
      .where('method', '=', id.method)
      .where('path', '=', id.path)
      .where('key', '=', id.key)
      .where('status', 'is', null)
      .execute();
  }

  /** Deletes every expired key; returns how many. */
  async purge(): Promise<number> {
    const result = await this.db.deleteFrom('api_idempotency_keys').where('expires_at', '<=', new Date(this.now())).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

/** Hooks for the API's scope; `accountOf` names the caller (keys are per account). */
export function idempotencyHooks(accountOf: (request: FastifyRequest) => number | null, store: IdempotencyStore) {
  const running = new WeakMap<FastifyRequest, KeyId>();

  /** preHandler: replays a finished request, refuses a reused key or one still running, or claims the key for this one. */
  const check = async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    const header = request.headers['idempotency-key'];
    if (request.method !== 'POST' || header === undefined) return undefined;
    const userId = accountOf(request);
    if (userId === null) return undefined;
    if (typeof header !== 'string' || !KEY.test(header))
      throw new HttpError(400, 'Idempotency-Key is 1 to 255 printable characters without spaces, such as a UUID.');
    const path = request.url.split('?')[0]!;
    const id: KeyId = { userId, method: request.method, path, key: header };
    const fingerprint = createHash('sha256')
      .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
      .digest('base64url');
    const claim = await store.claim(id, fingerprint);
    if (claim.kind === 'mismatch')
      throw new HttpError(422, 'This Idempotency-Key was already used for a different request. Use a new key for each new request.');
    if (claim.kind === 'running')
      throw new HttpError(409, 'A request with this Idempotency-Key is still running. Try again in a moment for its answer.');
    if (claim.kind === 'done') {
      const { answer } = claim;
      if (answer.contentType) reply.header('content-type', answer.contentType);
      if (answer.location) reply.header('location', answer.location);
      reply.header('idempotency-replayed', 'true').status(answer.status);
      return reply.send(answer.body);
    }
    running.set(request, id);
    return undefined;
  };

  /** onSend: keeps a success for replay; anything else frees the key (nothing was posted, a retry may run). */
  const remember = async (request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> => {
    const id = running.get(request);
    if (id === undefined) return payload;
    running.delete(request);
    if (reply.statusCode >= 200 && reply.statusCode < 300 && typeof payload === 'string') {
      const header = (name: string) => {
        const value = reply.getHeader(name);
        return typeof value === 'string' ? value : null;
      };
      await store.finish(id, {
        status: reply.statusCode,
        contentType: header('content-type'),
        location: header('location'),
        body: payload,
      });
    } else {
      await store.forget(id);
    }
    return payload;
  };

  return { check, remember };
}
