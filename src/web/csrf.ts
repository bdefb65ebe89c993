import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sameToken } from '../lib/tokens.ts';
import { HttpError } from './errors.tsx';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * True when the browser says the request came from one of this site's own pages. Browsers
 * send Origin on every cross-site POST and a page cannot forge it, so a matching Origin is
 * as strong as a token; it lets pages cached for all guests carry forms with no per-visitor
 * token in them.
 */
export function isSameOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (!origin || origin === 'null') return false;
  try {
    const url = new URL(origin);
    return url.host === request.headers.host && `${url.protocol.slice(0, -1)}` === request.protocol;
  } catch {
    return false;
  }
}

/**
 * Refuses every state-changing request unless its form field `_csrf` (or header
 * `x-csrf-token`) matches the visitor's CSRF cookie, or its Origin is this site. API
 * requests with a bearer token carry no cookie-borne authority, so they are exempt.
 */
export function registerCsrfProtection(app: FastifyInstance): void {
  app.addHook('preHandler', async (request) => {
    if (SAFE_METHODS.has(request.method)) return;
    if (request.url.startsWith('/api/') && request.headers.authorization?.startsWith('Bearer ')) return;
    if (request.url.startsWith('/api/') && !request.cookies.ff_session) return;
    const body = request.body as Record<string, unknown> | undefined;
    const fromBody = body && typeof body === 'object' ? fieldValue(body._csrf) : undefined;
    const header = request.headers['x-csrf-token'];
    const sent = fromBody ?? (typeof header === 'string' ? header : undefined);
    const cookie = request.cookies.ff_csrf;
    const tokenMatches = sent !== undefined && cookie !== undefined && cookie !== '' && sameToken(sent, cookie);
    if (!tokenMatches && !isSameOrigin(request)) {
      throw new HttpError(403, 'This form has expired or did not come from this site. Go back, reload the page and submit it again.');
    }
  });
}

/** A form field's value whether the body came url-encoded or multipart. */
function fieldValue(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && 'value' in value && typeof (value as { value: unknown }).value === 'string') {
    return (value as { value: string }).value;
  }
  return undefined;
}
