import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { findViewerBySession } from '../accounts/accounts.repo.ts';
import type { Database } from '../db/schema.ts';
import { hashToken, newToken } from '../lib/tokens.ts';
import './viewer.ts';

export const SESSION_COOKIE = 'ff_session';
export const CSRF_COOKIE = 'ff_csrf';
export const FLASH_COOKIE = 'ff_flash';

/** Cookie options: HttpOnly, SameSite=Lax, Secure when the request came over TLS. */
export function cookieOptions(request: FastifyRequest, maxAgeSeconds?: number) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: request.protocol === 'https',
    ...(maxAgeSeconds !== undefined ? { maxAge: maxAgeSeconds } : {}),
  };
}

/**
 * Loads the viewer from the session cookie and makes sure every visitor has a CSRF token
 * (a random cookie echoed in forms: a cross-site page can neither read nor set it).
 */
export function registerSessions(app: FastifyInstance, db: Kysely<Database>): void {
  app.decorateRequest('viewer', null);
  app.decorateRequest('csrfToken', '');
  app.addHook('onRequest', async (request, reply) => {
    const existing = request.cookies[CSRF_COOKIE];
    if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) {
      request.csrfToken = existing;
    } else {
      request.csrfToken = newToken();
      reply.setCookie(CSRF_COOKIE, request.csrfToken, cookieOptions(request));
    }
    const sessionToken = request.cookies[SESSION_COOKIE];
    if (sessionToken) {
      request.viewer = (await findViewerBySession(db, hashToken(sessionToken))) ?? null;
      if (!request.viewer) reply.clearCookie(SESSION_COOKIE, { path: '/' });
    }
  });
}

/** Stores a one-time notice shown on the next page (after a redirect). */
export function setFlash(request: FastifyRequest, reply: FastifyReply, message: string): void {
  reply.setCookie(FLASH_COOKIE, encodeURIComponent(message.slice(0, 300)), cookieOptions(request, 60));
}

/** Reads and clears the one-time notice. */
export function takeFlash(request: FastifyRequest, reply: FastifyReply): string | undefined {
  const raw = request.cookies[FLASH_COOKIE];
  if (raw === undefined) return undefined;
  reply.clearCookie(FLASH_COOKIE, { path: '/' });
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}
