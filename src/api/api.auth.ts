import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { findViewerByApiToken } from '../accounts/accounts.repo.ts';
import type { Database } from '../db/schema.ts';
import { hashToken } from '../lib/tokens.ts';
import { HttpError } from '../web/errors.tsx';
import type { Viewer } from '../web/viewer.ts';
import { touchApiToken } from './api.repo.ts';

/**
 * Who is calling the API. Only a bearer token counts: the session cookie is ignored here, so
 * what an API response shows never depends on a browser's login (and cookie-borne requests
 * never gain write access without CSRF checks).
 */
export type ApiCaller =
  | { kind: 'guest' }
  | { kind: 'token'; viewer: Viewer }
  | { kind: 'invalid'; message: string };

const BEARER = /^Bearer +([A-Za-z0-9._~+/=-]{1,200}) *$/i;

export class ApiAuth {
  // Per request, without widening FastifyRequest's type for the whole app.
  private readonly callers = new WeakMap<FastifyRequest, ApiCaller>();

  constructor(private readonly db: Kysely<Database>) {}

  /** onRequest: resolves the token (before rate limiting, which keys on the account). */
  readonly resolve = async (request: FastifyRequest): Promise<void> => {
    this.callers.set(request, await this.identify(request.headers.authorization));
  };

  private async identify(header: string | undefined): Promise<ApiCaller> {
    if (header === undefined || header === '') return { kind: 'guest' };
    const match = BEARER.exec(header);
    if (!match) {
      return { kind: 'invalid', message: 'The Authorization header must be “Bearer <token>”, with a token from your API tokens page.' };
    }
    const tokenHash = hashToken(match[1]!);
    const viewer = await findViewerByApiToken(this.db, tokenHash);
    if (!viewer) return { kind: 'invalid', message: 'This API token is unknown or has been revoked. Create a new one on your API tokens page.' };
    await touchApiToken(this.db, tokenHash);
    return { kind: 'token', viewer };
  }

  callerOf(request: FastifyRequest): ApiCaller {
    return this.callers.get(request) ?? { kind: 'guest' };
  }

  /** The rate limit's key: the account behind a valid token, else the client's address. */
  readonly rateLimitKey = (request: FastifyRequest): string => {
    const caller = this.callerOf(request);
    return caller.kind === 'token' ? `api-user:${caller.viewer.id}` : `api-ip:${request.ip}`;
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
      throw new HttpError(401, 'This needs an API token: send the header “Authorization: Bearer <token>”. Create a token on your API tokens page (/users/<login>/api_tokens).');
    }
  };

  /** The viewer for policy decisions: the token's owner, or null for a guest. */
  viewerOf(request: FastifyRequest): Viewer | null {
    const caller = this.callerOf(request);
    return caller.kind === 'token' ? caller.viewer : null;
  }
}
