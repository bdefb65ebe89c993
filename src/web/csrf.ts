import type { FastifyInstance } from 'fastify';
import { sameToken } from '../lib/tokens.ts';
import { HttpError } from './errors.tsx';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses every state-changing request whose form field `_csrf` (or header `x-csrf-token`)
 * does not match the visitor's CSRF cookie. API requests with a bearer token carry no
 * cookie-borne authority, so they are exempt.
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
    if (!sent || !request.csrfToken || !sameToken(sent, request.csrfToken)) {
      throw new HttpError(
        403,
        'This form has expired or did not come from this site. Go back, reload the page and submit it again.',
      );
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
