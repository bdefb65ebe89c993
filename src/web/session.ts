import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { findViewerBySession } from '../accounts/accounts.service.ts';
import type { ReaderPreferences } from '../accounts/reader-preferences.ts';
import { loadReaderPreferences } from '../accounts/reader-preferences.service.ts';
import type { Database } from '../db/schema.ts';
import { hashToken, newToken } from '../lib/tokens.ts';
import type { CachedViewer } from './viewer-cache.ts';
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

const CSRF_TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** Per-request CSRF state: the reply to set the cookie on, and the token once read. */
interface CsrfState {
  reply: FastifyReply | null;
  token: string | null;
}

const csrfStates = new WeakMap<FastifyRequest, CsrfState>();

/**
 * The visitor's CSRF token (a random cookie echoed in forms: a cross-site page can neither read
 * nor set it). Made on first read, so a page without a form sets no cookie and stays cacheable;
 * every page with a form reads it while rendering, so the cookie arrives with the form.
 */
function csrfTokenOf(request: FastifyRequest): string {
  const state = csrfStates.get(request);
  if (state?.token) return state.token;
  const existing = request.cookies?.[CSRF_COOKIE];
  let token: string;
  if (existing && CSRF_TOKEN_SHAPE.test(existing)) {
    token = existing;
  } else if (state?.reply && !state.reply.sent) {
    token = newToken();
    state.reply.setCookie(CSRF_COOKIE, token, cookieOptions(request));
  } else {
    // Before the session hook ran (an early error page) no cookie can be set: no token.
    return '';
  }
  if (state) state.token = token;
  else csrfStates.set(request, { reply: null, token });
  return token;
}

/** Whether this request's CSRF token was read (a page that embeds it is not the same for everyone). */
export function csrfTokenWasRead(request: FastifyRequest): boolean {
  return Boolean(csrfStates.get(request)?.token);
}

/** A signed-in reader's preferences, when the session hook had them (from the viewer cache or with it). */
const sessionPreferences = new WeakMap<FastifyRequest, ReaderPreferences>();

/** The signed-in reader's preferences found by the session hook, if it found them (the preferences hook asks first). */
export function preferencesFoundWithSession(request: FastifyRequest): ReaderPreferences | undefined {
  return sessionPreferences.get(request);
}

/**
 * Loads the viewer from the session cookie and gives the request its lazy CSRF token. A session
 * in the viewer cache (src/web/viewer-cache.ts, `app.viewerCache` when registered) costs no
 * query; one looked up is kept there with the reader's preferences.
 */
export function registerSessions(app: FastifyInstance, db: Kysely<Database>): void {
  app.decorateRequest('viewer', null);
  app.decorateRequest('csrfToken', {
    getter(this: FastifyRequest) {
      return csrfTokenOf(this);
    },
  });
  app.addHook('onRequest', (request, reply, done) => {
    csrfStates.set(request, { reply, token: null });
    const sessionToken = request.cookies[SESSION_COOKIE];
    if (!sessionToken) return done();
    const tokenHash = hashToken(sessionToken);
    const cache = app.hasDecorator('viewerCache') ? app.viewerCache : undefined;
    const cached = cache?.get(tokenHash);
    if (cached) {
      // Copies: a route may adjust its request's viewer without touching the cached one.
      request.viewer = { ...cached.viewer };
      sessionPreferences.set(request, { ...cached.preferences });
      return done();
    }
    const ticket = cache?.ticket();
    if (!cache?.enabled || ticket === undefined) {
      findViewerBySession(db, tokenHash).then((viewer) => {
        request.viewer = viewer ?? null;
        if (!viewer) reply.clearCookie(SESSION_COOKIE, { path: '/' });
        done();
      }, done);
      return;
    }
    // Concurrent requests of one session share one lookup, unless a write came between them.
    const key = `${tokenHash}:${ticket}`;
    let pending = lookups.get(key);
    if (!pending) {
      pending = lookUpViewer(db, tokenHash).finally(() => lookups.delete(key));
      lookups.set(key, pending);
    }
    pending
      .then((found) => {
        request.viewer = found ? { ...found.viewer } : null;
        if (!found) {
          reply.clearCookie(SESSION_COOKIE, { path: '/' });
          return;
        }
        sessionPreferences.set(request, { ...found.preferences });
        cache.store(tokenHash, found, ticket);
      })
      .then(() => done(), done);
  });
}

/** Lookups under way, by session token hash and viewer-cache ticket. */
const lookups = new Map<string, Promise<CachedViewer | undefined>>();

/** The viewer behind a session and their reading preferences, as the viewer cache keeps them. */
async function lookUpViewer(db: Kysely<Database>, tokenHash: string): Promise<CachedViewer | undefined> {
  const viewer = await findViewerBySession(db, tokenHash);
  if (!viewer) return undefined;
  return { viewer, preferences: await loadReaderPreferences(db, viewer.id) };
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
