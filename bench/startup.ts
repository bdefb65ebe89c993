// npm run bench:startup [-- --runs N]: how long Fanfold takes to start, against what PGlite alone
// takes, all in one run on this machine (issue 15, decision 028). Each figure is the wall time of a
// fresh process, median of N runs (3 by default) with the lowest and highest:
//   - bare PGlite: a script that opens an existing database with PGlite, runs `select 1`, closes;
//     and one that makes a new database (PGlite's initdb);
//   - `fanfold migrate` on that existing database, compiled (as shipped) and through tsx;
//   - `fanfold serve` (what `npm start` runs) until /healthz answers 200, on the existing database
//     and on a new one (from the prepared image, and through tsx for comparison).
// Besides wall time, the CPU time the process used (user + system, all its threads; from
// /usr/bin/time and /proc, on Linux): on a busy machine the wall time is mostly waiting for a core.
// Runs go round by round (every scenario once a round); a sample during which the compiled copy
// was rebuilt (someone saved a source file) is run again.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { freePort, REPO } from './lib/archive-process.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
const RUNS = Math.max(1, Number(values.runs));
const BIN = path.join(REPO, 'bin/fanfold.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fanfold-startup-'));
const existing = path.join(tmp, 'existing');

const BARE_OPEN = `
import { PGlite } from '@electric-sql/pglite';
const db = await PGlite.create(process.argv[2]);
await db.query('select 1');
await db.close();
`;

function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  const full: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', ...extra };
  delete full.DATABASE_URL;
  return full;
}

type Sample = { ms: number; cpuMs: number | undefined };
const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const TICKS_PER_SECOND = 100; // Linux's USER_HZ, what /proc/<pid>/stat counts in

/** Wall and CPU milliseconds of a process run to completion, or undefined when the compiled copy was rebuilt meanwhile. */
function timeProcess(args: string[], extraEnv: Record<string, string> = {}): Sample | undefined {
  const started = performance.now();
  const [command, commandArgs] = TIME ? [TIME, ['-f', 'cpu %U %S', process.execPath, ...args]] : [process.execPath, args];
  const result = spawnSync(command, commandArgs, { cwd: REPO, env: env(extraEnv), encoding: 'utf8' });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  const cpu = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(result.stderr);
  const cpuMs = cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : undefined;
  return result.stderr.includes('compiling the TypeScript') ? undefined : { ms, cpuMs };
}

/** CPU milliseconds a running process has used so far (all its threads), from /proc. */
function cpuSoFar(pid: number | undefined): number | undefined {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND) * 1000;
  } catch {
    return undefined;
  }
}

/** Milliseconds from spawning `fanfold serve` to the first 200 from /healthz; the progress it printed. */
async function timeServe(dataDir: string, extraEnv: Record<string, string> = {}): Promise<(Sample & { lines: string[] }) | undefined> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, 'serve'], {
    cwd: REPO,
    env: env({ DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: String(port), ...extraEnv }),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`fanfold serve exited with ${child.exitCode}: ${stderr}`);
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (response) => response.status === 200,
        () => false,
      );
      if (ok) break;
      if (performance.now() - started > 120_000) throw new Error(`fanfold serve did not answer within 120 s: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const ms = performance.now() - started;
    const cpuMs = cpuSoFar(child.pid);
    const lines = stderr.split('\n').filter((line) => line.startsWith('fanfold:'));
    return stderr.includes('compiling the TypeScript') ? undefined : { ms, cpuMs, lines };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

/** One attempt, and up to two more when a rebuild spoilt it (someone saved a source file meanwhile). */
async function attempt(measure: () => Promise<Sample | undefined> | Sample | undefined): Promise<Sample | undefined> {
  for (let i = 0; i < 3; i++) {
    const one = await measure();
    if (one) return one;
  }
  return undefined;
}

function median(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const seconds = (ms: number) => (ms / 1000).toFixed(2);
const spread = (times: number[]) => `${seconds(median(times))} s (${seconds(Math.min(...times))}–${seconds(Math.max(...times))})`;

/** Prints a row: wall and CPU medians with their lowest and highest; returns the medians. */
function report(name: string, samples: Sample[]): { ms: number; cpuMs: number | undefined } {
  const walls = samples.map((s) => s.ms);
  const cpus = samples.flatMap((s) => (s.cpuMs === undefined ? [] : [s.cpuMs]));
  const cpu = cpus.length === samples.length ? spread(cpus) : 'n/a';
  console.log(`${name.padEnd(62)} wall ${spread(walls).padEnd(22)} CPU ${cpu}  n=${samples.length}`);
  return { ms: median(walls), cpuMs: cpus.length === samples.length ? median(cpus) : undefined };
}

const load = () =>
  os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
console.log(`Node ${process.version}, ${os.availableParallelism()} cores, load average ${load()}; ${RUNS} runs each\n`);

// The compiled copy and the database images exist before anything is timed (npm run build).
const built = spawnSync(process.execPath, [BIN, 'build'], { cwd: REPO, env: env({}), encoding: 'utf8' });
if (built.status !== 0) throw new Error(`fanfold build failed: ${built.stderr}${built.stdout}`);
spawnSync(process.execPath, [BIN, 'migrate'], { cwd: REPO, env: env({ DATA_DIR: existing }), encoding: 'utf8' });
const barePath = path.join(tmp, 'bare-open.mjs');
fs.writeFileSync(barePath, BARE_OPEN);
// The script imports PGlite by name: resolve it from the repository's node_modules.
fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(tmp, 'node_modules'));

let progress: string[] = [];
const SCENARIOS: { name: string; measure: (run: number) => Promise<Sample | undefined> | Sample | undefined }[] = [
  { name: 'bare PGlite: open an existing database', measure: () => timeProcess([barePath, existing]) },
  { name: 'bare PGlite: make a new database (initdb)', measure: (run) => timeProcess([barePath, path.join(tmp, `initdb-${run}`)]) },
  { name: 'fanfold migrate, existing database', measure: () => timeProcess([BIN, 'migrate'], { DATA_DIR: existing }) },
  {
    name: 'fanfold migrate, existing database, through tsx',
    measure: () => timeProcess([BIN, 'migrate'], { DATA_DIR: existing, FANFOLD_FROM_SOURCE: '1' }),
  },
  { name: 'fanfold serve → /healthz 200, existing database', measure: () => timeServe(existing) },
  {
    name: 'fanfold serve → /healthz 200, existing database, through tsx',
    measure: () => timeServe(existing, { FANFOLD_FROM_SOURCE: '1' }),
  },
  {
    name: 'fanfold serve → /healthz 200, new database (prepared image)',
    measure: async (run) => {
      const result = await timeServe(path.join(tmp, `new-${run}`));
      if (result) progress = result.lines;
      return result;
    },
  },
];

try {
  // Round by round, each scenario once a round: a machine whose load drifts during the run
  // shifts every row alike, so the rows stay comparable.
  const samples = SCENARIOS.map((): Sample[] => []);
  for (let run = 0; run < RUNS; run++) {
    for (const [i, scenario] of SCENARIOS.entries()) {
      const one = await attempt(() => scenario.measure(run));
      if (one) samples[i]!.push(one);
    }
  }
  const [bare, initdb, migrate, , serve, , first] = SCENARIOS.map((scenario, i) => report(scenario.name, samples[i]!));
  console.log(`\nload average ${load()}`);
  const ratio = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? 'n/a' : `${(a / b).toFixed(2)}×`);
  console.log(
    `\nfanfold migrate / bare open: wall ${ratio(migrate!.ms, bare!.ms)}, CPU ${ratio(migrate!.cpuMs, bare!.cpuMs)} (target ≤ 2×)`,
  );
  console.log(`/healthz on an existing database: ${seconds(serve!.ms)} s (target ≤ 3 s)`);
  console.log(`/healthz on a new database: ${seconds(first!.ms)} s (target < 5 s; initdb alone ${seconds(initdb!.ms)} s)`);
  console.log(`what a first start printed:\n  ${progress.join('\n  ')}`);
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
