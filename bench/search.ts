// npm run bench:search — search latency and throughput on a synthetic archive.
//
// Loads BENCH_PG_WORKS (default 1,000,000) works into a PostgreSQL server and BENCH_PGLITE_WORKS
// (default 100,000) into PGlite with `fanfold seed`'s generator (seed BENCH_SEED, default 42;
// a database already loaded with the same size and seed is reused), runs the fixed query mix
// below, and prints p50/p95/p99 of the full search (results + total + sidebar counts + snippets)
// in each of BENCH_MODES (see measure(): the SQL path cold, the facet index, the SQL path cached), then
// the search page's throughput on 127.0.0.1 under `wrk` (BENCH_WRK_SECONDS, default 10 s,
// BENCH_WRK_CONNECTIONS, default 16). Each figure is measured BENCH_RUNS times (default 3) and
// printed per run with the load average, then as median (min–max): the machine is shared. PostgreSQL: FANFOLD_BENCH_PG_URL or TEST_DATABASE_URL or FANFOLD_PG_SERVER_URL
// (a superuser URL; a database per size is created), else a throwaway cluster via
// scripts/with-postgres.sh. BENCH_ENGINES=pg,pglite chooses engines.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../src/config.ts';
import { openDatabase, type DatabaseHandle } from '../src/db/connection.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { emptyFilters, toQueryString, type SearchFilters } from '../src/search/search.schema.ts';
import {
  configureFacetIndex,
  currentFacetIndex,
  dropFacetIndex,
  ensureFacetIndex,
  lastSnapshotLoad,
} from '../src/search/facet-index-store.ts';
import { findLatestSnapshot } from '../src/search/facet-index-snapshot.ts';
import { readSearchGeneration } from '../src/search/search.repo.ts';
import { searchWorks } from '../src/search/search.service.ts';
import { seedArchive } from '../src/seed/seed.ts';

const SEED = Number(process.env.BENCH_SEED ?? 42);
const PG_WORKS = Number(process.env.BENCH_PG_WORKS ?? 1_000_000);
const PGLITE_WORKS = Number(process.env.BENCH_PGLITE_WORKS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const WRK_SECONDS = Number(process.env.BENCH_WRK_SECONDS ?? 10);
/** Each measurement is repeated this many times; medians and spread are printed (the machine is shared). */
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const WRK_CONNECTIONS = Number(process.env.BENCH_WRK_CONNECTIONS ?? 16);
const ENGINES = (process.env.BENCH_ENGINES ?? 'pg,pglite').split(',');
/** Which parts to run (BENCH_PARTS): the mix's latencies, restarts, catch-ups, the page under wrk. */
const PARTS = new Set((process.env.BENCH_PARTS ?? 'measure,startup,catchup,throughput').split(','));
/** Only the queries of the mix whose names contain one of these (BENCH_QUERIES, comma-separated): for profiling one. */
const ONLY = process.env.BENCH_QUERIES?.split(',').filter((q) => q !== '');

const log = (line: string) => process.stderr.write(`${line}\n`);

function serverUrl(): string | undefined {
  return process.env.FANFOLD_BENCH_PG_URL ?? process.env.TEST_DATABASE_URL ?? process.env.FANFOLD_PG_SERVER_URL;
}

async function countWorks(handle: DatabaseHandle): Promise<number> {
  const row = await sql<{ n: number }>`select count(*)::int as n from works`.execute(handle.db);
  return Number(row.rows[0]?.n ?? 0);
}

async function load(handle: DatabaseHandle, works: number, label: string): Promise<void> {
  await migrateToLatest(handle.db);
  const have = await countWorks(handle);
  if (have === works) {
    log(`${label}: reusing the loaded archive of ${works.toLocaleString('en')} works`);
    return;
  }
  if (have !== 0) throw new Error(`${label}: the database holds ${have} works, not ${works}; drop it and run again.`);
  const started = Date.now();
  const summary = await seedArchive(handle.db, {
    works,
    seed: SEED,
    concurrency: handle.kind === 'postgres' ? 2 : 1,
    onProgress: (done, total) =>
      log(
        `${label}: loading ${done.toLocaleString('en')}/${total.toLocaleString('en')} works (${Math.floor((done / total) * 100)}%), ${Math.round(done / ((Date.now() - started) / 1000))} works/s`,
      ),
  });
  log(
    `${label}: loaded ${summary.works.toLocaleString('en')} works, ${summary.chapters.toLocaleString('en')} chapters in ${summary.seconds} s`,
  );
}

function pgUrl(works: number): string {
  // The million-work archive of seed 42 keeps the name later sessions reuse (docs/benchmarks.md).
  const name =
    process.env.BENCH_PG_DATABASE ?? (works === 1_000_000 && SEED === 42 ? 'fanfold_bench_1m' : `fanfold_bench_${works}_s${SEED}`);
  const url = new URL(serverUrl()!);
  url.pathname = `/${name}`;
  return url.toString();
}

async function openPg(works: number): Promise<DatabaseHandle> {
  const admin = serverUrl()!;
  // The million-work archive of seed 42 keeps the name later sessions reuse (docs/benchmarks.md).
  const name =
    process.env.BENCH_PG_DATABASE ?? (works === 1_000_000 && SEED === 42 ? 'fanfold_bench_1m' : `fanfold_bench_${works}_s${SEED}`);
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  const exists = await client.query('select 1 from pg_database where datname = $1', [name]);
  if (exists.rowCount === 0) await client.query(`create database ${name}`);
  await client.end();
  return openDatabase({ databaseUrl: pgUrl(works), poolSize: 8 });
}

/** The mix: named searches built from the loaded archive's own tags (most and least used). */
async function buildMix(handle: DatabaseHandle): Promise<Array<{ name: string; filters: SearchFilters }>> {
  const topOf = async (type: string, rank: number, within?: number) => {
    const rows = await sql<{ name: string }>`
      select t.name from tags t join work_tags wt on wt.tag_id = t.id
      ${within === undefined ? sql`` : sql`join work_tags wf on wf.work_id = wt.work_id and wf.tag_id = ${within}`}
      where t.type = ${type} and t.merger_id is null
      group by t.id, t.name order by count(*) desc, t.id offset ${rank} limit 1
    `.execute(handle.db);
    return rows.rows[0]?.name ?? '';
  };
  const idOf = async (type: string, name: string) =>
    (await sql<{ id: number }>`select id from tags where type = ${type} and name = ${name}`.execute(handle.db)).rows[0]!.id;
  // Popularity from a sample keeps this quick at a million works.
  const fandomTop = await sql<{ name: string; id: number }>`
    select t.name, t.id from tags t join work_tags wt on wt.tag_id = t.id
    where t.type = 'fandom' and wt.work_id % 10 = 0 group by t.id order by count(*) desc, t.id
  `.execute(handle.db);
  const fandoms = fandomTop.rows;
  const top = fandoms[0]!;
  const mid = fandoms[Math.min(fandoms.length - 1, 9)]!;
  const rare = fandoms[Math.floor(fandoms.length * 0.8)]!;
  const topRel = await topOf('relationship', 0, top.id);
  const topChar = await topOf('character', 0, top.id);
  const creator = (
    await sql<{ name: string }>`
    select p.name from pseuds p join work_creators wc on wc.pseud_id = p.id where wc.work_id % 10 = 0 group by p.id order by count(*) desc, p.id limit 1
  `.execute(handle.db)
  ).rows[0]!.name;
  const angst = await idOf('freeform', 'Angst');
  const f = (overrides: Partial<SearchFilters>) => emptyFilters(overrides);
  const inc = (type: 'fandom' | 'relationship' | 'character' | 'freeform', ...names: string[]) => ({
    fandom: [],
    relationship: [],
    character: [],
    freeform: [],
    any: [],
    [type]: names,
  });
  return [
    { name: 'all works, newest update', filters: f({}) },
    { name: 'most popular fandom', filters: f({ include: inc('fandom', top.name) }) },
    { name: '10th fandom', filters: f({ include: inc('fandom', mid.name) }) },
    { name: 'rare fandom', filters: f({ include: inc('fandom', rare.name) }) },
    { name: 'fandom + relationship', filters: f({ include: { ...inc('fandom', top.name), relationship: [topRel] } }) },
    {
      name: 'fandom + character + Fluff',
      filters: f({ include: { ...inc('fandom', mid.name), character: [await topOf('character', 0, mid.id)], freeform: ['Fluff'] } }),
    },
    {
      name: 'fandom, 3 freeforms excluded',
      filters: f({ include: inc('fandom', top.name), exclude: inc('freeform', 'Angst', 'Major Character Death', 'Smut') }),
    },
    {
      name: 'several excludes, no include',
      filters: f({
        excludeIds: [angst],
        excludeWarnings: ['Major Character Death', 'Graphic Depictions Of Violence'],
        exclude: inc('fandom', top.name, mid.name),
      }),
    },
    {
      name: 'rating + complete + words 1k-10k',
      filters: f({ ratings: ['Teen And Up Audiences'], complete: 'complete', wordsFrom: 1000, wordsTo: 10000 }),
    },
    {
      name: 'G/T, complete, 50k+ words, by kudos',
      filters: f({ ratings: ['General Audiences', 'Teen And Up Audiences'], complete: 'complete', wordsFrom: 50000, sort: 'kudos' }),
    },
    { name: 'text: vampire library', filters: f({ q: 'vampire library', sort: 'best' }) },
    { name: 'text phrase', filters: f({ q: '"old library"', sort: 'best' }) },
    { name: 'fandom + text', filters: f({ q: `fandom:"${top.name}" tea`, sort: 'best' }) },
    { name: 'query language mix', filters: f({ q: `fandom:"${mid.name}" -freeform:Angst words:>5000 kudos:>=20` }) },
    { name: 'deep page 200 of top fandom by kudos', filters: f({ include: inc('fandom', top.name), sort: 'kudos', page: 200 }) },
    { name: 'deep page 1000 of all by words', filters: f({ sort: 'words', page: 1000 }) },
    { name: 'popular freeform by hits', filters: f({ include: inc('freeform', 'Fluff'), sort: 'hits' }) },
    { name: 'rare freeform', filters: f({ include: inc('freeform', 'Academia') }) },
    { name: 'crossovers only', filters: f({ crossover: 'only' }) },
    { name: 'language es, complete', filters: f({ language: 'es', complete: 'complete' }) },
    { name: 'fandom, posted in 2020', filters: f({ include: inc('fandom', mid.name), postedFrom: '2020-01-01', postedTo: '2020-12-31' }) },
    { name: 'top fandom by kudos/hits', filters: f({ include: inc('fandom', top.name), sort: 'ratio' }) },
    { name: 'character in rare-ish fandom', filters: f({ include: inc('character', topChar) }) },
    { name: 'prolific creator', filters: f({ creator }) },
  ];
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function median(values: number[]): number {
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** "median (min–max)" of repeated runs' figures. */
function spread(values: number[], digits = 1): string {
  const f = (v: number) => v.toFixed(digits);
  return values.length === 1 ? f(values[0]!) : `${f(median(values))} (${f(Math.min(...values))}–${f(Math.max(...values))})`;
}

function loadAverage(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
}

type Run = { p50: number; p95: number; p99: number; load: number };

/**
 * Modes (BENCH_MODES, default `sql-cold,index`): `sql-cold` is the SQL path with the count and
 * page caches off (the baseline, BENCH_BASELINE_ROUNDS rounds, default 1, no warm-up: at 1M works
 * a round takes minutes); `index` is the in-process facet index (decision 014) with the caches off,
 * after a warm-up round; `sql-cached` is the SQL path as served with its caches (decision 007).
 * Every mode but `sql-cold` runs BENCH_RUNS times (ROUNDS rounds of the mix each); each run's
 * percentiles are printed with the load average at its end, then their median and spread.
 */
async function measure(handle: DatabaseHandle, label: string, mix: Awaited<ReturnType<typeof buildMix>>) {
  const results: Record<string, { runs: Run[]; perQuery: Record<string, number>; totals: Record<string, string> }> = {};
  const modes = (process.env.BENCH_MODES ?? 'sql-cold,index').split(',');
  for (const mode of modes) {
    const options =
      mode === 'index'
        ? // As the search page asks: a phrase's total may be an estimate ("about N").
          { cache: false, index: true, estimate: true }
        : mode === 'sql-cached'
          ? { cache: true, index: false }
          : { cache: false, index: false };
    if (mode === 'index') {
      // As the app runs it: from the stored snapshot when there is one, else built and stored.
      configureFacetIndex(handle.db, { snapshots: true });
      const t0 = performance.now();
      const index = await ensureFacetIndex(handle.db, (works) =>
        log(`${label}: facet index reading works, ${works.toLocaleString('en')} so far`),
      );
      if (!index) throw new Error('the facet index could not be built (writes kept moving the generation)');
      const load = lastSnapshotLoad(handle.db);
      console.log(
        `${label}: facet index ${load ? 'loaded from the stored snapshot' : 'built and stored'} in ${Math.round(performance.now() - t0)} ms (${index.n.toLocaleString('en')} works), heap ${Math.round(process.memoryUsage().heapUsed / 1e6)} MB, rss ${Math.round(process.memoryUsage().rss / 1e6)} MB`,
      );
    }
    const rounds = mode === 'sql-cold' ? Number(process.env.BENCH_BASELINE_ROUNDS ?? 1) : ROUNDS;
    const runCount = mode === 'sql-cold' ? 1 : RUNS;
    const perQuery: Record<string, number[]> = {};
    const runs: Run[] = [];
    const totals: Record<string, string> = {};
    // Warm-up round (buffers, plans, the index's sort orders; fills the caches for sql-cached).
    if (mode !== 'sql-cold') for (const q of mix) await searchWorks(handle.db, null, q.filters, options);
    for (let run = 0; run < runCount; run++) {
      const samples: number[] = [];
      for (let round = 0; round < rounds; round++) {
        for (const q of mix) {
          const t0 = performance.now();
          const result = await searchWorks(handle.db, null, q.filters, options);
          const ms = performance.now() - t0;
          totals[q.name] = `${result.totalEstimated ? 'about ' : ''}${result.total.toLocaleString('en')}`;
          samples.push(ms);
          (perQuery[q.name] ??= []).push(ms);
        }
      }
      samples.sort((a, b) => a - b);
      const r = { p50: percentile(samples, 50), p95: percentile(samples, 95), p99: percentile(samples, 99), load: os.loadavg()[0]! };
      runs.push(r);
      console.log(
        `${label} ${mode} run ${run + 1}/${runCount} (load average ${loadAverage()}): p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms (${samples.length} searches)`,
      );
    }
    const medians: Record<string, number> = {};
    for (const [name, list] of Object.entries(perQuery)) medians[name] = Math.round(median(list) * 10) / 10;
    results[mode] = { runs, perQuery: medians, totals };
    if (runCount > 1)
      console.log(
        `${label} ${mode}, ${runCount} runs, median (min–max): p50 ${spread(runs.map((r) => r.p50))} ms, p95 ${spread(runs.map((r) => r.p95))} ms, p99 ${spread(runs.map((r) => r.p99))} ms; load average ${spread(runs.map((r) => r.load))}`,
      );
  }
  const base = results['sql-cold'];
  const index = results.index;
  if (base && index)
    console.log(
      `${label}: p95 index / sql-cold = ${(median(index.runs.map((r) => r.p95)) / base.runs[0]!.p95).toFixed(4)}, p50 ratio ${(median(index.runs.map((r) => r.p50)) / base.runs[0]!.p50).toFixed(4)}`,
    );
  console.log(`${label} per query, median ms over all runs (${modes.join(' | ')}):`);
  for (const name of mix.map((q) => q.name)) {
    const found = modes.map((m) => results[m]?.totals[name] ?? '?').join(' | ');
    console.log(`  ${modes.map((m) => (results[m]?.perQuery[name] ?? 0).toFixed(1).padStart(9)).join(' ')}  ${name} (${found} found)`);
  }
  return results;
}

/**
 * How long the facet index takes to follow writes from the change log (decision 021), against
 * the full rebuild it replaces (measured in the same run): K works change (their completion flag
 * flips, twice, so the archive ends as it began), then one search waits for the catch-up.
 */
async function catchUp(handle: DatabaseHandle, label: string): Promise<void> {
  // A full build from the archive, not the snapshot: the rebuild a catch-up replaces.
  configureFacetIndex(handle.db, { snapshots: false });
  const t0 = performance.now();
  const rebuilt = await ensureFacetIndex(handle.db);
  const rebuildMs = performance.now() - t0;
  if (!rebuilt) throw new Error('the facet index could not be built');
  const ids = Array.from({ length: 100 }, (_, k) => rebuilt.ids[Math.floor((k * rebuilt.n) / 100)]!);
  for (const k of [1, 10, 100]) {
    const times: number[] = [];
    for (let round = 0; round < 6; round++) {
      await sql`update works set is_complete = not is_complete where id = any(${ids.slice(0, k)}::int[])`.execute(handle.db);
      const t = performance.now();
      const index = await currentFacetIndex(handle.db, await readSearchGeneration(handle.db));
      times.push(performance.now() - t);
      if (!index) throw new Error('the index fell back to a rebuild');
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)]!;
    console.log(
      `${label}: catch-up after a write to ${k} work(s): median ${median.toFixed(1)} ms (6 runs); full rebuild ${Math.round(rebuildMs)} ms; ratio ${(median / rebuildMs).toFixed(5)}`,
    );
  }
}

/**
 * A restart: a new process (this script again, BENCH_STARTUP_CHILD) opens the archive and times
 * how long until its index serves searches — the stored snapshot read, decoded and caught up —
 * and what its memory is then; BENCH_RUNS times.
 */
async function startup(url: string, label: string): Promise<void> {
  const runs: Array<{ ms: number; rss: number; heap: number; readMs: number; decodeMs: number; catchUpMs: number; load: number }> = [];
  for (let run = 0; run < RUNS; run++) {
    const out = execFileSync(process.execPath, ['--import', 'tsx', import.meta.filename], {
      env: { ...process.env, BENCH_STARTUP_CHILD: url },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const r = JSON.parse(out.trim().split('\n').at(-1)!);
    runs.push({ ...r, load: os.loadavg()[0]! });
    console.log(
      `${label}: restart run ${run + 1}/${RUNS} (load average ${loadAverage()}): index serving after ${Math.round(r.ms)} ms (snapshot ${(r.bytes / 1e6).toFixed(0)} MB read ${Math.round(r.readMs)} ms, decoded ${Math.round(r.decodeMs)} ms, caught up ${Math.round(r.catchUpMs)} ms), process rss ${Math.round(r.rss / 1e6)} MB (${Math.round(r.rssBefore / 1e6)} MB before the index), heap ${Math.round(r.heap / 1e6)} MB`,
    );
  }
  console.log(
    `${label}: restart, ${RUNS} runs, median (min–max): ${spread(
      runs.map((r) => r.ms / 1000),
      2,
    )} s to an index serving searches, rss ${spread(
      runs.map((r) => r.rss / 1e6),
      0,
    )} MB; load average ${spread(runs.map((r) => r.load))}`,
  );
}

async function startupChild(url: string): Promise<void> {
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  const handle = await openDatabase({ databaseUrl: url, poolSize: 4 });
  try {
    configureFacetIndex(handle.db, { snapshots: true });
    const stored = await findLatestSnapshot(handle.db);
    if (!stored) throw new Error('no stored snapshot to start from');
    const index = await ensureFacetIndex(handle.db);
    if (!index) throw new Error('the index did not load');
    const ms = performance.now() - t0;
    const load = lastSnapshotLoad(handle.db);
    const memory = process.memoryUsage();
    console.log(JSON.stringify({ ms, rss: memory.rss, rssBefore, heap: memory.heapUsed, bytes: stored.bytes, ...load }));
  } finally {
    dropFacetIndex(handle.db);
    await handle.close();
  }
}

async function throughput(handle: DatabaseHandle, label: string, mix: Awaited<ReturnType<typeof buildMix>>): Promise<string> {
  const config = loadConfig({ LOG_LEVEL: 'silent', BASE_URL: 'http://127.0.0.1', PAGE_CACHE: 'off' });
  // Imported here: a restart's child process (startupChild) needs no app.
  const { buildApp } = await import('../src/app.ts');
  const app = await buildApp({ db: handle.db, config }, { logger: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as { port: number }).port;
  const script = path.join(os.tmpdir(), `fanfold-bench-search-${process.pid}.lua`);
  const paths = mix.map((q) => `/works/search?${toQueryString(q.filters) || 'sort=updated'}`);
  fs.writeFileSync(
    script,
    `local paths = {${paths.map((p) => JSON.stringify(p)).join(',')}}\nlocal i = 0\nrequest = function()\n  i = i % #paths + 1\n  return wrk.format("GET", paths[i])\nend\n`,
  );
  try {
    const runs: Array<{ rps: number; p50: string; p99: string; load: number }> = [];
    for (let run = 0; run < RUNS; run++) {
      const output = await new Promise<string>((resolve, reject) => {
        const child = spawn('wrk', [
          '-t2',
          `-c${WRK_CONNECTIONS}`,
          `-d${WRK_SECONDS}s`,
          '--latency',
          '-s',
          script,
          `http://127.0.0.1:${port}`,
        ]);
        let out = '';
        child.stdout.on('data', (d) => (out += d));
        child.stderr.on('data', (d) => (out += d));
        child.on('error', reject);
        child.on('close', () => resolve(out));
      });
      const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(output)?.[1] ?? Number.NaN);
      const p50 = /50%\s+([\d.]+\w+)/.exec(output)?.[1] ?? '?';
      const p99 = /99%\s+([\d.]+\w+)/.exec(output)?.[1] ?? '?';
      const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? '0';
      runs.push({ rps, p50, p99, load: os.loadavg()[0]! });
      console.log(
        `${label} search page under wrk run ${run + 1}/${RUNS} (${WRK_CONNECTIONS} connections, ${WRK_SECONDS} s, the mix in turn, facet index on as served; load average ${loadAverage()}): ${rps} req/s, latency p50 ${p50}, p99 ${p99}, non-2xx ${non2xx}`,
      );
    }
    const line = `${label} search page under wrk, ${RUNS} runs, median (min–max): ${spread(
      runs.map((r) => r.rps),
    )} req/s; load average ${spread(runs.map((r) => r.load))}`;
    console.log(line);
    return line;
  } finally {
    fs.rmSync(script, { force: true });
    await app.close();
  }
}

async function main(): Promise<void> {
  if (process.env.BENCH_STARTUP_CHILD) return startupChild(process.env.BENCH_STARTUP_CHILD);
  if (ENGINES.includes('pg') && !serverUrl()) {
    // No server given: run again inside a throwaway cluster.
    log('bench:search: no PostgreSQL server given; starting a throwaway one (scripts/with-postgres.sh)');
    execFileSync(
      'bash',
      [path.join(import.meta.dirname, '../scripts/with-postgres.sh'), process.execPath, '--import', 'tsx', import.meta.filename],
      { stdio: 'inherit' },
    );
    return;
  }
  console.log(
    `bench:search on ${os.cpus().length} cores (load average ${loadAverage()} at start), Node ${process.version}, seed ${SEED}, ${RUNS} runs of ${ROUNDS} rounds of the mix`,
  );
  if (ENGINES.includes('pg')) {
    const handle = await openPg(PG_WORKS);
    try {
      await load(handle, PG_WORKS, `PostgreSQL ${PG_WORKS.toLocaleString('en')}`);
      const mix = (await buildMix(handle)).filter((q) => !ONLY || ONLY.some((name) => q.name.includes(name)));
      const label = `PostgreSQL ${PG_WORKS.toLocaleString('en')} works`;
      if (PARTS.has('measure')) await measure(handle, label, mix);
      if (PARTS.has('startup')) await startup(pgUrl(PG_WORKS), label);
      if (PARTS.has('catchup')) await catchUp(handle, label);
      if (PARTS.has('throughput')) await throughput(handle, label, mix);
    } finally {
      await handle.close();
    }
  }
  if (ENGINES.includes('pglite')) {
    const dir = process.env.BENCH_PGLITE_DIR ?? path.join(os.tmpdir(), `fanfold-bench-pglite-${PGLITE_WORKS}-s${SEED}`);
    const handle = await openDatabase({ dataDir: dir });
    try {
      await load(handle, PGLITE_WORKS, `PGlite ${PGLITE_WORKS.toLocaleString('en')}`);
      const mix = await buildMix(handle);
      const label = `PGlite ${PGLITE_WORKS.toLocaleString('en')} works`;
      if (PARTS.has('measure')) await measure(handle, label, mix);
      if (PARTS.has('catchup')) await catchUp(handle, label);
      if (PARTS.has('throughput')) await throughput(handle, label, mix);
    } finally {
      await handle.close();
    }
  }
}

await main();
