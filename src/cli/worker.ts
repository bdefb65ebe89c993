import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { openConfiguredDatabase } from '../main.ts';
import { printProgress } from './args.ts';

/** fanfold worker: runs background jobs without serving HTTP (for server mode, beside `serve` with RUN_JOBS=false). */
export async function run(argv: string[]): Promise<number> {
  const config = loadConfig();
  const handle = await openConfiguredDatabase(config, { progress: printProgress });
  // Building the app registers every feature's job handlers; it does not listen.
  const app = await buildApp({ db: handle.db, config });
  await app.ready();
  if (argv.includes('--drain')) {
    const count = await app.jobs.drain();
    console.log(argv.includes('--json') ? JSON.stringify({ ran: count }) : `Ran ${count} job(s).`);
    await app.close();
    await handle.close();
    return 0;
  }
  app.log.info(`worker started for job kinds: ${app.jobs.kinds.join(', ') || '(none yet)'}`);
  app.jobs.start();
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await app.close();
  await handle.close();
  return 0;
}
