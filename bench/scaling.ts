// npm run bench:scaling — a load test with a mix of what an archive's visitors do (reading chapters
// as guests and signed in, searching, leaving kudos, commenting, posting works) against
// `fanfold serve` on PostgreSQL with WORKERS=1, WORKERS=2, and WORKERS=2 reading from a streaming
// replica (DATABASE_REPLICA_URLS), on loopback. Each request type is its own wrk process with its
// own connections, all at once, so each type's throughput and p99 are exact; the overall p99 is
// merged from their latency curves. Writes carry a think time (wrk's delay()) so their number stays
// bounded; reads run flat out, so the throughput is what the server gives at saturation.
//
// PostgreSQL: TEST_DATABASE_URL (a superuser's URL; the npm script's scripts/with-postgres.sh sets
// it to a throwaway cluster, or passes on FANFOLD_PG_SERVER_URL / your own TEST_DATABASE_URL). A
// database is created for the run and dropped after; the replica is made with pg_basebackup -R
// (test/replica-server.ts) and removed after.
//
// Options (environment): BENCH_WORKS (default 3000), BENCH_SEED (42), BENCH_DURATION (seconds per
// run, 15), BENCH_ROUNDS (3), BENCH_READERS (signed-in readers with sessions, 300),
// BENCH_CONFIGS (comma-separated subset of w1,w2,w2r), BENCH_WARMUP (seconds of the mix per
// configuration before the rounds, 10). BENCH_SMOKE=1 checks each request type once.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase } from '../src/db/connection.ts';
import { startReplica } from '../test/replica-server.ts';
import { startServer, workForm, type ServerProcess } from './lib/archive-process.ts';
import { onBenchEnd, runBench, trackChild } from './lib/bench-processes.ts';
import { cpuSecondsBetween, parentOf, snapshotTrees } from './lib/process-cpu.ts';
import { BENCH_CSRF, seedSiteArchive, type SiteArchive } from './lib/site-seed.ts';
import { DONE_LUA, luaString, median, mergedPercentile, requireWrk, runWrk, spread, type WrkResult } from './lib/wrk.ts';

const positiveInt = (raw: string | undefined, fallback: number) => {
  const n = Number(raw);
  return Number.isInteger(n) && n > 0 ? n : fallback;
};
const WORKS = positiveInt(process.env.BENCH_WORKS, 3000);
const SEED = positiveInt(process.env.BENCH_SEED, 42);
const DURATION = positiveInt(process.env.BENCH_DURATION, 15);
const ROUNDS = positiveInt(process.env.BENCH_ROUNDS, 3);
const READERS = positiveInt(process.env.BENCH_READERS, 300);
const CONFIGS = (process.env.BENCH_CONFIGS ?? 'w1,w2,w2r').split(',');
const WARMUP = positiveInt(process.env.BENCH_WARMUP, 10);
const IDLE_SECONDS = 5;
const SMOKE = process.env.BENCH_SMOKE === '1';

const log = (line: string) => process.stderr.write(`[bench:scaling] ${line}\n`);

/** One kind of request in the mix: its own wrk process and connections. */
interface RequestType {
  name: string;
  connections: number;
  /** Think time between a connection's requests, ms (0: flat out). */
  pauseMs: number;
  /** Lua building each request (uses the helpers of mixScript). */
  request: string;
}

/** The mix, by connections: a third of the connections read as guests, a third signed in. */
const MIX: RequestType[] = [
  { name: 'read a chapter, guest', connections: 6, pauseMs: 0, request: 'return get(pick(chapters), nil)' },
  { name: 'read a chapter, signed in', connections: 6, pauseMs: 0, request: 'return get(pick(chapters), nextCookie())' },
  {
    name: 'search (half signed in)',
    connections: 3,
    pauseMs: 0,
    request: 'return get(searches[n % #searches + 1], (n % 2 == 0) and nextCookie() or nil)',
  },
  {
    name: 'kudos',
    connections: 2,
    pauseMs: 50,
    request: 'local w = pick(works)\n  return post("/works/" .. w .. "/kudos", "return_to=%2Fworks%2F" .. w)',
  },
  {
    name: 'comment',
    connections: 2,
    pauseMs: 150,
    request:
      'local w = pick(works)\n  return post("/works/" .. w .. "/comments", "comment=Loved+this+chapter%2C+thank+you+" .. n .. "&return_to=%2Fworks%2F" .. w)',
  },
  {
    name: 'post a work',
    connections: 1,
    pauseMs: 1000,
    request: 'return post("/works", "title=Load+test+work+" .. runId .. "-" .. n .. "&" .. workBody)',
  },
];

/** A chapter of about 600 words for the works the load test posts. */
function chapterText(): string {
  const words = 'the lantern swung over the harbour while she counted the boats and waited for the tide to turn again'.split(' ');
  const paragraphs: string[] = [];
  for (let p = 0; p < 12; p++) paragraphs.push(Array.from({ length: 50 }, (_, i) => words[(i * 7 + p) % words.length]).join(' ') + '.');
  return paragraphs.join('\n\n');
}

/** The wrk script of one request type: the archive's URLs and sessions, the type's request, done()'s JSON. */
function mixScript(type: RequestType, archive: SiteArchive, runId: number): string {
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries(workForm('unused', chapterText()))) {
    if (k === 'title') continue;
    for (const one of Array.isArray(v) ? v : [v]) form.append(k, one);
  }
  return `
local chapters = {${archive.chapterPaths.map(luaString).join(',')}}
local searches = {${archive.searches.map((s) => luaString(s.path)).join(',')}}
local works = {${archive.workIds.join(',')}}
local cookies = {${archive.otherReaders.map(luaString).join(',')}}
local workBody = ${luaString(form.toString())}
local csrf = ${luaString(BENCH_CSRF)}
local runId = ${runId}
local n = 0
local nextReader = ${runId} % #cookies

math.randomseed(${runId})

-- Popular pages are read more: the lists come most read first.
local function pick(list)
  local r = math.random()
  return list[math.floor(#list * r * r * r) + 1]
end

-- Each signed-in request is the next reader's: the per-reader comment limit is never reached.
local function nextCookie()
  nextReader = nextReader % #cookies + 1
  return cookies[nextReader]
end

-- Behind a proxy each visitor has an address of their own (TRUST_PROXY=true): per-address limits
-- then apply to each, not to the load generator as one visitor.
local function headersFor(cookie)
  local h = { ["X-Forwarded-For"] = string.format("10.%d.%d.%d", math.random(0, 255), math.random(0, 255), math.random(1, 254)) }
  if cookie then h["Cookie"] = cookie end
  return h
end

local function get(path, cookie)
  return wrk.format("GET", path, headersFor(cookie))
end

local function post(path, body)
  local h = headersFor(nextCookie())
  h["Content-Type"] = "application/x-www-form-urlencoded"
  return wrk.format("POST", path, h, "_csrf=" .. csrf .. "&" .. body)
end

request = function()
  n = n + 1
  ${type.request}
end
${type.pauseMs > 0 ? `delay = function() return ${type.pauseMs} end` : ''}
${DONE_LUA}`;
}

interface Config {
  key: string;
  name: string;
  env: Record<string, string>;
  server?: ServerProcess;
}

async function main(): Promise<void> {
  const admin = process.env.TEST_DATABASE_URL;
  if (!admin) {
    throw new Error(
      'bench:scaling needs a PostgreSQL server: run it as `npm run bench:scaling` (scripts/with-postgres.sh makes a throwaway one), or set TEST_DATABASE_URL to a superuser URL.',
    );
  }
  if (!SMOKE) requireWrk();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fanfold-bench-scaling-'));
  onBenchEnd(() => {
    if (!process.env.BENCH_KEEP_TMP) fs.rmSync(tmp, { recursive: true, force: true });
  });
  const loadBefore = os.loadavg()[0]!;
  log(`working in ${tmp}; load average ${loadBefore.toFixed(2)}`);

  const dbName = `fanfold_bench_scaling_${process.pid}`;
  const adminClient = async (action: (client: pg.Client) => Promise<unknown>) => {
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    try {
      await action(client);
    } finally {
      await client.end();
    }
  };
  await adminClient((c) => c.query(`create database ${dbName}`));
  onBenchEnd(() => adminClient((c) => c.query(`drop database if exists ${dbName} with (force)`)));
  const url = new URL(admin);
  url.pathname = `/${dbName}`;
  const databaseUrl = url.toString();
  const serverVersion = await (async () => {
    let v = '?';
    await adminClient(async (c) => (v = (await c.query<{ server_version: string }>('show server_version')).rows[0]!.server_version));
    return v;
  })();

  const handle = await openDatabase({ databaseUrl, poolSize: 4 });
  let archive: SiteArchive;
  try {
    archive = await seedSiteArchive(handle.db, { works: WORKS, seed: SEED, otherReaders: READERS, concurrency: 2, log });
  } finally {
    await handle.close();
  }
  log(
    `seeded ${archive.summary.works} works (${archive.summary.chapters} chapters) in ${archive.summary.seconds} s; ${archive.otherReaders.length} signed-in readers`,
  );

  const common = {
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'warn',
    // Every visitor gets an address of their own from X-Forwarded-For, as behind a load balancer.
    TRUST_PROXY: 'true',
    // Jobs (story analysis of posted works, mail) run on job hosts in the recommended topology
    // (docs/operating.md); here they would also run in whichever idle server polled first.
    RUN_JOBS: 'false',
  };
  const configs: Config[] = [
    { key: 'w1', name: 'WORKERS=1', env: { WORKERS: '1' } },
    { key: 'w2', name: 'WORKERS=2', env: { WORKERS: '2' } },
    { key: 'w2r', name: 'WORKERS=2, reads on a replica', env: { WORKERS: '2' } },
  ].filter((c) => CONFIGS.includes(c.key));
  if (configs.length === 0) throw new Error(`BENCH_CONFIGS names none of w1, w2, w2r: ${CONFIGS.join(',')}`);
  const withReplica = configs.find((c) => c.key === 'w2r');
  const postmasters = { primary: await postmasterOf(admin), replica: undefined as number | undefined };
  if (withReplica) {
    log('making a streaming replica (pg_basebackup -R)');
    const replica = await startReplica(admin);
    onBenchEnd(() => replica.remove());
    withReplica.env.DATABASE_REPLICA_URLS = replica.urlFor(dbName);
    postmasters.replica = await postmasterOf(replica.urlFor(dbName));
  }
  // All servers run for the whole bench (idle but for their once-a-second replica checks while
  // another is measured), so each keeps its warm caches and search index between rounds.
  // The cluster's primary exits without waiting for its workers (src/cli/serve.ts): wait for
  // them here, so no worker outlives the bench or sees its database dropped under it.
  const serverPids = new Set<number>();
  onBenchEnd(() => waitForExit(serverPids));
  for (const c of configs) {
    log(`starting ${c.name}`);
    c.server = await startServer({ ...common, ...c.env, DATA_DIR: path.join(tmp, c.key) });
    trackChild(c.server.child);
    for (const pid of snapshotTrees([c.server.child.pid!]).keys()) serverPids.add(pid);
  }
  if (withReplica) await checkReplicaInRotation(withReplica.server!);

  if (SMOKE) {
    for (const c of configs) await smoke(c, archive);
    log('smoke: every request type answered as expected on every configuration; no wrk run');
    return;
  }

  let runs = 0;
  const runMix = async (c: Config, seconds: number): Promise<WrkResult[]> =>
    Promise.all(
      MIX.map((type) =>
        runWrk({
          url: c.server!.url,
          seconds,
          connections: type.connections,
          script: mixScript(type, archive, SEED * 1000 + ++runs),
          dir: tmp,
        }),
      ),
    );
  // Warm-up: each process's JIT, search index, connections and their backends' caches. At the
  // few dozen requests a second this machine gives, a short warm-up leaves each of WORKERS=2's
  // processes colder than WORKERS=1's one, which shows as more CPU per request.
  for (const c of configs) {
    log(`warm-up ${c.name} (${WARMUP} s of the mix)`);
    await runMix(c, WARMUP);
  }

  const results = new Map<Config, WrkResult[][]>(configs.map((c) => [c, []]));
  const loads = new Map<Config, number[]>(configs.map((c) => [c, []]));
  // CPU per request (ms) of each run: the app's processes, the primary's, the replica's.
  const cpu = new Map<Config, Array<{ app: number; primary: number; replica: number }>>(configs.map((c) => [c, []]));
  const snapshot = (c: Config) => ({
    app: snapshotTrees([c.server!.child.pid!]),
    primary: postmasters.primary ? snapshotTrees([postmasters.primary]) : new Map<number, number>(),
    replica: postmasters.replica ? snapshotTrees([postmasters.replica]) : new Map<number, number>(),
  });
  // What each configuration's processes use with no requests at all (timers, replica checks,
  // the cluster's primary): at a few dozen requests a second it is a visible part of each request.
  const idleMsPerSecond = new Map<Config, { app: number; primary: number }>();
  for (const c of configs) {
    const before = snapshot(c);
    await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
    const after = snapshot(c);
    idleMsPerSecond.set(c, {
      app: (1000 * cpuSecondsBetween(before.app, after.app)) / IDLE_SECONDS,
      primary: (1000 * cpuSecondsBetween(before.primary, after.primary)) / IDLE_SECONDS,
    });
  }
  const runSeconds = new Map<Config, number[]>(configs.map((c) => [c, []]));
  const runRequests = new Map<Config, number[]>(configs.map((c) => [c, []]));
  for (let round = 1; round <= ROUNDS; round++) {
    for (const c of round % 2 ? configs : [...configs].reverse()) {
      const before = snapshot(c);
      const startedAt = performance.now();
      const byType = await runMix(c, DURATION);
      const after = snapshot(c);
      const requests = byType.reduce((s, r) => s + r.requests, 0);
      runSeconds.get(c)!.push((performance.now() - startedAt) / 1000);
      runRequests.get(c)!.push(requests);
      const perRequest = (key: 'app' | 'primary' | 'replica') => (1000 * cpuSecondsBetween(before[key], after[key])) / requests;
      cpu.get(c)!.push({ app: perRequest('app'), primary: perRequest('primary'), replica: perRequest('replica') });
      results.get(c)!.push(byType);
      loads.get(c)!.push(os.loadavg()[0]!);
      const total = byType.reduce((s, r) => s + r.rps, 0);
      const errors = byType.reduce((s, r) => s + r.non2xx + r.socketErrors, 0);
      log(
        `round ${round}/${ROUNDS} ${c.name.padEnd(30)} ${total.toFixed(0).padStart(6)} req/s overall, p99 ${mergedPercentile(byType, 99).toFixed(1)} ms, ${errors} errors; load ${os.loadavg()[0]!.toFixed(2)}`,
      );
    }
  }

  const cpuModel = /model name\s*:\s*(.*)/.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  console.log('');
  console.log(
    `Scaling: the mix on ${WORKS.toLocaleString('en')} seeded works (seed ${SEED}), ${READERS} signed-in readers, PostgreSQL ${serverVersion} on loopback; ${DURATION} s a run, ${ROUNDS} rounds, configurations in alternating order`,
  );
  console.log(`machine: ${os.cpus().length} CPUs (${cpuModel}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}`);
  console.log(`connections: ${MIX.map((t) => `${t.name} ${t.connections}${t.pauseMs ? ` (pause ${t.pauseMs} ms)` : ''}`).join(', ')}`);
  console.log(
    `load average (1 min): ${loadBefore.toFixed(2)} before; after each run: ${configs
      .map(
        (c) =>
          `${c.name} ${loads
            .get(c)!
            .map((l) => l.toFixed(1))
            .join('/')}`,
      )
      .join('; ')}`,
  );
  console.log('');
  console.log(`| request | ${configs.map((c) => `${c.name}: req/s, median (min–max) | p99 ms`).join(' | ')} |`);
  console.log(`|---|${configs.map(() => '---:|---:').join('|')}|`);
  const rowsOf = (c: Config, pick: (byType: WrkResult[]) => WrkResult[]) => results.get(c)!.map(pick);
  for (const [i, type] of MIX.entries()) {
    const cells = configs.map((c) => {
      const rounds = rowsOf(c, (byType) => [byType[i]!]).map((r) => r[0]!);
      return `${spread(
        rounds.map((r) => r.rps),
        1,
      )} | ${spread(
        rounds.map((r) => r.p99ms),
        0,
      )}`;
    });
    console.log(`| ${type.name} | ${cells.join(' | ')} |`);
  }
  const overall = configs.map((c) => {
    const rounds = results.get(c)!;
    return {
      c,
      rps: rounds.map((byType) => byType.reduce((s, r) => s + r.rps, 0)),
      p99: rounds.map((byType) => mergedPercentile(byType, 99)),
      errors: rounds.reduce((s, byType) => s + byType.reduce((t, r) => t + r.non2xx + r.socketErrors, 0), 0),
    };
  });
  console.log(`| **overall** | ${overall.map((o) => `**${spread(o.rps, 0)}** | ${spread(o.p99, 0)}`).join(' | ')} |`);
  console.log(`| errors (non-2xx/3xx and socket, all rounds) | ${overall.map((o) => `${o.errors} | `).join(' | ')} |`);
  console.log('');
  console.log(
    'CPU per request over the whole mix, ms, median of the rounds (min–max); what a request costs, whatever the machine gave it:',
  );
  console.log('');
  console.log(`| | ${configs.map((c) => c.name).join(' | ')} |`);
  console.log(`|---|${configs.map(() => '---:').join('|')}|`);
  const cpuRow = (label: string, of: (r: { app: number; primary: number; replica: number }) => number, decimals = 2) =>
    console.log(`| ${label} | ${configs.map((c) => spread(cpu.get(c)!.map(of), decimals)).join(' | ')} |`);
  cpuRow('Fanfold processes', (r) => r.app);
  cpuRow('PostgreSQL primary', (r) => r.primary);
  if (postmasters.replica) cpuRow('PostgreSQL replica (replays WAL in every configuration)', (r) => r.replica);
  cpuRow('total', (r) => r.app + r.primary + r.replica);
  cpuRow('requests per CPU-second (1000 / total)', (r) => 1000 / (r.app + r.primary + r.replica), 0);
  console.log(
    `| idle: Fanfold processes, ms of CPU a second with no requests (${IDLE_SECONDS} s) | ${configs.map((c) => idleMsPerSecond.get(c)!.app.toFixed(1)).join(' | ')} |`,
  );
  console.log(
    `| Fanfold processes per request, the idle share taken off | ${configs
      .map((c) =>
        spread(
          cpu.get(c)!.map((r, i) => r.app - (idleMsPerSecond.get(c)!.app * runSeconds.get(c)![i]!) / runRequests.get(c)![i]!),
          2,
        ),
      )
      .join(' | ')} |`,
  );
  console.log('');
  const base = overall.find((o) => o.c.key === 'w1');
  if (base) {
    for (const o of overall.filter((x) => x !== base)) {
      const perRound = median(o.rps.map((rps, i) => rps / base.rps[i]!));
      console.log(
        `${o.c.name} / WORKERS=1 overall requests/s: ${(median(o.rps) / median(base.rps)).toFixed(2)} (ratio of medians), ${perRound.toFixed(2)} (median of per-round ratios)`,
      );
    }
  }
  const shares = MIX.map((t, i) => {
    const all = configs.flatMap((c) => results.get(c)!.map((byType) => byType[i]!.requests));
    return { t, n: all.reduce((s, x) => s + x, 0) };
  });
  const total = shares.reduce((s, x) => s + x.n, 0);
  console.log(`share of requests over all runs: ${shares.map((s) => `${s.t.name} ${((100 * s.n) / total).toFixed(1)}%`).join(', ')}`);
}

/** Waits up to 10 s for these processes to end, then kills what is left. */
async function waitForExit(pids: Set<number>): Promise<void> {
  // Only a process still running fanfold counts: a pid the system gave to another process is left alone.
  const alive = () =>
    [...pids].filter((pid) => {
      try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('fanfold');
      } catch {
        return false;
      }
    });
  for (let i = 0; i < 100 && alive().length > 0; i++) await new Promise((r) => setTimeout(r, 100));
  for (const pid of alive()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
}

/** The pid of the postmaster serving `url` (the parent of this connection's backend). */
async function postmasterOf(url: string): Promise<number | undefined> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const backend = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
    return parentOf(Number(backend));
  } finally {
    await client.end();
  }
}

/** The replica is in rotation once its first lag check has run. */
async function checkReplicaInRotation(server: ServerProcess): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const health = (await (await fetch(`${server.url}/healthz`)).json()) as { replicas?: Array<{ inRotation: boolean }> };
    if (health.replicas?.every((r) => r.inRotation) && health.replicas.length > 0) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the replica did not come into rotation within 10 s (see /healthz)');
}

/** Each request type once, as the wrk scripts send it, with the status each should answer. */
async function smoke(c: Config, archive: SiteArchive): Promise<void> {
  const base = c.server!.url;
  const cookie = archive.otherReaders[0]!;
  const form = (fields: Record<string, string>) => new URLSearchParams({ _csrf: BENCH_CSRF, ...fields }).toString();
  const headers = { cookie, 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '10.1.2.3' };
  const work = archive.workIds[0]!;
  const parsed = new URLSearchParams();
  for (const [k, v] of Object.entries(workForm('Smoke test work', chapterText())))
    for (const one of Array.isArray(v) ? v : [v]) parsed.append(k, one);
  const checks: Array<[string, Promise<Response>, number]> = [
    ['guest chapter', fetch(base + archive.chapterPaths[0]!), 200],
    ['signed-in chapter', fetch(base + archive.chapterPaths[0]!, { headers: { cookie } }), 200],
    ['search', fetch(base + archive.searches[1]!.path), 200],
    [
      'kudos',
      fetch(`${base}/works/${work}/kudos`, { method: 'POST', headers, body: form({ return_to: `/works/${work}` }), redirect: 'manual' }),
      303,
    ],
    [
      'comment',
      fetch(`${base}/works/${work}/comments`, {
        method: 'POST',
        headers,
        body: form({ comment: 'Smoke.', return_to: `/works/${work}` }),
        redirect: 'manual',
      }),
      303,
    ],
    ['post a work', fetch(`${base}/works`, { method: 'POST', headers, body: `_csrf=${BENCH_CSRF}&${parsed}`, redirect: 'manual' }), 303],
  ];
  for (const [name, pending, expected] of checks) {
    const response = await pending;
    const body = await response.text();
    if (response.status !== expected)
      throw new Error(`${c.name}: ${name} answered ${response.status}, not ${expected}:\n${body.slice(0, 400)}`);
  }
  log(`smoke: ${c.name} answered every request type`);
}

runBench('bench:scaling', main);
