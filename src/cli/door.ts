import { runDoorProcess } from '../web/doors/door-process.ts';

/**
 * fanfold door: a door process (decision 050), started by `fanfold serve` with DOOR_PROCESSES and
 * spoken to over its IPC channel; not a command to run by hand.
 */
export async function run(_argv: string[]): Promise<number> {
  if (!process.send) {
    console.error('fanfold door is started by `fanfold serve` (DOOR_PROCESSES=N), not by hand.');
    return 2;
  }
  runDoorProcess();
  return await new Promise<number>(() => {});
}
