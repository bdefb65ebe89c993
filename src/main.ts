import type { FastifyInstance } from 'fastify';
import { sql, type Kysely } from 'kysely';
import { loadConfig, type Config } from './config.ts';
import { openDatabase, type DatabaseHandle } from './db/connection.ts';
import type { Database } from './db/schema.ts';
import { migrateToLatest } from './db/migrate.ts';
import { migrations } from './db/migrations/index.ts';
import { findImage, isNewDataDir } from './db/pglite-image.ts';
import { ReplicaSet } from './db/replicas.ts';

/** Where a start says what it is doing, when that takes a while (a new database, migrations to apply). */
export type Progress = (line: string) => void;

/**
 * Opens the configured database (PGlite in DATA_DIR, or DATABASE_URL) and migrates it. A new
 * PGlite database is unpacked from a prepared image when there is one (src/db/pglite-image.ts).
 */
export async function openConfiguredDatabase(config: Config, options: { progress?: Progress } = {}): Promise<DatabaseHandle> {
  const progress = options.progress ?? (() => {});
  if (config.databaseUrl) {
    const handle = await openDatabase({ databaseUrl: config.databaseUrl });
    return await migrated(handle, progress);
  }
  const isNew = isNewDataDir(config.dataDir);
  const image = isNew ? findImage() : undefined;
  const started = performance.now();
  if (isNew) {
    progress(
      image
        ? `creating a new database in ${config.dataDir} from a prepared image…`
        : `creating a new database in ${config.dataDir} (PostgreSQL's initdb: 5 to 20 s, once; \`npm run build\` prepares an image that makes this quick)…`,
    );
  }
  const handle = await openDatabase({ dataDir: config.dataDir, imageFile: image?.file });
  await migrated(handle, progress);
  if (isNew) progress(`database ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return handle;
}

/** Applies pending migrations; a database that has them all costs one query, not the migrator's dozen. */
async function migrated(handle: DatabaseHandle, progress: Progress): Promise<DatabaseHandle> {
  try {
    const pending = (await countPendingMigrations(handle.db)) ?? Object.keys(migrations).length;
    if (pending > 0) {
      progress(`applying ${pending} migration${pending === 1 ? '' : 's'}…`);
      await migrateToLatest(handle.db);
    }
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** Migrations not yet applied, or undefined when the database has no record of any (a new one: all are). */
async function countPendingMigrations(db: Kysely<Database>): Promise<number | undefined> {
  // to_regclass answers null rather than failing, so a new database's transaction state is untouched.
  const table = await sql<{ t: string | null }>`select to_regclass('kysely_migration')::text as t`.execute(db);
  if (!table.rows[0]?.t) return undefined;
  const applied = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
  const done = new Set(applied.rows.map((row) => row.name));
  return Object.keys(migrations).filter((name) => !done.has(name)).length;
}

/** The read replicas of DATABASE_REPLICA_URLS, on PostgreSQL only: the embedded database has none. */
export async function openReplicas(config: Config, handle: DatabaseHandle, progress: Progress): Promise<ReplicaSet | undefined> {
  if (config.replicaUrls.length === 0) return undefined;
  if (!handle.pool) {
    progress(
      `DATABASE_REPLICA_URLS is ignored: the archive runs on the embedded database in ${config.dataDir}. ` +
        'Read replicas need a PostgreSQL primary: set DATABASE_URL as well.',
    );
    return undefined;
  }
  const replicas = await ReplicaSet.open(handle.db, handle.pool, config.replicaUrls, { maxLagSeconds: config.replicaMaxLagSeconds });
  for (const r of replicas.status()) {
    progress(`read replica ${r.name}: ${r.inRotation ? `in rotation, ${r.lagSeconds ?? 0} s behind` : `out of rotation (${r.reason})`}`);
  }
  return replicas;
}

/** The longest a SIGTERM or SIGINT may take to stop the server. */
export const SHUTDOWN_MS = 8_000;

/** The one starter: config → database → migrations → HTTP server, with a clean shutdown. */
export async function startServer(
  config: Config = loadConfig(),
  options: { progress?: Progress } = {},
): Promise<{ app: FastifyInstance; handle: DatabaseHandle }> {
  // The app's modules load on this thread while the database opens on its own: the two overlap.
  const appModule = import('./app.ts');
  appModule.catch(() => {}); // awaited below; a failure to open the database comes first
  const handle = await openConfiguredDatabase(config, options);
  const replicas = await openReplicas(config, handle, options.progress ?? (() => {}));
  const { buildApp } = await appModule;
  const app = await buildApp({ db: handle.db, config, ...(replicas ? { replicas } : {}) });
  const userCount = await handle.db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  // With door processes the port is shared (SO_REUSEPORT): the kernel spreads connections over all.
  // Other systems refuse or ignore the option, so there the archive serves alone.
  const doors = process.platform === 'linux' ? app.doors : undefined;
  if (app.doors && !doors) app.log.warn('DOOR_PROCESSES is ignored: door processes share the port with SO_REUSEPORT, which needs Linux.');
  await app.listen({ port: config.port, host: config.host, ...(doors ? { reusePort: true } : {}) });
  if (doors) {
    const addresses = app.addresses().flatMap((a) => (typeof a === 'string' ? [] : [{ host: a.address, port: a.port }]));
    // The door runs this very command with `door` for `serve` (bin/fanfold.js, or the source under tsx).
    await doors.start(addresses, { file: process.argv[1]!, args: ['door'], execArgv: process.execArgv });
  }
  if (config.runJobs) app.jobs.start();
  app.log.info(`Fanfold is serving ${config.baseUrl} on ${handle.kind} (${handle.location})`);
  if (Number(userCount.n) === 0) {
    app.log.info(
      'The archive has no accounts yet. Create the first admin with: ' +
        'npx fanfold user create --login admin --email you@example.org --password "a long password" --admin ' +
        '(stop the server first when using the embedded database), or sign up at /signup.',
    );
  }
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info(`${signal} received, closing`);
    // Whatever hangs (a request that never ends, a database that does not answer), the process
    // ends within SHUTDOWN_MS: an orchestrator's SIGKILL would be worse for the data.
    setTimeout(() => {
      app.log.error(`still closing after ${SHUTDOWN_MS / 1000} s; exiting now`);
      process.exit(1);
    }, SHUTDOWN_MS).unref();
    try {
      await app.close();
      await replicas?.close();
      await handle.close();
    } catch (error) {
      app.log.error({ err: error }, 'closing failed');
      process.exit(1);
    }
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  return { app, handle };
}
