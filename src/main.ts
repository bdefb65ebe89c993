import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { loadConfig, type Config } from './config.ts';
import { openDatabase, type DatabaseHandle } from './db/connection.ts';
import { migrateToLatest } from './db/migrate.ts';

/** Opens the configured database (PGlite in DATA_DIR, or DATABASE_URL) and migrates it. */
export async function openConfiguredDatabase(config: Config): Promise<DatabaseHandle> {
  const handle = config.databaseUrl
    ? await openDatabase({ databaseUrl: config.databaseUrl })
    : await openDatabase({ dataDir: config.dataDir });
  await migrateToLatest(handle.db);
  return handle;
}

/** The longest a SIGTERM or SIGINT may take to stop the server. */
const SHUTDOWN_MS = 8_000;

/** The one starter: config → database → migrations → HTTP server, with a clean shutdown. */
export async function startServer(config: Config = loadConfig()): Promise<{ app: FastifyInstance; handle: DatabaseHandle }> {
  const handle = await openConfiguredDatabase(config);
  const app = await buildApp({ db: handle.db, config });
  const userCount = await handle.db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  await app.listen({ port: config.port, host: config.host });
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
