// The processes a bench starts (servers, nginx, wrk, PostgreSQL helpers), stopped together at the
// end, on error and on Ctrl-C, so a bench never leaves anything running on a shared machine.
import type { ChildProcess } from 'node:child_process';

const children = new Set<ChildProcess>();
const cleanups: Array<() => Promise<void> | void> = [];
let interrupted = false;

/** Remembers a child until it exits; a detached child is signalled as a process group (nginx's workers). */
export function trackChild(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Runs `cleanup` once when the bench ends (after the children are stopped), in reverse order of registration. */
export function onBenchEnd(cleanup: () => Promise<void> | void): void {
  cleanups.push(cleanup);
}

function signalAll(signal: NodeJS.Signals): void {
  for (const child of children) {
    if (child.exitCode !== null || child.signalCode !== null || !child.pid) continue;
    try {
      // Negative pid: the child's process group, when it was spawned detached.
      process.kill(isGroupLeader(child) ? -child.pid : child.pid, signal);
    } catch {
      child.kill(signal);
    }
  }
}

const groupLeaders = new WeakSet<ChildProcess>();
/** Marks a child spawned with `detached: true`, so stopping it reaches its whole process group. */
export function trackGroup(child: ChildProcess): ChildProcess {
  groupLeaders.add(child);
  return trackChild(child);
}
function isGroupLeader(child: ChildProcess): boolean {
  return groupLeaders.has(child);
}

/** Stops every tracked process (SIGTERM, then SIGKILL after 8 s) and runs the end-of-bench cleanups. */
export async function stopEverything(): Promise<void> {
  const exits = [...children].map(
    (child) =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) resolve();
        else child.once('exit', () => resolve());
      }),
  );
  signalAll('SIGTERM');
  const timer = setTimeout(() => signalAll('SIGKILL'), 8_000);
  await Promise.all(exits);
  clearTimeout(timer);
  while (cleanups.length > 0) {
    const cleanup = cleanups.pop()!;
    try {
      await cleanup();
    } catch (error) {
      process.stderr.write(`cleanup failed: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
}

/**
 * Runs the bench's main function with the stop-everything guarantees: on success, on failure
 * (message, exit 1) and on SIGINT/SIGTERM/SIGHUP (exit 130).
 */
export function runBench(name: string, main: () => Promise<void>): void {
  process.on('exit', () => signalAll('SIGKILL'));
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      interrupted = true;
      process.stderr.write(`[${name}] ${signal}: stopping everything the bench started\n`);
      void stopEverything().finally(() => process.exit(130));
    });
  }
  main()
    .then(async () => {
      await stopEverything();
      process.exit(0);
    })
    .catch(async (error: unknown) => {
      if (interrupted) return;
      console.error(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      await stopEverything();
      process.exit(1);
    });
}
