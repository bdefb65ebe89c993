import { startServer } from '../main.ts';

/** fanfold serve: starts the archive and keeps running until SIGINT/SIGTERM. */
export async function run(_argv: string[]): Promise<number> {
  await startServer();
  return await new Promise<number>(() => {});
}
