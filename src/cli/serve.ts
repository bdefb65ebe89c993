import cluster from 'node:cluster';
import { loadConfig } from '../config.ts';
import { SHUTDOWN_MS, startServer } from '../main.ts';
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
    let stopping = false;
    cluster.on('exit', (worker, code, signal) => {
      if (stopping) {
        // The primary ends after its last worker: workers outliving it would write to closed
        // pipes and query a database the operator meant to stop.
        if (Object.values(cluster.workers ?? {}).every((w) => w === undefined || w.isDead())) process.exit(0);
        return;
      }
      if (signal !== 'SIGTERM' && signal !== 'SIGINT' && code !== 0) {
        console.error(`worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
        cluster.fork();
      }
    });
    const stop = () => {
      if (stopping) return;
      stopping = true;
      const workers = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);
      if (workers.length === 0) process.exit(0);
      // Each worker closes as a single server does (requests finish, jobs are given back). One that
      // has not ended after its own limit and a margin is killed.
      for (const worker of workers) worker.process.kill('SIGTERM');
      setTimeout(() => {
        for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL');
        process.exit(1);
      }, SHUTDOWN_MS + 2_000).unref();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return await new Promise<number>(() => {});
  }
  await startServer(config, { progress: printProgress });
  return await new Promise<number>(() => {});
}
