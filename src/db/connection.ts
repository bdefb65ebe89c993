import fs from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect, type LogEvent } from 'kysely';
import { PGliteDialect } from './pglite-dialect.ts';
import { PGliteThread } from './pglite-thread.ts';
import type { Database } from './schema.ts';
import type { Pool } from 'pg';

export type DatabaseKind = 'pglite' | 'postgres';

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: DatabaseKind;
  /** Where the data lives, for messages: a directory, `memory`, or the server URL without password. */
  location: string;
  close(): Promise<void>;
  /** PostgreSQL only: the pool behind `db`, which read replicas fall back to (src/db/replicas.ts). */
  pool?: Pool;
  /** PGlite only: writes the data directory, gzipped, to a file a new database can be made from. */
  dumpImage?(file: string): Promise<void>;
}

export type OpenDatabaseOptions =
  | { databaseUrl: string; poolSize?: number }
  // A directory, or 'memory://' for a throwaway database; a new one is made from imageFile when given.
  | { dataDir: string; imageFile?: string | undefined };

/** When each database last completed a query (performance.now()), for the health check. */
const lastAnswers = new WeakMap<object, number>();

/** Listeners told the SQL of every statement that may have written (observeWrites). */
const writeObservers = new Set<(sql: string) => void>();

/**
 * Calls `listener` with the SQL of every successful statement that is not a plain select, on any
 * database this process opened (transactions included, before their commit): in-memory caches of
 * rows (the viewer cache, src/web/viewer-cache.ts) drop what a write may have changed, whichever
 * slice, job or test wrote it. Process-wide, because Kysely instances made by `withPlugin` share
 * the logger of the one opened here. Returns the function that stops it.
 */
export function observeWrites(listener: (sql: string) => void): () => void {
  writeObservers.add(listener);
  return () => writeObservers.delete(listener);
}

/** Records every completed query of a Kysely instance (its transactions included). */
function answerTracker(): { log: (event: LogEvent) => void; attach: (db: object) => void } {
  let owner: object | undefined;
  return {
    log: (event) => {
      if (!owner) return;
      // A failed query proves nothing either way: the next health check asks for itself.
      if (event.level === 'query') lastAnswers.set(owner, performance.now());
      else lastAnswers.delete(owner);
      if (event.level === 'query' && writeObservers.size > 0 && event.query.query.kind !== 'SelectQueryNode') {
        for (const observe of writeObservers) observe(event.query.sql);
      }
    },
    attach: (db) => {
      owner = db;
    },
  };
}

/**
 * Milliseconds since the database last completed a query, or undefined if it never has. A
 * database that is answering a long transaction's statements is alive: the health check need not
 * queue a probe behind that transaction (PGlite has one connection).
 */
export function millisSinceLastAnswer(db: object): number | undefined {
  const at = lastAnswers.get(db);
  return at === undefined ? undefined : performance.now() - at;
}

/** Opens PGlite in a directory (created if missing) or a pool on a PostgreSQL server. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  if ('databaseUrl' in options) {
    // Loaded only here: a command on the embedded database does not pay for the driver.
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 });
    // An idle connection the server closes (restart, failover, a dropped database) emits an
    // error on the pool; unhandled, it would crash the process. The pool replaces the client.
    pool.on('error', (error) => {
      if (!/terminating connection due to administrator command/.test(error.message)) {
        console.error(`PostgreSQL connection lost: ${error.message}`);
      }
    });
    // Fail fast with the server's own message rather than on the first request.
    const client = await pool.connect();
    client.release();
    const tracker = answerTracker();
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: tracker.log });
    tracker.attach(db);
    const close = async () => {
      lastAnswers.delete(db);
      await db.destroy();
    };
    return { db, kind: 'postgres', location: redactUrl(options.databaseUrl), close, pool };
  }
  const inMemory = options.dataDir.startsWith('memory://');
  const unlock = inMemory ? () => {} : lockDataDir(options.dataDir);
  try {
    // In a thread of its own: its queries run synchronously, and must not stop the event loop.
    const client = await PGliteThread.open(inMemory ? undefined : options.dataDir, { imageFile: options.imageFile });
    const tracker = answerTracker();
    const db = new Kysely<Database>({ dialect: new PGliteDialect(client), log: tracker.log });
    tracker.attach(db);
    return {
      db,
      kind: 'pglite',
      location: inMemory ? 'memory' : options.dataDir,
      dumpImage: (file) => client.dumpImage(file),
      close: async () => {
        lastAnswers.delete(db);
        try {
          await db.destroy();
          // Kysely closes its driver only if it was used: a database opened and closed unused still has its thread.
          await client.close();
        } finally {
          unlock();
        }
      },
    };
  } catch (error) {
    unlock();
    throw error;
  }
}

/**
 * PGlite is one process's database: a second process opening the same directory would
 * corrupt it. A lock file holding the owner's pid keeps a second one out, with a message.
 */
function lockDataDir(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, 'fanfold.lock');
  try {
    fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
  } catch {
    const owner = Number(fs.readFileSync(lockPath, 'utf8'));
    if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner)) {
      throw new Error(
        `The database in ${dataDir} is in use by another Fanfold process (pid ${owner}). ` +
          'Stop it first, or point DATA_DIR somewhere else.',
      );
    }
    // The owner died (kill -9, power loss): the lock is stale, take it over.
    fs.writeFileSync(lockPath, String(process.pid));
  }
  return () => fs.rmSync(lockPath, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres';
  }
}
