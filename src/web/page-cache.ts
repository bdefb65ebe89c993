import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { askedAtDoor, type DoorAnswer, type FrontDoor } from './front-door.ts';
import { CSRF_COOKIE, csrfTokenWasRead, FLASH_COOKIE, SESSION_COOKIE } from './session.ts';
import { hashToken } from '../lib/tokens.ts';
import type { Viewer } from './viewer.ts';
import { guestPageVariant } from '../accounts/reader-preferences.ts';

/**
 * Rendered pages for anonymous readers, kept in memory (docs/decisions/002).
 *
 * Only pages rendered for a guest are stored, so only pages every guest may read are served.
 * An entry lives until its TTL runs out (the bound on staleness for writes this process does
 * not see: other app processes on a PostgreSQL server, hit counts) or until
 * `invalidateWork(workId)` drops it (every write through this process's routes).
 */
export interface PageCacheOptions {
  enabled: boolean;
  ttlMs: number;
  /** Most pages kept; the least recently used goes first. */
  maxEntries?: number;
  /** Most bytes of page bodies kept. */
  maxBytes?: number;
  now?: () => number;
}

export interface CachedPage {
  readonly workId: number;
  readonly body: Buffer;
  readonly etag: string;
  /**
   * The 200 with this page and the 304 for a reader who has it, made once: the headers of the
   * response it was rendered for (security headers) and ours, Content-Length included.
   */
  readonly ok: StoredAnswer;
  readonly notModified: StoredAnswer;
  readonly expiresAt: number;
  /** From here on, one reader is sent to render it again while the others still get this copy. */
  readonly refreshAt: number;
}

/** How long one reader's claim to refresh an entry holds before another may try (its render failed or was not stored). */
const REFRESH_CLAIM_MS = 1_000;

/** The share of the TTL after which an entry is refreshed ahead of its expiry. */
const REFRESH_AHEAD = 0.8;

/**
 * A whole page made for one signed-in reader from a shared part (docs/decisions/045), served by
 * the first hook like a guest's page while everything it was made from is still what it was:
 * `current()` compares the viewer cache's entry for the session, the reader's panel answers and
 * the shared part by identity, so any invalidation of any of them retires it.
 */
export interface MemberPage {
  readonly workId: number;
  readonly route: string;
  readonly body: Buffer;
  readonly headers: Readonly<Record<string, string | number | string[]>>;
  readonly viewer: Viewer;
  current(): boolean;
}

/** Taken before a page's data is read; a store with a stale ticket is refused. */
export type CacheTicket = number;

/** Who was served a stored page: what counting a hit once per visitor and reading history need. */
export interface PageVisit {
  readonly ip: string;
  readonly userAgent: string;
  /** The reader a member page was made for; undefined for a guest. */
  readonly viewerId: number | undefined;
}

type ServeListener = (workId: number, visit: PageVisit) => void;

/** A change to the stored guest pages, for copies kept elsewhere (door processes, src/web/doors). */
export type GuestPageChange =
  | { readonly kind: 'store'; readonly key: string; readonly page: CachedPage }
  | { readonly kind: 'delete'; readonly key: string }
  | { readonly kind: 'clear' };

/**
 * The visit of a request (Fastify's, or the front door's, which names the client as Fastify does),
 * for the reader given: a stored page's own, or the one the routes resolved.
 */
export function visitOf(request: { readonly ip: string; readonly headers: IncomingHttpHeaders }, viewerId: number | undefined): PageVisit {
  return { ip: request.ip, userAgent: request.headers['user-agent'] ?? '', viewerId };
}

/** The parts of a request the cache keys are made of: Fastify's request and the raw one both have them. */
export interface RequestHead {
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
}

/** A stored page ready to send, with whom it was made for (a member page's reader). */
export interface StoredAnswer extends DoorAnswer {
  readonly workId: number;
  readonly viewerId: number | undefined;
}

const HTML = 'text/html; charset=utf-8';

/** What getStoredMemberPage says of a page kept for a reader whose session, answers or shared part changed since. */
const STALE = Symbol('stale member page');

/** Longer Cookie headers are hashed each time rather than remembered: a full memo stays small. */
const MAX_REMEMBERED_HEADER = 2048;

export class PageCache {
  readonly enabled: boolean;
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private readonly now: () => number;
  /** Map order is recency order: a hit moves its entry to the end. */
  private readonly entries = new Map<string, CachedPage>();
  private readonly keysByWork = new Map<number, Set<string>>();
  private bytes = 0;
  /** Bumped by every invalidation, so a render that read data before a write is not stored. */
  private epoch = 0;
  private readonly listeners: ServeListener[] = [];
  private readonly invalidationListeners: Array<(workId: number) => void> = [];
  private readonly changeListeners: Array<(change: GuestPageChange) => void> = [];
  /** Signed-in readers' shared parts (storeShared), kept apart from guests' whole pages. */
  private readonly sharedParts = new Map<string, { workId: number; value: unknown; bytes: number; expiresAt: number; refreshAt: number }>();
  /**
   * Entries (guest pages and shared parts, by key) one reader was sent to render again: refreshing
   * ahead of expiry, one reader at a time, means a popular page never expires under load with every
   * connection rendering it at once.
   */
  private readonly refreshClaims = new Map<string, number>();
  /** Signed-in readers' whole pages with the headers to send them with, by memberPageKeyOf (recency order). */
  private readonly memberPages = new Map<string, { page: MemberPage; answer: StoredAnswer }>();
  /**
   * The member key's reader part (memberKeySuffixOf) by raw Cookie header, for headers that were
   * answered a kept page: a SHA-256 of the session took a fifth of a signed-in hit's own work.
   * A header's suffix never changes, so an entry cannot be wrong, only kept too long: they hold raw
   * session tokens, so they go with a page found no longer current, with every viewer the viewer
   * cache drops (a logout writes `sessions`: forgetMemberSessions), and past maxEntries.
   */
  private readonly memberSessions = new Map<string, string>();
  /** Pages being made now, by key (beginRender). */
  private readonly renders = new Map<string, Promise<void>>();
  private readonly sharedKeysByWork = new Map<number, Set<string>>();
  private sharedBytes = 0;

  constructor(options: PageCacheOptions) {
    this.enabled = options.enabled;
    this.ttlMs = options.ttlMs;
    this.maxEntries = options.maxEntries ?? 1000;
    this.maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    this.now = options.now ?? Date.now;
  }

  /**
   * The page stored under this key, unless it has expired; undefined also for the one caller
   * chosen to render it again once it is near expiry (the others keep getting it meanwhile).
   */
  get(key: string): CachedPage | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    const now = this.now();
    if (entry.expiresAt <= now) {
      this.delete(key);
      return undefined;
    }
    if (entry.refreshAt <= now && this.claimRefresh(key, now)) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  get size(): number {
    return this.entries.size;
  }

  ticket(): CacheTicket {
    return this.epoch;
  }

  /** Stores a guest's page; refused (undefined) when disabled or invalidated since `ticket`. */
  store(
    key: string,
    page: { workId: number; route: string; html: string; headers?: Record<string, string | number | string[]> },
    ticket: CacheTicket,
  ): CachedPage | undefined {
    if (!this.enabled || ticket !== this.epoch) return undefined;
    const body = Buffer.from(page.html);
    if (body.length > this.maxBytes) return undefined;
    this.delete(key);
    const { workId } = page;
    const etag = etagOf(body);
    // no-cache: browsers keep the page but ask again each time (a 304 is cheap), so a reader who
    // logs in never sees the guest page. Vary: Cookie keeps shared caches from mixing the two.
    const headers = { ...page.headers, etag, 'cache-control': 'no-cache', vary: 'Cookie' };
    const answer = { route: page.route, workId, viewerId: undefined };
    const entry: CachedPage = {
      workId,
      body,
      etag,
      ok: { ...answer, status: 200, headers: { ...headers, 'content-type': HTML, 'content-length': body.length }, body },
      notModified: { ...answer, status: 304, headers, body: undefined },
      expiresAt: this.now() + this.ttlMs,
      refreshAt: this.now() + this.ttlMs * REFRESH_AHEAD,
    };
    this.entries.set(key, entry);
    this.refreshClaims.delete(key);
    this.bytes += body.length;
    this.changed({ kind: 'store', key, page: entry });
    let keys = this.keysByWork.get(workId);
    if (!keys) this.keysByWork.set(workId, (keys = new Set()));
    keys.add(key);
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      this.delete(oldest);
    }
    return entry;
  }

  /**
   * The part of a page every signed-in reader shares (docs/decisions/033), stored like a guest's
   * page: per work, refused with a stale ticket, dropped by `invalidateWork`, expiring with the TTL.
   */
  storeShared<T>(key: string, shared: { workId: number; value: T; bytes: number }, ticket: CacheTicket): boolean {
    if (!this.enabled || ticket !== this.epoch || shared.bytes > this.maxBytes) return false;
    this.deleteShared(key);
    const now = this.now();
    this.sharedParts.set(key, {
      workId: shared.workId,
      value: shared.value,
      bytes: shared.bytes,
      expiresAt: now + this.ttlMs,
      refreshAt: now + this.ttlMs * REFRESH_AHEAD,
    });
    this.refreshClaims.delete(key);
    this.sharedBytes += shared.bytes;
    let keys = this.sharedKeysByWork.get(shared.workId);
    if (!keys) this.sharedKeysByWork.set(shared.workId, (keys = new Set()));
    keys.add(key);
    for (const oldest of this.sharedParts.keys()) {
      if (this.sharedParts.size <= this.maxEntries && this.sharedBytes <= this.maxBytes) break;
      this.deleteShared(oldest);
    }
    return true;
  }

  /** The shared part stored under this key, unless it has expired (or this caller is to refresh it, as `get`). */
  getShared<T>(key: string): T | undefined {
    const entry = this.sharedParts.get(key);
    if (!entry) return undefined;
    const now = this.now();
    if (entry.expiresAt <= now) {
      this.deleteShared(key);
      return undefined;
    }
    if (entry.refreshAt <= now && this.claimRefresh(key, now)) return undefined;
    this.sharedParts.delete(key);
    this.sharedParts.set(key, entry);
    return entry.value as T;
  }

  get sharedSize(): number {
    return this.sharedParts.size;
  }

  /**
   * Marks a page (or shared part) as being made; `rendering(key)` resolves when `finish` is called.
   * Requests that miss wait for it instead of each making the same page: after an expiry or an
   * invalidation under load, one render instead of one per connection.
   */
  beginRender(key: string): () => void {
    if (this.renders.has(key)) return () => {};
    let finish!: () => void;
    const done = new Promise<void>((resolve) => {
      finish = resolve;
    });
    this.renders.set(key, done);
    return () => {
      this.renders.delete(key);
      finish();
    };
  }

  /** Resolves when the page being made under this key is done (stored or not); undefined when none is. */
  rendering(key: string): Promise<void> | undefined {
    return this.renders.get(key);
  }

  /** The shared part under this key if it has not expired, without touching recency or claiming a refresh. */
  peekShared<T>(key: string): T | undefined {
    const entry = this.sharedParts.get(key);
    return entry && entry.expiresAt > this.now() ? (entry.value as T) : undefined;
  }

  get memberPageCount(): number {
    return this.memberPages.size;
  }

  /** Keeps a signed-in reader's page (see MemberPage); the least recently used go past maxEntries. */
  storeMemberPage(key: string, page: MemberPage): void {
    if (!this.enabled) return;
    this.memberPages.delete(key);
    const headers = { ...page.headers, 'content-type': HTML, 'content-length': page.body.length };
    const answer = { status: 200, headers, body: page.body, route: page.route, workId: page.workId, viewerId: page.viewer.id };
    this.memberPages.set(key, { page, answer });
    for (const oldest of this.memberPages.keys()) {
      if (this.memberPages.size <= this.maxEntries) break;
      this.memberPages.delete(oldest);
    }
  }

  /** The reader's page under this key while it is current. */
  getMemberPage(key: string): MemberPage | undefined {
    const stored = this.getStoredMemberPage(key);
    return stored === STALE ? undefined : stored?.page;
  }

  /** Forgets every session seen (memberSessions): the viewer cache dropped viewers, a logout among the reasons. */
  forgetMemberSessions(): void {
    this.memberSessions.clear();
  }

  /** How many Cookie headers' sessions are remembered (tests). */
  get memberSessionCount(): number {
    return this.memberSessions.size;
  }

  /** The page under this key while it is current; STALE when one was kept but is not any more (it is dropped). */
  private getStoredMemberPage(key: string): { page: MemberPage; answer: StoredAnswer } | typeof STALE | undefined {
    const stored = this.memberPages.get(key);
    if (!stored) return undefined;
    if (!stored.page.current()) {
      this.memberPages.delete(key);
      return STALE;
    }
    this.memberPages.delete(key);
    this.memberPages.set(key, stored);
    return stored;
  }

  /** A signed-in reader's kept page for this URL and Cookie header, the session's hash remembered while it serves. */
  private answerMember(url: string, header: string): StoredAnswer | undefined {
    const known = this.memberSessions.get(header);
    const suffix = known ?? memberKeySuffixOf(header);
    if (suffix === undefined) return undefined;
    const stored = this.getStoredMemberPage(url + suffix);
    if (stored === STALE) {
      // The session may have ended: its raw token is not kept past the page made for it.
      this.memberSessions.delete(header);
      return undefined;
    }
    if (stored === undefined) return undefined;
    if (known === undefined && header.length <= MAX_REMEMBERED_HEADER) {
      if (this.memberSessions.size >= this.maxEntries) this.memberSessions.delete(this.memberSessions.keys().next().value!);
      this.memberSessions.set(header, suffix);
    }
    return stored.answer;
  }

  /**
   * What is stored for this GET: a signed-in reader's own page or a guest's page (a 304 when the
   * guest already has it); undefined on a miss, and the request goes on to its route.
   */
  answer(request: RequestHead): StoredAnswer | undefined {
    if (!isAnonymous(request)) return this.answerMember(request.url, request.headers.cookie ?? '');
    const entry = this.get(cacheKeyOf(request));
    return entry && guestAnswer(entry, request.headers['if-none-match']);
  }

  private claimRefresh(key: string, now: number): boolean {
    return claimRefresh(this.refreshClaims, key, now);
  }

  private deleteShared(key: string): void {
    const entry = this.sharedParts.get(key);
    if (!entry) return;
    this.sharedParts.delete(key);
    this.refreshClaims.delete(key);
    this.sharedBytes -= entry.bytes;
    const keys = this.sharedKeysByWork.get(entry.workId);
    keys?.delete(key);
    if (keys?.size === 0) this.sharedKeysByWork.delete(entry.workId);
  }

  /** Drops every page of this work; call it after any successful change to the work. */
  invalidateWork(workId: number): void {
    this.epoch++;
    for (const key of this.keysByWork.get(workId) ?? []) this.delete(key);
    for (const key of this.sharedKeysByWork.get(workId) ?? []) this.deleteShared(key);
    for (const listener of this.invalidationListeners) listener(workId);
  }

  /** Called on every `invalidateWork`, for other per-work caches (download facts, say). */
  onInvalidate(listener: (workId: number) => void): void {
    this.invalidationListeners.push(listener);
  }

  /** Called after every change to the stored guest pages (stored, dropped for any reason, cleared). */
  onGuestPageChange(listener: (change: GuestPageChange) => void): void {
    this.changeListeners.push(listener);
  }

  /** The guest pages stored now, by key (to fill a copy kept elsewhere). */
  guestPages(): IterableIterator<[string, CachedPage]> {
    return this.entries.entries();
  }

  private changed(change: GuestPageChange): void {
    for (const listener of this.changeListeners) listener(change);
  }

  clear(): void {
    this.epoch++;
    if (this.entries.size > 0) this.changed({ kind: 'clear' });
    this.entries.clear();
    this.keysByWork.clear();
    this.bytes = 0;
    this.sharedParts.clear();
    this.sharedKeysByWork.clear();
    this.sharedBytes = 0;
    this.refreshClaims.clear();
    this.memberPages.clear();
    this.memberSessions.clear();
  }

  /** Called for every page served from the cache (hit counting). */
  onServe(listener: ServeListener): void {
    this.listeners.push(listener);
  }

  served(workId: number, visit: PageVisit): void {
    for (const listener of this.listeners) listener(workId, visit);
  }

  private delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.refreshClaims.delete(key);
    this.bytes -= entry.body.length;
    this.changed({ kind: 'delete', key });
    const keys = this.keysByWork.get(entry.workId);
    keys?.delete(key);
    if (keys?.size === 0) this.keysByWork.delete(entry.workId);
  }
}

/**
 * Whether this caller may refresh the entry under `key`: nobody claimed it within REFRESH_CLAIM_MS
 * (then the claim is now this caller's). Door processes keep their own claims the same way.
 */
export function claimRefresh(claims: Map<string, number>, key: string, now: number): boolean {
  const claimed = claims.get(key);
  if (claimed !== undefined && now - claimed < REFRESH_CLAIM_MS) return false;
  claims.set(key, now);
  return true;
}

/** A strong validator from the body's bytes. */
export function etagOf(body: Buffer): string {
  return `"${createHash('sha1').update(body).digest('base64url')}"`;
}

/** Whether an If-None-Match header names this ETag (weak comparison, as RFC 9110 asks). */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const bare = etag.replace(/^W\//, '');
  return header.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === bare);
}

const PERSONAL_COOKIE = new RegExp(`(?:^|[;,])\\s*(?:${SESSION_COOKIE}|${FLASH_COOKIE})\\s*=`);

/**
 * A guest: no session and no one-time notice, so the page is the same for every guest. Read
 * from the raw header so the check can run before the cookie plugin (and any other hook).
 */
export function isAnonymous(request: Pick<RequestHead, 'headers'>): boolean {
  const header = request.headers.cookie;
  return header === undefined || !PERSONAL_COOKIE.test(header);
}

/**
 * The cache key of a guest's page: its URL, plus the guest's reading preferences and "Proceed"
 * on the adult notice when they differ from the defaults (cookies that change the page: theme,
 * spoilers, the notice). Guests with the same choices share a page; none gets another's.
 */
export function cacheKeyOf(request: RequestHead): string {
  const variant = guestPageVariant(request.headers.cookie);
  return variant === '' ? request.url : `${request.url}\n${variant}`;
}

/**
 * The key of the part of a page that every signed-in reader with the same reading preferences
 * shares: the URL and the preferences that change the page's body (spoilers; display settings are
 * on <html>, rendered per request). Never a guest's key: it starts with a character no URL has.
 */
export function signedInKeyOf(request: RequestHead, preferences: string): string {
  return `\u0000member\n${request.url}\n${preferences}`;
}

/**
 * The key of a signed-in reader's whole page: the URL, the session and the CSRF token (both in
 * the page), from the raw Cookie header; none with a one-time notice due or without a CSRF cookie.
 */
export function memberPageKeyOf(request: RequestHead): string | undefined {
  const header = request.headers.cookie;
  const suffix = header === undefined ? undefined : memberKeySuffixOf(header);
  return suffix === undefined ? undefined : request.url + suffix;
}

/** The reader's part of memberPageKeyOf's key, after the URL: the session's hash and the CSRF token. */
function memberKeySuffixOf(header: string): string | undefined {
  let session: string | undefined;
  let csrf: string | undefined;
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at < 0) continue;
    const name = part.slice(0, at).trim();
    if (name === FLASH_COOKIE) return undefined;
    // The first of a name wins, as the cookie parser decides for the rest of the app.
    if (name === SESSION_COOKIE) session ??= part.slice(at + 1).trim();
    else if (name === CSRF_COOKIE) csrf ??= part.slice(at + 1).trim();
  }
  if (!session || !csrf) return undefined;
  return `\n${hashToken(session)}\n${csrf}`;
}

/** The headers of a fresh response worth replaying with a stored copy (security headers). */
export function replayableHeaders(reply: FastifyReply): Record<string, string | number | string[]> {
  const headers: Record<string, string | number | string[]> = {};
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value !== undefined && !NOT_REPLAYED.has(name.toLowerCase())) headers[name] = value;
  }
  return headers;
}

/** Headers of a fresh response not replayed from the cache (set per response, or by us). */
const NOT_REPLAYED = new Set([
  'content-type',
  'content-length',
  'etag',
  'cache-control',
  'vary',
  'date',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'set-cookie',
]);

/** A guest's page as a 200, or a 304 when the reader already has it. */
function guestAnswer(entry: CachedPage, ifNoneMatch: string | undefined): StoredAnswer {
  return etagMatches(ifNoneMatch, entry.etag) ? entry.notModified : entry.ok;
}

/** Sends a stored answer through Fastify (the onRequest hook and routes), counting the visit. */
function sendStoredAnswer(request: FastifyRequest, reply: FastifyReply, answer: StoredAnswer): FastifyReply {
  request.server.pageCache.served(answer.workId, visitOf(request, answer.viewerId));
  return replyWith(reply, answer);
}

function replyWith(reply: FastifyReply, answer: StoredAnswer): FastifyReply {
  reply.code(answer.status).headers(answer.headers);
  return answer.body ? reply.send(answer.body) : reply.send();
}

/**
 * Creates the app's page cache (`app.pageCache`). Stored pages are answered by the front door
 * (front-door.ts) before Fastify sees the request; the same answers come from an onRequest hook
 * registered before every other plugin for requests that skip the door (`app.inject`), and that
 * hook also lets a guest wait for the page another guest's request is making.
 */
export function registerPageCache(app: FastifyInstance, options: PageCacheOptions & { frontDoor?: FrontDoor }): PageCache {
  const cache = new PageCache(options);
  app.decorate('pageCache', cache);
  if (!cache.enabled) return cache;
  options.frontDoor?.addCounter((request) => {
    const answer = cache.answer(request);
    if (answer) cache.served(answer.workId, visitOf(request, answer.viewerId));
    return answer;
  });
  app.addHook('onRequest', (request, reply, done) => {
    if (request.method !== 'GET') return done();
    const answer = askedAtDoor(request.raw) ? undefined : cache.answer(request);
    // Responding from a callback hook: send, and do not call done().
    if (answer) return void sendStoredAnswer(request, reply, answer);
    if (!isAnonymous(request)) return done();
    // Another guest's request is making this page: wait for it, then serve it if it was stored.
    const making = cache.rendering(cacheKeyOf(request));
    if (!making) return done();
    making.then(() => {
      const made = cache.answer(request);
      if (!made) return done();
      sendStoredAnswer(request, reply, made);
    }, done);
  });
  return cache;
}

/** Sends the guest page stored under `key` if there is one (counted as served); undefined when there is none. */
export function sendCachedPage(request: FastifyRequest, reply: FastifyReply, key: string): FastifyReply | undefined {
  const entry = request.server.pageCache.get(key);
  if (!entry) return undefined;
  return sendStoredAnswer(request, reply, guestAnswer(entry, request.headers['if-none-match']));
}

/**
 * Sends a freshly rendered page. When it was rendered for a guest (no viewer, no flash, no CSRF
 * token embedded) it is stored under the request's URL (and preferences, cacheKeyOf) and carries an ETag; otherwise it is
 * sent as it is. `ticket` is `cache.ticket()` taken before the page's data was read.
 */
export function sendReadablePage(
  request: FastifyRequest,
  reply: FastifyReply,
  page: { workId: number; html: string; ticket: CacheTicket },
): FastifyReply {
  const cache = request.server.pageCache;
  const cacheable =
    cache.enabled &&
    request.method === 'GET' &&
    request.viewer === null &&
    isAnonymous(request) &&
    !csrfTokenWasRead(request) &&
    !reply.hasHeader('set-cookie');
  if (cacheable) {
    const route = request.routeOptions.url ?? request.url;
    const entry = cache.store(
      cacheKeyOf(request),
      { workId: page.workId, route, html: page.html, headers: replayableHeaders(reply) },
      page.ticket,
    );
    // The route counted this visit already.
    if (entry) return replyWith(reply, guestAnswer(entry, request.headers['if-none-match']));
  }
  return reply.type(HTML).send(page.html);
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Rendered guest pages; routes that change a work call `pageCache.invalidateWork(id)`. */
    pageCache: PageCache;
  }
}
