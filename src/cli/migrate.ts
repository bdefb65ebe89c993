import { loadConfig } from '../config.ts';
import { openConfiguredDatabase } from '../main.ts';
import { printProgress } from './args.ts';

/** fanfold migrate: applies pending migrations and says where. */
export async function run(argv: string[]): Promise<number> {
  const config = loadConfig();
  const handle = await openConfiguredDatabase(config, { progress: printProgress });
  await handle.close();
  const message = `Database is up to date (${handle.kind}: ${handle.location}).`;
  console.log(argv.includes('--json') ? JSON.stringify({ ok: true, kind: handle.kind }) : message);
  return 0;
}
