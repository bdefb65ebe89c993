import cluster from 'node:cluster';
import { loadConfig } from '../config.ts';
import { startServer } from '../main.ts';
import { printProgress } from './args.ts';

/**
 * fanfold serve: starts the archive and runs until SIGINT/SIGTERM. With WORKERS=N and a
 * PostgreSQL server, N processes share the port (the embedded database is one process's).
 */
export async function run(_argv: string[]): Promise<number> {
  const config = loadConfig();
  if (config.workers > 0 && cluster.isPrimary) {
    if (!config.databaseUrl) {
      throw new Error(
        'WORKERS needs DATABASE_URL: the embedded database can only be opened by one process. Unset WORKERS, or use a PostgreSQL server.',
      );
    }
    for (let i = 0; i < config.workers; i++) cluster.fork();
    cluster.on('exit', (worker, code, signal) => {
      if (signal !== 'SIGTERM' && signal !== 'SIGINT' && code !== 0) {
        console.error(`worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
        cluster.fork();
      }
    });
    const stop = () => {
      for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
      process.exit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return await new Promise<number>(() => {});
  }
  await startServer(config, { progress: printProgress });
  return await new Promise<number>(() => {});
}
