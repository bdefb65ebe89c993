// npm run bench:index-stall — how long the search index build keeps the event loop from answering.
//
// Opens an existing archive (DATA_DIR, a PGlite directory — copy it first, one process may open it
// — or BENCH_DATABASE_URL for a PostgreSQL server), builds the facet index from scratch
// BENCH_RUNS times (default 3, after one warm-up build that is not counted; BENCH_WARMUP=0 skips
// it) while a 5 ms interval timer records the gaps between its ticks, as a request waiting for the
// loop would see them. Prints per run the build time and its CPU time, the longest gap and the most
// CPU the process used within one gap, the p99 of the gaps and the ticks, then the median of the
// runs and their spread (min–max). BENCH_CHUNK=N reads N works per query instead of sizing chunks
// by their cost. The database is only read.
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { openDatabase, type DatabaseHandle } from '../src/db/connection.ts';
import { configureFacetIndex, dropFacetIndex, ensureFacetIndex } from '../src/search/facet-index-store.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const WARMUP = process.env.BENCH_WARMUP !== '0';
const CHUNK = Number(process.env.BENCH_CHUNK ?? 0);
const TICK_MS = 5;

const log = (line: string) => process.stderr.write(`${line}\n`);

interface RunFigures {
  buildMs: number;
  /** CPU time of the process during the build: steadier than wall time on a shared machine. */
  cpuMs: number;
  longestMs: number;
  /**
   * CPU time the process used in its costliest gap: the block as this process makes it, whatever
   * the machine's load (on a busy machine a block's wall time is its CPU time times the wait for a core).
   */
  longestCpuMs: number;
  p99Ms: number;
  ticks: number;
  /** Gaps longer than 50 ms: stretches a request would have felt. */
  over50: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function measureBuild(handle: DatabaseHandle): Promise<RunFigures> {
  // A fresh state per run: the handle's index, if any, is forgotten so the build starts from nothing.
  dropFacetIndex(handle.db);
  if (CHUNK > 0) configureFacetIndex(handle.db, { chunkSize: CHUNK });
  const gaps: number[] = [];
  let longestCpuMs = 0;
  let last = performance.now();
  let lastCpu = process.cpuUsage();
  const timer = setInterval(() => {
    const now = performance.now();
    const cpu = process.cpuUsage(lastCpu);
    longestCpuMs = Math.max(longestCpuMs, (cpu.user + cpu.system) / 1000);
    lastCpu = process.cpuUsage();
    gaps.push(now - last);
    last = now;
  }, TICK_MS);
  const started = performance.now();
  const cpu = process.cpuUsage();
  last = started;
  lastCpu = process.cpuUsage();
  const index = await ensureFacetIndex(handle.db);
  const buildMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  // The stretch between the last tick and the end of the build is a gap too.
  gaps.push(performance.now() - last);
  const tail = process.cpuUsage(lastCpu);
  longestCpuMs = Math.max(longestCpuMs, (tail.user + tail.system) / 1000);
  clearInterval(timer);
  if (!index) throw new Error('The index build gave up: writes kept moving the search generation. Run it on an idle archive.');
  const sorted = gaps.slice().sort((a, b) => a - b);
  return {
    buildMs,
    cpuMs,
    longestMs: sorted[sorted.length - 1]!,
    longestCpuMs,
    p99Ms: percentile(sorted, 99),
    ticks: gaps.length,
    over50: gaps.filter((g) => g > 50).length,
  };
}

function summarize(label: string, values: number[]): string {
  const sorted = values.slice().sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return `${label} ${median.toFixed(0)} ms (${sorted[0]!.toFixed(0)}–${sorted[sorted.length - 1]!.toFixed(0)})`;
}

async function main(): Promise<void> {
  const url = process.env.BENCH_DATABASE_URL;
  const dataDir = process.env.DATA_DIR;
  if (!url && !dataDir) {
    throw new Error('Say which archive to read: DATA_DIR=/path/to/a/copy/of/a/pglite/dir, or BENCH_DATABASE_URL=postgres://…');
  }
  const handle = url ? await openDatabase({ databaseUrl: url, poolSize: 4 }) : await openDatabase({ dataDir: dataDir! });
  try {
    const works = Number((await sql<{ n: number }>`select count(*)::int as n from works`.execute(handle.db)).rows[0]?.n ?? 0);
    log(`${handle.kind} at ${handle.location}: ${works.toLocaleString('en')} works`);
    log(
      `machine: ${os.cpus().length} cores, node ${process.version}, load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    if (WARMUP) {
      const w = await measureBuild(handle);
      log(
        `warm-up: build ${w.buildMs.toFixed(0)} ms (cpu ${w.cpuMs.toFixed(0)} ms), longest block ${w.longestMs.toFixed(0)} ms (not counted)`,
      );
    }
    const runs: RunFigures[] = [];
    for (let r = 1; r <= RUNS; r++) {
      const f = await measureBuild(handle);
      runs.push(f);
      log(
        `run ${r}: build ${f.buildMs.toFixed(0)} ms (cpu ${f.cpuMs.toFixed(0)} ms), longest block ${f.longestMs.toFixed(1)} ms, costliest block ${f.longestCpuMs.toFixed(1)} ms cpu, p99 gap ${f.p99Ms.toFixed(1)} ms, ${f.ticks} ticks, ${f.over50} gaps over 50 ms`,
      );
    }
    console.log(
      [
        `works ${works}`,
        summarize(
          'build',
          runs.map((r) => r.buildMs),
        ),
        summarize(
          'cpu',
          runs.map((r) => r.cpuMs),
        ),
        summarize(
          'longest block',
          runs.map((r) => r.longestMs),
        ),
        summarize(
          'costliest block cpu',
          runs.map((r) => r.longestCpuMs),
        ),
        summarize(
          'p99 gap',
          runs.map((r) => r.p99Ms),
        ),
        `load average ${os
          .loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}`,
      ].join('; '),
    );
  } finally {
    await handle.close();
  }
}

main().catch((error: unknown) => {
  log(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
