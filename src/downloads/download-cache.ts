import type { FastifyInstance, FastifyRequest } from 'fastify';
import { etagMatches, isAnonymous } from '../web/page-cache.ts';
import { HSTS_VALUE } from '../web/security-headers.ts';

/**
 * Cached downloads for guests, answered before every other hook (docs/decisions/016), as the
 * page cache answers guest pages (docs/decisions/002).
 *
 * Only downloads of works every guest may read (posted, unrestricted, not hidden) are stored, and
 * never those of a concealed work (an anonymous or unrevealed collection's, decision 043): which
 * file it gets depends on who asks, and it changes at the reveal without a new version, so the
 * route sends those privately and keeps them only in its own memory, keyed by credit. An entry
 * here is therefore always the named file of a work that was not concealed when it was stored;
 * whatever conceals or reveals a work drops it through `invalidateWork`. Entries are stored
 * only as the downloads route served them to a guest: the stored headers (content type,
 * disposition, ETag, cache policy, security headers) are that response's. An entry lives until
 * the page cache's TTL runs out (the bound on staleness for writes made by other processes) or
 * until the work is invalidated (`pageCache.invalidateWork`, every write through this process).
 */
export interface DownloadCacheOptions {
  enabled: boolean;
  ttlMs: number;
  /** Most bytes of files kept; the least recently used goes first. */
  maxBytes?: number;
  /** Larger files are never kept (they stream from disk). */
  maxFileBytes?: number;
  now?: () => number;
}

export interface CachedDownload {
  readonly workId: number;
  readonly version: number;
  readonly body: Buffer;
  readonly etag: string;
  /** Every header of the guest response it was stored from, set-cookie excluded. */
  readonly headers: Readonly<Record<string, string | number | string[]>>;
  /** The same, for a 304 (no length). */
  readonly notModifiedHeaders: Readonly<Record<string, string | number | string[]>>;
  readonly expiresAt: number;
}

/** Headers never replayed: per-response ones, and anything personal or transport-specific. */
const NOT_REPLAYED = new Set([
  'content-length',
  'date',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'set-cookie',
  'strict-transport-security',
]);

export class DownloadCache {
  readonly enabled: boolean;
  private readonly ttlMs: number;
  private readonly maxBytes: number;
  private readonly maxFileBytes: number;
  private readonly now: () => number;
  /** Keyed by the URL's path (query ignored, as the route ignores it); Map order is recency. */
  private readonly entries = new Map<string, CachedDownload>();
  private readonly keysByWork = new Map<number, Set<string>>();
  private bytes = 0;
  /** Bumped by every invalidation, so a response built from data read before a write is not kept. */
  private epoch = 0;

  constructor(options: DownloadCacheOptions) {
    this.enabled = options.enabled;
    this.ttlMs = options.ttlMs;
    this.maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    this.maxFileBytes = Math.min(options.maxFileBytes ?? 8 * 1024 * 1024, this.maxBytes);
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  get storedBytes(): number {
    return this.bytes;
  }

  ticket(): number {
    return this.epoch;
  }

  get(path: string): CachedDownload | undefined {
    const entry = this.entries.get(path);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.delete(path);
      return undefined;
    }
    this.entries.delete(path);
    this.entries.set(path, entry);
    return entry;
  }

  /**
   * Keeps a download just served to a guest. The caller vouches that every guest may read the
   * work; refused when disabled, too large, or invalidated since `ticket`.
   */
  store(
    path: string,
    download: {
      workId: number;
      version: number;
      body: Buffer;
      etag: string;
      headers: Record<string, string | number | string[] | undefined>;
    },
    ticket: number,
  ): CachedDownload | undefined {
    if (!this.enabled || ticket !== this.epoch || download.body.length > this.maxFileBytes) return undefined;
    const headers: Record<string, string | number | string[]> = {};
    for (const [name, value] of Object.entries(download.headers)) {
      if (value !== undefined && !NOT_REPLAYED.has(name.toLowerCase())) headers[name] = value;
    }
    const notModifiedHeaders = { ...headers };
    headers['content-length'] = download.body.length;
    this.delete(path);
    const entry: CachedDownload = {
      workId: download.workId,
      version: download.version,
      body: download.body,
      etag: download.etag,
      headers,
      notModifiedHeaders,
      expiresAt: this.now() + this.ttlMs,
    };
    this.entries.set(path, entry);
    this.bytes += entry.body.length;
    let keys = this.keysByWork.get(entry.workId);
    if (!keys) this.keysByWork.set(entry.workId, (keys = new Set()));
    keys.add(path);
    for (const oldest of this.entries.keys()) {
      if (this.bytes <= this.maxBytes) break;
      this.delete(oldest);
    }
    return entry;
  }

  invalidateWork(workId: number): void {
    this.epoch++;
    for (const key of this.keysByWork.get(workId) ?? []) this.delete(key);
  }

  clear(): void {
    this.epoch++;
    this.entries.clear();
    this.keysByWork.clear();
    this.bytes = 0;
  }

  private delete(path: string): void {
    const entry = this.entries.get(path);
    if (!entry) return;
    this.entries.delete(path);
    this.bytes -= entry.body.length;
    const keys = this.keysByWork.get(entry.workId);
    keys?.delete(path);
    if (keys?.size === 0) this.keysByWork.delete(entry.workId);
  }
}

/** The path of a download URL (`/downloads/ID/File.ext`), without its query; else null. */
export function downloadPath(url: string): string | null {
  if (!url.startsWith('/downloads/')) return null;
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  return /^\/downloads\/[1-9][0-9]{0,9}\/[^/#]*\.[A-Za-z0-9]{3,4}$/.test(path) ? path : null;
}

/**
 * Creates `app.downloadCache` and answers cached guest download GETs from an onRequest hook.
 * Call it right after `registerPageCache` (which must exist: invalidations come through it) and
 * before helmet, cookies and sessions, so a hit costs none of them.
 */
export function registerDownloadCache(app: FastifyInstance, options: DownloadCacheOptions): DownloadCache {
  const cache = new DownloadCache(options);
  app.decorate('downloadCache', cache);
  app.pageCache.onInvalidate((workId) => cache.invalidateWork(workId));
  if (!cache.enabled) return cache;
  app.addHook('onRequest', (request: FastifyRequest, reply, done) => {
    if (request.method !== 'GET') return done();
    const path = downloadPath(request.url);
    if (path === null || !isAnonymous(request)) return done();
    const entry = cache.get(path);
    if (!entry) return done();
    // Written straight to the socket: the stored headers are complete (helmet's included), so
    // Fastify's send pipeline and the app's onSend hooks have nothing to add, except HSTS,
    // which (as src/web/security-headers.ts does) goes only on responses that came over TLS.
    reply.hijack();
    const tls = request.protocol === 'https';
    const res = reply.raw;
    if (etagMatches(request.headers['if-none-match'], entry.etag)) {
      res.writeHead(304, tls ? { ...entry.notModifiedHeaders, 'strict-transport-security': HSTS_VALUE } : entry.notModifiedHeaders);
      res.end();
    } else {
      res.writeHead(200, tls ? { ...entry.headers, 'strict-transport-security': HSTS_VALUE } : entry.headers);
      res.end(entry.body);
    }
  });
  return cache;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Guest downloads kept in memory; dropped with the page cache's `invalidateWork`. */
    downloadCache: DownloadCache;
  }
}
