/** The `fanfold` command: one file a subcommand, each exporting run(argv) → exit code. */
import { closeTaskPool } from '../workers/task-pool.ts';

type Command = { summary: string; load: () => Promise<{ run(argv: string[]): Promise<number> }> };

const COMMANDS: Record<string, Command> = {
  serve: { summary: 'start the archive (PORT, HOST, DATA_DIR, DATABASE_URL)', load: () => import('./serve.ts') },
  migrate: { summary: 'apply pending database migrations', load: () => import('./migrate.ts') },
  build: { summary: 'compile src/ and prepare the database images new databases start from', load: () => import('./build.ts') },
  user: { summary: 'manage accounts: user create --login L --email E --password P [--admin]', load: () => import('./user.ts') },
  import: {
    summary: 'import a text file as a work: import FILE --creator LOGIN --title T --fandom F ...',
    load: () => import('./import.ts'),
  },
  worker: { summary: 'run background jobs (server mode; --drain runs due jobs once and exits)', load: () => import('./worker.ts') },
  download: {
    summary: 'write a work as a file: download WORK_ID --format epub|html|txt|pdf|azw3|mobi --out FILE',
    load: () => import('./download.ts'),
  },
  backup: {
    summary: 'write a consistent snapshot of the archive: backup --out FILE [--from URL --token T]',
    load: () => import('./backup.ts'),
  },
  restore: { summary: 'rebuild an archive from a backup into DATA_DIR or DATABASE_URL: restore FILE', load: () => import('./restore.ts') },
  analyze: { summary: 'analyse a story: analyze FILE [--json]', load: () => import('./analyze.ts') },
  door: { summary: '(started by serve with DOOR_PROCESSES) a process answering stored guest pages', load: () => import('./door.ts') },
  seed: { summary: 'fill the archive with N synthetic works: seed --works N [--seed S] [--json]', load: () => import('./seed.ts') },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(9)} ${c.summary}`);
  return `Usage: fanfold <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun 'fanfold <command> --help' for a command's options.`;
}

/** Runs the subcommand named by argv[0]; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 1;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`fanfold: unknown command '${name}'.\n\n${usage()}`);
    return 2;
  }
  try {
    return await (await command.load()).run(rest);
  } catch (error) {
    console.error(`fanfold ${name}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    // Idle worker threads would keep a finished command's process alive.
    await closeTaskPool();
  }
}
