// Read replicas (docs/decisions/034): a Kysely handle whose every connection is taken from a
// streaming replica that is in rotation, or from the primary when none fits the request.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import {
  type DatabaseConnection,
  type Dialect,
  type Driver,
  Kysely,
  PostgresAdapter,
  PostgresDriver,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type TransactionSettings,
  sql,
} from 'kysely';
import type { Pool } from 'pg';
import type { Database } from './schema.ts';

/** The cookie that carries the primary's WAL position after a session's last write. */
export const WRITE_LSN_COOKIE = 'ff_wal';
/** How often replicas are asked how far they have replayed. */
export const REPLICA_CHECK_MS = 1_000;
/** A replica that does not answer the check within this is out of rotation. */
const REPLICA_QUERY_MS = 2_000;

export interface ReplicaStatus {
  /** host:port/database, never the password. */
  name: string;
  inRotation: boolean;
  /** Seconds behind the primary (an upper bound at the check's resolution); null when it did not answer. */
  lagSeconds: number | null;
  /** Why it is out of rotation; undefined while in. */
  reason?: string;
}

interface Replica {
  name: string;
  pool: Pool;
  driver: PostgresDriver;
  inRotation: boolean;
  /** The WAL position it has replayed, as of the last check: a lower bound, since replay only moves on. */
  replayLsn: bigint;
  lagSeconds: number | null;
  reason: string | undefined;
}

/** What a request allows its reads: any replica at or past `minLsn`, or the primary only. */
interface ReadScope {
  primaryOnly: boolean;
  minLsn: bigint;
}

export interface ReplicaSetOptions {
  /** A replica more than this many seconds behind the primary is taken out of rotation. */
  maxLagSeconds: number;
  /** Milliseconds between checks; 0: no timer, the caller runs check() (tests). */
  checkMs?: number;
  /** The clock, in milliseconds (tests move it by hand). */
  now?: () => number;
}

/** `16/B374D848` as a number that orders like the WAL. */
export function parseLsn(text: string | null | undefined): bigint | undefined {
  const match = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(text ?? '');
  if (!match) return undefined;
  return (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`);
}

function formatLsn(lsn: bigint): string {
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`;
}

function nameOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return 'replica';
  }
}

/**
 * The primary plus its replicas. `reads` is the handle read paths use; `check()` measures each
 * replica's lag against the primary's WAL position and puts it in or out of rotation.
 */
export class ReplicaSet {
  readonly reads: Kysely<Database>;
  private readonly replicas: Replica[];
  private readonly scope = new AsyncLocalStorage<ReadScope>();
  private readonly primaryDriver: Driver;
  /** The primary's WAL position at each recent check: how a replica's position becomes a lag in seconds. */
  private samples: Array<{ at: number; lsn: bigint }> = [];
  private timer: NodeJS.Timeout | undefined;
  private checking: Promise<void> | undefined;
  private readonly now: () => number;
  /** Each process prefers its own replica (and so keeps one facet index), spread across processes by pid. */
  private readonly preferred: number;

  private constructor(
    private readonly primary: Kysely<Database>,
    primaryPool: Pool,
    replicas: Replica[],
    private readonly options: ReplicaSetOptions,
  ) {
    this.replicas = replicas;
    this.now = options.now ?? Date.now;
    this.preferred = replicas.length === 0 ? 0 : process.pid % replicas.length;
    this.primaryDriver = new PostgresDriver({ pool: primaryPool });
    this.reads = new Kysely<Database>({ dialect: this.routingDialect() });
  }

  /**
   * Opens a pool on each replica URL. The primary's pool is shared, not opened again: a read
   * that falls back to the primary uses the connections the rest of the app uses.
   */
  static async open(
    primary: Kysely<Database>,
    primaryPool: Pool,
    urls: readonly string[],
    options: ReplicaSetOptions,
  ): Promise<ReplicaSet> {
    const { default: pg } = await import('pg');
    const replicas = urls.map((url): Replica => {
      const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: REPLICA_QUERY_MS });
      // A replica restarting must not crash the process: its check takes it out of rotation.
      pool.on('error', () => {});
      return {
        name: nameOf(url),
        pool,
        driver: new PostgresDriver({ pool }),
        inRotation: false,
        replayLsn: 0n,
        lagSeconds: null,
        reason: 'not checked yet',
      };
    });
    const set = new ReplicaSet(primary, primaryPool, replicas, options);
    // A driver only takes its pool when initialised; nothing connects yet.
    await Promise.all([set.primaryDriver.init(), ...replicas.map((r) => r.driver.init())]);
    await set.check();
    const every = options.checkMs ?? REPLICA_CHECK_MS;
    if (every > 0) {
      set.timer = setInterval(() => void set.check(), every);
      set.timer.unref();
    }
    return set;
  }

  /** Each replica as of the last check, for /healthz and /metrics. */
  status(): ReplicaStatus[] {
    return this.replicas.map((r) => ({
      name: r.name,
      inRotation: r.inRotation,
      lagSeconds: r.lagSeconds,
      ...(r.reason ? { reason: r.reason } : {}),
    }));
  }

  /** Asks the primary for its WAL position, then each replica for its replayed one (one check at a time). */
  check(): Promise<void> {
    this.checking ??= this.runCheck().finally(() => {
      this.checking = undefined;
    });
    return this.checking;
  }

  private async runCheck(): Promise<void> {
    const maxLagMs = this.options.maxLagSeconds * 1000;
    try {
      const at = this.now();
      // Flushed WAL: all a replica can have been sent (an asynchronous commit's record may not be yet).
      const row = await sql<{ lsn: string }>`select pg_current_wal_flush_lsn()::text as lsn`.execute(this.primary);
      const lsn = parseLsn(row.rows[0]?.lsn);
      if (lsn !== undefined) this.samples.push({ at, lsn });
    } catch {
      // No sample this time: replicas' lags grow with the time since the last one they reached.
    }
    // Enough history to tell any lag up to the bound, and a little past it.
    const keepFrom = this.now() - maxLagMs - 10 * (this.options.checkMs || REPLICA_CHECK_MS);
    while (this.samples.length > 2 && this.samples[0]!.at < keepFrom) this.samples.shift();
    await Promise.all(this.replicas.map((r) => this.checkReplica(r, maxLagMs)));
  }

  private async checkReplica(replica: Replica, maxLagMs: number): Promise<void> {
    let row: { recovering: boolean; lsn: string | null } | undefined;
    try {
      const result = await Promise.race([
        replica.pool.query<{ recovering: boolean; lsn: string | null }>(
          'select pg_is_in_recovery() as recovering, pg_last_wal_replay_lsn()::text as lsn',
        ),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), REPLICA_QUERY_MS).unref()),
      ]);
      row = result.rows[0];
    } catch (error) {
      this.takeOut(replica, `did not answer: ${error instanceof Error ? error.message : String(error)}`);
      replica.lagSeconds = null;
      return;
    }
    if (!row?.recovering) {
      // Promoted, or pointed at a primary by mistake: reads there could miss the real primary's writes.
      this.takeOut(replica, 'not a replica (pg_is_in_recovery() is false)');
      replica.lagSeconds = null;
      return;
    }
    const replayed = parseLsn(row.lsn) ?? 0n;
    if (replayed > replica.replayLsn) replica.replayLsn = replayed;
    // Lag: time since the newest primary position this replica has reached.
    const now = this.now();
    let reachedAt: number | undefined;
    for (let i = this.samples.length - 1; i >= 0; i--) {
      if (this.samples[i]!.lsn <= replica.replayLsn) {
        reachedAt = this.samples[i]!.at;
        break;
      }
    }
    const newest = this.samples[this.samples.length - 1];
    const lagMs = newest && reachedAt === newest.at ? 0 : now - (reachedAt ?? this.samples[0]?.at ?? now);
    replica.lagSeconds = Math.max(0, lagMs) / 1000;
    if (lagMs > maxLagMs) {
      this.takeOut(replica, `more than ${this.options.maxLagSeconds} s behind the primary`);
      return;
    }
    replica.inRotation = true;
    replica.reason = undefined;
  }

  private takeOut(replica: Replica, reason: string): void {
    replica.inRotation = false;
    replica.reason = reason;
  }

  /** The replica a read may use under `scope`, or undefined for the primary. */
  private pick(scope: ReadScope | undefined): Replica | undefined {
    if (scope?.primaryOnly) return undefined;
    const minLsn = scope?.minLsn ?? 0n;
    const n = this.replicas.length;
    for (let i = 0; i < n; i++) {
      const r = this.replicas[(this.preferred + i) % n]!;
      if (r.inRotation && r.replayLsn >= minLsn) return r;
    }
    return undefined;
  }

  /** Which server a read in the current request would use: a replica's name, or `primary`. */
  currentTarget(): string {
    return this.pick(this.scope.getStore())?.name ?? 'primary';
  }

  /** Runs `fn` with the reads of a request that carries `cookie` (a Cookie header) and is or is not a write. */
  runInScope<T>(scope: { write: boolean; cookie: string | undefined; minLsn?: bigint | undefined }, fn: () => T): T {
    const read = toScope(scope.write, scope.cookie);
    if (scope.minLsn !== undefined && scope.minLsn > read.minLsn) read.minLsn = scope.minLsn;
    return this.scope.run(read, fn);
  }

  private routingDialect(): Dialect {
    const owners = new WeakMap<DatabaseConnection, Driver>();
    const set = this;
    const driver: Driver = {
      async init() {},
      async acquireConnection() {
        const replica = set.pick(set.scope.getStore());
        if (replica) {
          try {
            const connection = await replica.driver.acquireConnection();
            owners.set(connection, replica.driver);
            return connection;
          } catch (error) {
            // Stopped since the last check: out until a check finds it answering again.
            set.takeOut(replica, `did not answer: ${error instanceof Error ? error.message : String(error)}`);
          }
        }
        const connection = await set.primaryDriver.acquireConnection();
        owners.set(connection, set.primaryDriver);
        return connection;
      },
      beginTransaction: (c: DatabaseConnection, settings: TransactionSettings) => owners.get(c)!.beginTransaction(c, settings),
      commitTransaction: (c: DatabaseConnection) => owners.get(c)!.commitTransaction(c),
      rollbackTransaction: (c: DatabaseConnection) => owners.get(c)!.rollbackTransaction(c),
      releaseConnection: async (c: DatabaseConnection) => {
        const owner = owners.get(c)!;
        owners.delete(c);
        await owner.releaseConnection(c);
      },
      // The pools are closed by close(): the primary's belongs to its own handle.
      async destroy() {},
    };
    return {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => driver,
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    };
  }

  /** Stops the checks and closes the replicas' pools (not the primary's). */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.checking;
    await Promise.all(this.replicas.map((r) => r.pool.end().catch(() => undefined)));
  }

  /** Remembers the primary's WAL position after a write, as a cookie value. */
  async currentPrimaryLsn(): Promise<string | undefined> {
    // The insert position, not pg_current_wal_lsn(): with synchronous_commit=off the write's commit
    // record may not be written out yet, and a replica at the written position would lack it.
    const row = await sql<{ lsn: string }>`select pg_current_wal_insert_lsn()::text as lsn`.execute(this.primary);
    const lsn = parseLsn(row.rows[0]?.lsn);
    return lsn === undefined ? undefined : formatLsn(lsn);
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function toScope(write: boolean, cookie: string | undefined): ReadScope {
  if (write) return { primaryOnly: true, minLsn: 0n };
  const value = new RegExp(`(?:^|;\\s*)${WRITE_LSN_COOKIE}=([0-9A-Fa-f]{1,8}%2F[0-9A-Fa-f]{1,8}|[0-9A-Fa-f]{1,8}/[0-9A-Fa-f]{1,8})`).exec(
    cookie ?? '',
  )?.[1];
  return { primaryOnly: false, minLsn: parseLsn(value?.replace('%2F', '/')) ?? 0n };
}

/** API clients whose last write this process remembers (they may keep no cookies), at most. */
const REMEMBERED_TOKENS = 10_000;

/**
 * Read-your-writes across app processes: a write request's reads all go to the primary, and its
 * response carries the primary's WAL position in a cookie; later reads of that browser go to a
 * replica only once the replica has replayed that far. The cookie lives as long as the lag bound
 * (and a few checks): after that every replica in rotation has the write. An API client that
 * keeps no cookies is remembered by its Authorization header in this process for as long.
 */
export function registerReadRouting(app: FastifyInstance, replicas: ReplicaSet, options: { maxLagSeconds: number }): void {
  const maxAge = Math.ceil(options.maxLagSeconds + (3 * REPLICA_CHECK_MS) / 1000);
  const tokens = new Map<string, { lsn: bigint; until: number }>();
  const tokenKey = (authorization: string | undefined) =>
    authorization ? createHash('sha256').update(authorization).digest('base64url') : undefined;
  app.addHook('onRequest', (request, _reply, done) => {
    const key = tokenKey(request.headers.authorization);
    const remembered = key === undefined ? undefined : tokens.get(key);
    if (remembered && remembered.until < Date.now()) tokens.delete(key!);
    const minLsn = remembered && remembered.until >= Date.now() ? remembered.lsn : undefined;
    replicas.runInScope({ write: !SAFE_METHODS.has(request.method), cookie: request.headers.cookie, minLsn }, done);
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (SAFE_METHODS.has(request.method)) return payload;
    let lsn: string | undefined;
    try {
      lsn = await replicas.currentPrimaryLsn();
    } catch {
      return payload; // the primary is gone: the write failed too, and reads fall to the primary anyway
    }
    if (!lsn) return payload;
    const key = tokenKey(request.headers.authorization);
    if (key !== undefined) {
      tokens.delete(key);
      tokens.set(key, { lsn: parseLsn(lsn)!, until: Date.now() + maxAge * 1000 });
      if (tokens.size > REMEMBERED_TOKENS) tokens.delete(tokens.keys().next().value!);
    }
    const cookie = `${WRITE_LSN_COOKIE}=${encodeURIComponent(lsn)}; Max-Age=${maxAge}; Path=/; HttpOnly; SameSite=Lax`;
    // Fastify adds a set-cookie header to those already set rather than replacing them.
    reply.header('set-cookie', cookie);
    return payload;
  });
}
