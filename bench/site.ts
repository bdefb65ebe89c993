// npm run bench:site — the pages other than the work page (search, a tag's works, the inbox,
// bookmarks, the home page), each for a guest and for a signed-in reader where both exist, served
// by `fanfold serve` on the embedded database, under wrk on loopback; nginx serving the same
// pages' HTML as static files is the baseline in the same rounds. Prints requests/s, p50, p99 (the
// median of the rounds and their spread), the ratio to nginx, and the queries each page makes
// (counted in process by a Kysely plugin, as src/works/work-page-queries.routes.test.ts counts).
//
// Options (environment): BENCH_WORKS (default 3000), BENCH_SEED (42), BENCH_DURATION (seconds per
// run, 8), BENCH_ROUNDS (3), BENCH_CONNECTIONS (16), BENCH_THREADS (1). BENCH_SMOKE=1 seeds,
// counts queries and checks each page once, without wrk or nginx.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/connection.ts';
import { ensureFacetIndex } from '../src/search/facet-index-store.ts';
import { startServer } from './lib/archive-process.ts';
import { onBenchEnd, runBench, trackChild } from './lib/bench-processes.ts';
import { nginxVersion, requireNginx, startNginx } from './lib/nginx.ts';
import { cpuSecondsBetween, snapshotTrees } from './lib/process-cpu.ts';
import { QueryCounter } from './lib/query-counter.ts';
import { BENCH_READER, seedSiteArchive } from './lib/site-seed.ts';
import { cyclePathsScript, median, requireWrk, runWrk, spread, type WrkResult } from './lib/wrk.ts';

const positiveInt = (raw: string | undefined, fallback: number) => {
  const n = Number(raw);
  return Number.isInteger(n) && n > 0 ? n : fallback;
};
const WORKS = positiveInt(process.env.BENCH_WORKS, 3000);
const SEED = positiveInt(process.env.BENCH_SEED, 42);
const DURATION = positiveInt(process.env.BENCH_DURATION, 8);
const ROUNDS = positiveInt(process.env.BENCH_ROUNDS, 3);
const CONNECTIONS = positiveInt(process.env.BENCH_CONNECTIONS, 16);
const THREADS = positiveInt(process.env.BENCH_THREADS, 1);
const SMOKE = process.env.BENCH_SMOKE === '1';

const log = (line: string) => process.stderr.write(`[bench:site] ${line}\n`);

interface Target {
  page: string;
  visitor: 'guest' | 'signed-in';
  paths: string[];
  cookie?: string;
  /** Statements per request (min and max over `paths`), counted in process. */
  queries?: { min: number; max: number };
  bytes?: number;
  /** Target requests/s as a share of nginx's (docs/benchmarks.md says why each). */
  goal: number;
}

async function main(): Promise<void> {
  if (!SMOKE) {
    requireWrk();
    requireNginx();
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fanfold-bench-site-'));
  onBenchEnd(() => {
    if (!process.env.BENCH_KEEP_TMP) fs.rmSync(tmp, { recursive: true, force: true });
  });
  const loadBefore = os.loadavg()[0]!;
  log(`working in ${tmp}; load average ${loadBefore.toFixed(2)}`);

  const dataDir = path.join(tmp, 'data');
  const handle = await openDatabase({ dataDir });
  let archive: Awaited<ReturnType<typeof seedSiteArchive>>;
  const targets: Target[] = [];
  try {
    archive = await seedSiteArchive(handle.db, { works: WORKS, seed: SEED, log });
    const { summary, counts, topFandom } = archive;
    log(
      `seeded ${summary.works} works (${summary.chapters} chapters, ${summary.users} creators, ${summary.tags} tags) in ${summary.seconds} s; ` +
        `${BENCH_READER}: ${counts.bookmarks} bookmarks, ${counts.workSubscriptions} work and ${counts.creatorSubscriptions} creator subscriptions, ` +
        `${counts.inboxItems} inbox items (${counts.unread} unread)`,
    );
    const tag = `/tags/${encodeURIComponent(topFandom.name)}/works`;
    const bookmarks = `/users/${BENCH_READER}/bookmarks`;
    const searches = archive.searches.map((s) => s.path);
    const cookie = archive.reader.cookie;
    // Goals (docs/benchmarks.md, "Other pages" says why): a page the same for every guest (home, a
    // tag's works, someone's bookmarks) at the signed-in work page's 0.25 of nginx, which only a
    // guest cache like the work page's reaches; any other page at 0.005 (about 10 ms of one core);
    // the inbox, a short page of two queries, at 0.02.
    targets.push(
      { page: 'search (6 queries in turn)', visitor: 'guest', paths: searches, goal: 0.005 },
      { page: 'search (6 queries in turn)', visitor: 'signed-in', paths: searches, cookie, goal: 0.005 },
      { page: `tag's works (${topFandom.works} works)`, visitor: 'guest', paths: [tag], goal: 0.25 },
      { page: `tag's works (${topFandom.works} works)`, visitor: 'signed-in', paths: [tag], cookie, goal: 0.005 },
      { page: `inbox (${counts.inboxItems} items)`, visitor: 'signed-in', paths: [`/users/${BENCH_READER}/inbox`], cookie, goal: 0.02 },
      { page: `bookmarks (${counts.bookmarks})`, visitor: 'guest', paths: [bookmarks], goal: 0.25 },
      { page: `bookmarks (${counts.bookmarks})`, visitor: 'signed-in', paths: [bookmarks], cookie, goal: 0.005 },
      { page: 'home', visitor: 'guest', paths: ['/'], goal: 0.25 },
      { page: 'home', visitor: 'signed-in', paths: ['/'], cookie, goal: 0.005 },
    );

    // Queries per page, in process on the same database (the server is not started yet: PGlite
    // allows one process per data directory).
    const counter = new QueryCounter();
    const counted = handle.db.withPlugin(counter);
    const config = loadConfig({ LOG_LEVEL: 'silent', BASE_URL: 'http://127.0.0.1' });
    const app = await buildApp({ db: counted, config }, { logger: false });
    await app.ready();
    try {
      // Searches as served once the process's index is built (it builds on the first search).
      await ensureFacetIndex(counted);
      for (const t of targets) {
        const perPath: number[] = [];
        for (const url of t.paths) {
          const request = { method: 'GET' as const, url, headers: t.cookie ? { cookie: t.cookie } : {} };
          await app.inject(request); // warm: caches a first request fills are not the steady state
          let status = 0;
          perPath.push(await counter.countDuring(async () => (status = (await app.inject(request)).statusCode)));
          if (status !== 200) throw new Error(`${t.visitor} ${url} answered ${status} in process`);
        }
        t.queries = { min: Math.min(...perPath), max: Math.max(...perPath) };
      }
    } finally {
      await app.close();
    }
  } finally {
    await handle.close();
  }

  log('starting fanfold serve (embedded database, LOG_LEVEL=warn)');
  const server = await startServer({ DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
  trackChild(server.child);

  // Each page's HTML as served, for the sizes and for nginx's files.
  const files: Record<string, string> = {};
  for (const [i, t] of targets.entries()) {
    let bytes = 0;
    for (const [k, url] of t.paths.entries()) {
      const response = await fetch(server.url + url, { headers: t.cookie ? { cookie: t.cookie } : {} });
      const html = await response.text();
      if (response.status !== 200) throw new Error(`${t.visitor} ${url} answered ${response.status}`);
      if (t.cookie && !html.includes(`/users/${BENCH_READER}"`)) throw new Error(`${url} did not render for the signed-in reader`);
      bytes += Buffer.byteLength(html);
      // Guests' pages, and the inbox (signed-in only): one file each.
      if (t.visitor === 'guest' || t.page.startsWith('inbox')) files[`page-${i}-${k}.html`] = html;
    }
    t.bytes = Math.round(bytes / t.paths.length);
  }
  if (SMOKE) {
    printQueries(targets);
    log('smoke: every page answered 200; no wrk or nginx run');
    return;
  }

  const nginxBase = await startNginx(tmp, files);
  const nginxPaths = Object.keys(files).map((f) => `/${f}`);
  const nginxBytes = Math.round(Object.values(files).reduce((sum, html) => sum + Buffer.byteLength(html), 0) / nginxPaths.length);
  const nginx: Target = {
    page: `nginx: the pages' HTML as static files, in turn (${nginxPaths.length} files)`,
    visitor: 'guest',
    paths: nginxPaths,
    bytes: nginxBytes,
    goal: 1,
  };
  const all = [...targets, nginx];
  const baseOf = (t: Target) => (t === nginx ? nginxBase : server.url);

  const run = (t: Target, seconds: number) =>
    runWrk({
      url: baseOf(t),
      seconds,
      connections: CONNECTIONS,
      threads: THREADS,
      script: cyclePathsScript(t.paths),
      headers: t.cookie ? [`Cookie: ${t.cookie}`] : [],
      dir: tmp,
    });
  for (const t of all) {
    log(`warm-up ${t.visitor} ${t.page} (2 s)`);
    await run(t, 2);
  }

  const results = new Map<Target, WrkResult[]>(all.map((t) => [t, []]));
  // The server's CPU per request (its threads, the embedded database's included): what a page
  // costs, which holds steadier than requests/s on a machine shared with other work.
  const cpuMs = new Map<Target, number[]>(all.map((t) => [t, []]));
  const serverPid = server.child.pid!;
  const loads: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    // Alternate the order so drift in what else the machine does favours no page; nginx runs
    // between the Fanfold pages' halves each round.
    const half = Math.ceil(targets.length / 2);
    const sequence = [...targets.slice(0, half), nginx, ...targets.slice(half)];
    for (const t of round % 2 ? sequence : sequence.reverse()) {
      const before = snapshotTrees([serverPid]);
      const r = await run(t, DURATION);
      if (t !== nginx) cpuMs.get(t)!.push((1000 * cpuSecondsBetween(before, snapshotTrees([serverPid]))) / r.requests);
      results.get(t)!.push(r);
      const problems = r.non2xx || r.socketErrors ? ` (${r.non2xx} non-2xx, ${r.socketErrors} socket errors)` : '';
      log(
        `round ${round}/${ROUNDS} ${`${t.visitor} ${t.page}`.slice(0, 44).padEnd(44)} ${r.rps.toFixed(0).padStart(7)} req/s  p50 ${r.p50ms.toFixed(2)} ms  p99 ${r.p99ms.toFixed(2)} ms${problems}`,
      );
    }
    loads.push(os.loadavg()[0]!);
  }

  const base = median(results.get(nginx)!.map((r) => r.rps));
  const nginxRounds = results.get(nginx)!;
  const cpu = /model name\s*:\s*(.*)/.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  console.log('');
  console.log(
    `Pages other than the work page, ${WORKS.toLocaleString('en')} seeded works (seed ${SEED}), embedded database; wrk -t${THREADS} -c${CONNECTIONS} -d${DURATION}s, ${ROUNDS} rounds`,
  );
  console.log(
    `machine: ${os.cpus().length} CPUs (${cpu}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, nginx ${nginxVersion()}`,
  );
  console.log(`load average (1 min): ${loadBefore.toFixed(2)} before, ${loads.map((l) => l.toFixed(2)).join(' / ')} after each round`);
  console.log('');
  console.log(
    '| page | visitor | queries | HTML bytes | requests/s, median (min–max) | p50 | p99 | server CPU per request | vs nginx (per-round median) | goal | errors |',
  );
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const t of all) {
    const runs = results.get(t)!;
    const rps = runs.map((r) => r.rps);
    const ratio = median(rps) / base;
    const perRound = median(runs.map((r, i) => r.rps / nginxRounds[i]!.rps));
    const queries = t.queries ? (t.queries.min === t.queries.max ? `${t.queries.min}` : `${t.queries.min}–${t.queries.max}`) : '–';
    const met = t === nginx ? '' : ratio >= t.goal ? ' (met)' : ' (not met)';
    console.log(
      `| ${t.page} | ${t === nginx ? '–' : t.visitor} | ${queries} | ${t.bytes?.toLocaleString('en')} | ${spread(rps)} | ${median(runs.map((r) => r.p50ms)).toFixed(2)} ms | ${median(runs.map((r) => r.p99ms)).toFixed(2)} ms | ${t === nginx ? '–' : `${spread(cpuMs.get(t)!, 1)} ms`} | ${ratio.toFixed(4)} (${perRound.toFixed(4)}) | ${t === nginx ? '1' : `≥ ${t.goal}${met}`} | ${runs.reduce((s, r) => s + r.non2xx + r.socketErrors, 0)} |`,
    );
  }
  console.log('');
  console.log('Searches in the mix:');
  for (const s of archive.searches) console.log(`  ${s.name}: ${s.path}`);
}

function printQueries(targets: Target[]): void {
  for (const t of targets) console.log(`${t.visitor.padEnd(9)} ${t.page}: ${t.queries?.min}–${t.queries?.max} queries, ${t.bytes} bytes`);
}

runBench('bench:site', main);
