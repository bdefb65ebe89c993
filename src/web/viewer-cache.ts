import type { FastifyInstance } from 'fastify';
import type { ReaderPreferences } from '../accounts/reader-preferences.ts';
import { observeWrites } from '../db/connection.ts';
import type { Viewer } from './viewer.ts';

/**
 * Signed-in viewers kept in memory (docs/decisions/045): the session lookup (who, roles, unread
 * count) and the reader's preferences, keyed by the session token's hash, so a signed-in page
 * costs no query to know its reader. Also each reader's answers to the work page's "is my panel
 * different" question (`facts`), per work.
 *
 * Correctness comes first, so every way a cached value can go stale drops it:
 * - a statement of this process that writes a table behind a viewer (sessions, users, pseuds,
 *   roles, suspensions, preferences, inbox items) drops every cached viewer, and a write to a
 *   table a panel's question reads drops every answer: table-level, whichever slice, job or test
 *   wrote, seen through `observeWrites` as the statement completes;
 * - another process's write arrives as a NOTIFY on `fanfold_viewers` (migration 0026, delivered at
 *   commit) and drops that user's entries; without a listening connection (PostgreSQL, before it
 *   is up or after it dropped) nothing is served from or stored in the viewer cache;
 * - an epoch ticket, taken before the lookup, refuses to store a result read before a write;
 * - a TTL bounds the rest (a session or suspension running out by the clock).
 */
export interface ViewerCacheOptions {
  enabled: boolean;
  /** Most sessions kept; the least recently used goes first. */
  maxEntries?: number;
  /** Longest a viewer is kept without being looked up again. */
  ttlMs?: number;
  /** Longest a panel answer is kept (the page cache's TTL: other processes' writes to those tables). */
  factsTtlMs?: number;
  now?: () => number;
}

export interface CachedViewer {
  readonly viewer: Viewer;
  readonly preferences: ReaderPreferences;
}

export type ViewerTicket = number;

/** Tables whose rows make up a cached viewer; `insert into sessions` (a new login) changes no cached one. */
const VIEWER_TABLES = new Set(['sessions', 'users', 'pseuds', 'user_roles', 'user_suspensions', 'reader_preferences', 'inbox_items']);

/**
 * Opens a statement that writes a table the panels' question reads without changing any answer
 * (reading history's visits: the question asks only about `to_read`). Such a statement would
 * otherwise drop every reader's answers, and under traffic it runs every second.
 */
export const KEEPS_PANEL_ANSWERS = '/* keeps panel answers */';

const WRITTEN_TABLE = /\b(insert\s+into|update|delete\s+from)\s+(?:"?public"?\.)?"?(\w+)"?/gi;

/** The tables a statement may write, by name (lower case), with how. */
export function writtenTables(statement: string): Array<{ how: string; table: string }> {
  return [...statement.matchAll(WRITTEN_TABLE)].map((m) => ({ how: m[1]!.toLowerCase().split(/\s+/)[0]!, table: m[2]!.toLowerCase() }));
}

interface Entry<T> {
  readonly userId: number;
  readonly value: T;
  readonly expiresAt: number;
}

export class ViewerCache {
  readonly enabled: boolean;
  private readonly maxEntries: number;
  private readonly ttlMs: number;
  private readonly factsTtlMs: number;
  private readonly now: () => number;
  /** Map order is recency order. */
  private readonly viewers = new Map<string, Entry<CachedViewer>>();
  private readonly facts = new Map<string, Entry<Readonly<Record<string, boolean>>>>();
  private epoch = 0;
  /** False while another process's writes could go unnoticed (a PostgreSQL listener not connected). */
  private live: boolean;
  private readonly factTables = new Set<string>();
  private readonly stopObserving: () => void;
  private readonly noticeListeners = new Set<(userId: number | null) => void>();
  private readonly dropListeners: Array<() => void> = [];

  constructor(options: ViewerCacheOptions) {
    this.enabled = options.enabled;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.ttlMs = options.ttlMs ?? 60_000;
    this.factsTtlMs = options.factsTtlMs ?? 5_000;
    this.now = options.now ?? Date.now;
    this.live = true;
    this.stopObserving = this.enabled ? observeWrites((statement) => this.written(statement)) : () => {};
  }

  ticket(): ViewerTicket {
    return this.epoch;
  }

  /** The viewer behind this session token hash, unless unknown, expired or possibly stale. */
  get(tokenHash: string): CachedViewer | undefined {
    if (!this.live) return undefined;
    return this.take(this.viewers, tokenHash);
  }

  /** Keeps a viewer looked up after `ticket` was taken; refused when anything was invalidated since. */
  store(tokenHash: string, value: CachedViewer, ticket: ViewerTicket): void {
    if (!this.enabled || !this.live || ticket !== this.epoch) return;
    this.put(this.viewers, tokenHash, { userId: value.viewer.id, value, expiresAt: this.now() + this.ttlMs });
  }

  /** This viewer's answers to the work page panels' questions, unless dropped since. */
  getFacts(viewerId: number, workId: number): Readonly<Record<string, boolean>> | undefined {
    if (!this.live) return undefined;
    return this.take(this.facts, `${viewerId}:${workId}`);
  }

  storeFacts(viewerId: number, workId: number, facts: Readonly<Record<string, boolean>>, ticket: ViewerTicket): void {
    if (!this.enabled || !this.live || ticket !== this.epoch) return;
    this.put(this.facts, `${viewerId}:${workId}`, { userId: viewerId, value: facts, expiresAt: this.now() + this.factsTtlMs });
  }

  /** Tables a panel's answer reads: a write to any of them drops every stored answer. */
  watchFactTables(tables: Iterable<string>): void {
    for (const table of tables) this.factTables.add(table.toLowerCase());
  }

  /** Drops a work's answers (the page cache's invalidateWork: its creators or visibility changed). */
  invalidateWork(workId: number): void {
    this.epoch++;
    const suffix = `:${workId}`;
    for (const key of [...this.facts.keys()]) if (key.endsWith(suffix)) this.facts.delete(key);
  }

  /** Drops everything cached for this user (their sessions and answers). */
  invalidateUser(userId: number): void {
    this.epoch++;
    for (const map of [this.viewers, this.facts] as Array<Map<string, Entry<unknown>>>) {
      for (const [key, entry] of map) if (entry.userId === userId) map.delete(key);
    }
    this.viewersDropped();
  }

  invalidateAll(): void {
    this.epoch++;
    this.viewers.clear();
    this.facts.clear();
    this.viewersDropped();
  }

  /**
   * Called whenever viewers are dropped (a session ended, a user changed, notices lost), for what
   * is kept beside them that must not outlive a session: the page cache's remembered session hashes.
   */
  onViewersDropped(listener: () => void): void {
    this.dropListeners.push(listener);
  }

  /** Another process changed rows behind this user (or, for null, rows of unknown users). */
  noticeFromElsewhere(userId: number | null): void {
    if (userId === null) this.invalidateAll();
    else this.invalidateUser(userId);
    for (const listener of this.noticeListeners) listener(userId);
  }

  /** Called after each notice from another process is applied (tests wait on it). */
  onNotice(listener: (userId: number | null) => void): () => void {
    this.noticeListeners.add(listener);
    return () => this.noticeListeners.delete(listener);
  }

  /** Whether values may be served: false drops everything and stops serving until set true again. */
  setLive(live: boolean): void {
    if (!live) this.invalidateAll();
    this.live = live;
  }

  get size(): number {
    return this.viewers.size;
  }

  /** Whether this process hears other processes' changes (always, on the embedded database). */
  get isLive(): boolean {
    return this.live;
  }

  close(): void {
    this.stopObserving();
    this.invalidateAll();
  }

  private written(statement: string): void {
    let viewers = false;
    let facts = false;
    const keepsAnswers = statement.startsWith(KEEPS_PANEL_ANSWERS);
    for (const { how, table } of writtenTables(statement)) {
      if (VIEWER_TABLES.has(table) && !(how === 'insert' && table === 'sessions')) viewers = true;
      if (this.factTables.has(table) && !keepsAnswers) facts = true;
    }
    if (!viewers && !facts) return;
    this.epoch++;
    if (viewers) {
      this.viewers.clear();
      this.viewersDropped();
    }
    if (facts) this.facts.clear();
  }

  private viewersDropped(): void {
    for (const listener of this.dropListeners) listener();
  }

  private take<T>(map: Map<string, Entry<T>>, key: string): T | undefined {
    const entry = map.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      map.delete(key);
      return undefined;
    }
    map.delete(key);
    map.set(key, entry);
    return entry.value;
  }

  private put<T>(map: Map<string, Entry<T>>, key: string, entry: Entry<T>): void {
    map.delete(key);
    map.set(key, entry);
    for (const oldest of map.keys()) {
      if (map.size <= this.maxEntries) break;
      map.delete(oldest);
    }
  }
}

/** How long a lost listener waits before connecting again. */
const RECONNECT_MS = 1000;

/**
 * On a PostgreSQL server, other processes (WORKERS, other hosts, `fanfold` commands) write too:
 * one connection LISTENs on `fanfold_viewers` and drops the user each notice names. Until it
 * listens, and whenever it is lost, the cache serves nothing.
 */
async function listenForChanges(app: FastifyInstance, cache: ViewerCache, databaseUrl: string): Promise<void> {
  const { default: pg } = await import('pg');
  let closed = false;
  let client: InstanceType<typeof pg.Client> | undefined;
  let retry: NodeJS.Timeout | undefined;
  const connect = async () => {
    cache.setLive(false);
    const next = new pg.Client({ connectionString: databaseUrl });
    const lost = (error?: Error) => {
      if (client !== next) return;
      client = undefined;
      cache.setLive(false);
      if (error) app.log.warn({ err: error }, 'viewer cache: change notices lost; reconnecting');
      next.end().catch(() => {});
      if (!closed) retry = setTimeout(() => void connect(), RECONNECT_MS).unref();
    };
    client = next;
    next.on('error', lost);
    next.on('end', () => lost());
    next.on('notification', (message) => {
      const userId = Number(message.payload);
      cache.noticeFromElsewhere(message.payload && Number.isInteger(userId) ? userId : null);
    });
    try {
      await next.connect();
      await next.query('listen fanfold_viewers');
      if (client === next && !closed) cache.setLive(true);
    } catch (error) {
      lost(error as Error);
    }
  };
  app.addHook('onClose', async () => {
    closed = true;
    clearTimeout(retry);
    const current = client;
    client = undefined;
    await current?.end().catch(() => {});
  });
  await connect();
}

/**
 * Creates the app's viewer cache (`app.viewerCache`), dropped entries on every write to the rows
 * behind it and, on PostgreSQL, on other processes' notices. Register before the session hook.
 */
export async function registerViewerCache(
  app: FastifyInstance,
  options: ViewerCacheOptions & { databaseUrl?: string | undefined },
): Promise<ViewerCache> {
  const cache = new ViewerCache(options);
  app.decorate('viewerCache', cache);
  app.addHook('onClose', async () => cache.close());
  // Answers of a work follow the page cache's invalidations (its creators, its visibility).
  app.pageCache?.onInvalidate((workId) => cache.invalidateWork(workId));
  // The page cache remembers raw session cookies beside their hashes: none outlives its viewer here.
  cache.onViewersDropped(() => app.pageCache?.forgetMemberSessions());
  if (cache.enabled && options.databaseUrl) await listenForChanges(app, cache, options.databaseUrl);
  return cache;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Signed-in viewers and their panel answers kept in memory (src/web/viewer-cache.ts). */
    viewerCache: ViewerCache;
  }
}
