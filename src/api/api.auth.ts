import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { findViewerByApiToken } from '../accounts/accounts.service.ts';
import type { Database } from '../db/schema.ts';
import { hashToken } from '../lib/tokens.ts';
import { HttpError } from '../web/errors.tsx';
import type { Viewer } from '../web/viewer.ts';
import { findOAuthViewer } from '../oauth/oauth.service.ts';
import { touchApiToken } from './api.repo.ts';
import type { Scope } from './api-scopes.ts';

/**
 * Who is calling the API. Only a bearer token counts: the session cookie is ignored here, so
 * what an API response shows never depends on a browser's login (and cookie-borne requests
 * never gain write access without CSRF checks).
 */
export type ApiCaller =
  | { kind: 'guest' }
  | {
      kind: 'token';
      viewer: Viewer;
      tokenHash: string /** 'all' for a personal token; an app's allowed scopes otherwise. */;
      scopes: 'all' | readonly Scope[];
    }
  | { kind: 'invalid'; message: string };

/** A token's last use is written at most this often (per process): the tokens page shows a day, not a second. */
export const TOKEN_STAMP_MS = 5 * 60_000;

/** An account's tokens together get this many times one token's allowance. */
export const ACCOUNT_CEILING_FACTOR = 2;

const BEARER = /^Bearer +([A-Za-z0-9._~+/=-]{1,200}) *$/i;

export class ApiAuth {
  // Per request, without widening FastifyRequest's type for the whole app.
  private readonly callers = new WeakMap<FastifyRequest, ApiCaller>();

  /** When this process last wrote each token's last use. */
  private readonly stamped = new Map<string, number>();

  /**
   * `db` is the primary: a token revoked a moment ago must stop working at once, which a lagging
   * replica would not see.
   */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly log: (error: unknown) => void = () => {},
  ) {}

  /** onRequest: resolves the token (before rate limiting, which keys on the account). */
  readonly resolve = async (request: FastifyRequest): Promise<void> => {
    this.callers.set(request, await this.identify(request.headers.authorization, request.method));
  };

  /**
   * Writes the token's last use, at most every TOKEN_STAMP_MS per token and process. A read does
   * not wait for it (a GET served by a replica never waits on the primary's write); a write does,
   * being on the primary anyway.
   */
  private async stampUse(tokenHash: string, method: string): Promise<void> {
    const now = Date.now();
    const last = this.stamped.get(tokenHash);
    if (last !== undefined && now - last < TOKEN_STAMP_MS) return;
    if (this.stamped.size >= 100_000) this.stamped.clear();
    this.stamped.set(tokenHash, now);
    const stamping = touchApiToken(this.db, tokenHash, new Date(now), TOKEN_STAMP_MS).catch(this.log);
    if (method !== 'GET' && method !== 'HEAD') await stamping;
  }

  private async identify(header: string | undefined, method: string): Promise<ApiCaller> {
    if (header === undefined || header === '') return { kind: 'guest' };
    const match = BEARER.exec(header);
    if (!match) {
      return { kind: 'invalid', message: 'The Authorization header must be “Bearer <token>”, with a token from your API tokens page.' };
    }
    const tokenHash = hashToken(match[1]!);
    const viewer = await findViewerByApiToken(this.db, tokenHash);
    if (viewer) {
      await this.stampUse(tokenHash, method);
      return { kind: 'token', viewer, tokenHash, scopes: 'all' };
    }
    // An app's access token (src/oauth): the same account, limited to the scopes its owner allowed.
    const app = await findOAuthViewer(this.db, tokenHash);
    if (app) return { kind: 'token', viewer: app.viewer, tokenHash, scopes: app.scopes };
    return {
      kind: 'invalid',
      message:
        "This API token is unknown, expired or has been revoked. Create a new one on your API tokens page, or refresh your app's token.",
    };
  }

  callerOf(request: FastifyRequest): ApiCaller {
    return this.callers.get(request) ?? { kind: 'guest' };
  }

  /** The rate limit's key: each valid token its own bucket, else the client's address. */
  readonly rateLimitKey = (request: FastifyRequest): string => {
    const caller = this.callerOf(request);
    return caller.kind === 'token' ? `api-token:${caller.tokenHash}` : `api-ip:${request.ip}`;
  };

  /** Requests per account this minute, by request class (reads/writes): the ceiling over all its tokens. */
  private readonly accountWindows = new Map<string, { count: number; resetAt: number }>();

  /**
   * preParsing, after the per-token limit: an account's tokens together make at most
   * `ACCOUNT_CEILING_FACTOR` times one token's allowance a minute (so minting tokens does not
   * multiply an account's rate). `max` is the route's per-token limit.
   */
  readonly accountCeiling = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const caller = this.callerOf(request);
    const max = (request.routeOptions.config as { rateLimit?: { max?: number } } | undefined)?.rateLimit?.max;
    if (caller.kind !== 'token' || typeof max !== 'number') return;
    const now = Date.now();
    const key = `${caller.viewer.id}:${max}`;
    let window = this.accountWindows.get(key);
    if (!window || window.resetAt <= now) {
      if (this.accountWindows.size > 100_000) for (const [k, w] of this.accountWindows) if (w.resetAt <= now) this.accountWindows.delete(k);
      window = { count: 0, resetAt: now + 60_000 };
      this.accountWindows.set(key, window);
    }
    window.count += 1;
    if (window.count > max * ACCOUNT_CEILING_FACTOR) {
      const seconds = Math.max(1, Math.ceil((window.resetAt - now) / 1000));
      reply.header('retry-after', String(seconds));
      throw new HttpError(429, `Too many API requests from this account's tokens together; retry in ${seconds} seconds.`);
    }
  };

  /** preParsing, after the rate limit: a bad token is refused even where a guest would be served. */
  readonly refuseInvalid = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const caller = this.callerOf(request);
    if (caller.kind === 'invalid') {
      reply.header('www-authenticate', 'Bearer error="invalid_token"');
      throw new HttpError(401, caller.message);
    }
  };

  /** preParsing for writes: refused before the body is read, so a 401 comes before a 400 or 415. */
  readonly requireToken = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (this.callerOf(request).kind !== 'token') {
      reply.header('www-authenticate', 'Bearer');
      throw new HttpError(
        401,
        'This needs an API token: send the header “Authorization: Bearer <token>”. Create a token on your API tokens page (/users/<login>/api_tokens).',
      );
    }
  };

  /**
   * preParsing for operations on one's own things: a token (401 without), holding `scope` (403
   * with the scope named, RFC 6750's insufficient_scope, when an app was not allowed it).
   */
  requireScope(scope: Scope) {
    return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
      await this.requireToken(request, reply);
      const caller = this.callerOf(request);
      if (caller.kind === 'token' && caller.scopes !== 'all' && !caller.scopes.includes(scope)) {
        reply.header('www-authenticate', `Bearer error="insufficient_scope", scope="${scope}"`);
        throw new HttpError(
          403,
          `This app was not allowed “${scope}”. Ask for it when the person authorizes the app (scope=${scope}); personal tokens hold every scope.`,
        );
      }
    };
  }

  /** The viewer for policy decisions: the token's owner, or null for a guest. */
  viewerOf(request: FastifyRequest): Viewer | null {
    const caller = this.callerOf(request);
    return caller.kind === 'token' ? caller.viewer : null;
  }
}
