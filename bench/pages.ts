// npm run bench:pages — the founding story's work page served by Fanfold to guests (page cache
// on, and off), to a signed-in reader (the shared part with their own panels, decision 033), and
// by nginx as a static file with the guest's HTML and a bare Node server sending the same bytes and
// headers (one process's ceiling), all on loopback, measured with wrk in the same
// rounds. Prints requests/s, p50, p99, the spread over the rounds and the ratios to nginx.
//
// Given a PostgreSQL server (BENCH_PG_URL or TEST_DATABASE_URL, a superuser's URL; `npm run
// bench:pages:pg` makes a throwaway one), it also measures the same pages from `fanfold serve` on
// PostgreSQL with WORKERS processes (BENCH_PG_WORKERS, default 2): what an archive that needs more
// than one process runs. A database is created for the run and dropped after.
//
// Options (environment): BENCH_DURATION (seconds per run, default 10), BENCH_ROUNDS (default 3),
// BENCH_CONNECTIONS (default 50), BENCH_THREADS (wrk threads, default 1). BENCH_SMOKE=1 only
// starts the servers, signs the reader in and checks each page once (no wrk, no nginx).
import { spawn, spawnSync, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createAccount } from '../src/accounts/accounts.service.ts';
import pg from 'pg';
import { type OpenDatabaseOptions, openDatabase } from '../src/db/connection.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { WorkMetadataSchema } from '../src/works/works.schema.ts';
import { createWork } from '../src/works/works.service.ts';

const REPO = path.resolve(import.meta.dirname, '..');
const STORY = path.join(REPO, 'test/fixtures/000_e9b62997e455ea94.txt');
const NGINX = process.env.NGINX ?? '/usr/sbin/nginx';
const DURATION = positiveInt(process.env.BENCH_DURATION, 10);
const ROUNDS = positiveInt(process.env.BENCH_ROUNDS, 3);
const CONNECTIONS = positiveInt(process.env.BENCH_CONNECTIONS, 50);
const THREADS = positiveInt(process.env.BENCH_THREADS, 1);
const SMOKE = process.env.BENCH_SMOKE === '1';
const READER = { login: 'benchreader', password: 'a long bench password' };
const PG_URL = process.env.BENCH_PG_URL ?? process.env.TEST_DATABASE_URL;
const PG_WORKERS = positiveInt(process.env.BENCH_PG_WORKERS, 2);
const DOORS = positiveInt(process.env.BENCH_DOORS, 1);

function positiveInt(raw: string | undefined, fallback: number): number {
  const n = Number(raw);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

const children = new Set<ChildProcess>();
/** Run after every process stopped (the PostgreSQL database is dropped). */
const cleanups: Array<() => Promise<void>> = [];
let tmp = '';
let interrupted = false;

function log(message: string): void {
  process.stderr.write(`[bench:pages] ${message}\n`);
}

function signalAll(signal: NodeJS.Signals): void {
  for (const child of children) {
    // Each child leads its own process group (detached), so this reaches nginx's workers too.
    if (child.exitCode === null && child.signalCode === null && child.pid) {
      try {
        process.kill(-child.pid, signal);
      } catch {
        child.kill(signal);
      }
    }
  }
}

/** Stops every process the bench started (SIGTERM, then SIGKILL after 5 s) and removes tmp. */
async function stopAll(): Promise<void> {
  const exits = [...children].map(
    (child) =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) resolve();
        else child.once('exit', () => resolve());
      }),
  );
  signalAll('SIGTERM');
  const timer = setTimeout(() => signalAll('SIGKILL'), 5_000);
  await Promise.all(exits);
  clearTimeout(timer);
  for (const cleanup of cleanups.splice(0)) await cleanup().catch((error: unknown) => log(`cleaning up failed: ${String(error)}`));
  removeTmp();
}

function removeTmp(): void {
  if (tmp && !process.env.BENCH_KEEP_TMP) fs.rmSync(tmp, { recursive: true, force: true });
  tmp = '';
}

// Last resort if the bench dies some other way: no process is left behind.
process.on('exit', () => {
  signalAll('SIGKILL');
  removeTmp();
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    interrupted = true;
    log(`${signal}: stopping everything the bench started`);
    void stopAll().finally(() => process.exit(130));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function start(name: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  const logFile = fs.openSync(path.join(tmp, `${name}.log`), 'a');
  const child = spawn(command, args, {
    cwd: REPO,
    env: childEnv(env),
    stdio: ['ignore', logFile, logFile],
    detached: true,
  });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

/** How many door processes (`fanfold door`) the server process `pid` runs now (Linux /proc). */
function doorsOf(pid: number): number {
  let count = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = Number(fs.readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
      if (ppid === pid && fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').includes('door')) count++;
    } catch {
      // gone meanwhile
    }
  }
  return count;
}

/** Waits until the server runs `count` doors for a second; a door that could not listen is logged (a warning) and fails the bench. */
async function waitForDoors(name: string, pid: number, count: number): Promise<void> {
  let steady = 0;
  for (let i = 0; i < 80 && steady < 4; i++) {
    if (/door process/.test(tail(name)))
      throw new Error(`${name}'s door processes did not start (they need Node 22.12 or later on Linux):\n${tail(name)}`);
    steady = doorsOf(pid) === count ? steady + 1 : 0;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  if (steady < 4) throw new Error(`${name} does not run ${count} door process(es) after 20 s:\n${tail(name)}`);
}

/** Headers Node writes per response itself. */
const PER_RESPONSE_HEADERS = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding', 'content-length']);

/** The bench's environment plus overrides; a server runs on PGlite unless the overrides name a DATABASE_URL. */
function childEnv(overrides: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  delete env.WORKERS;
  return { ...env, ...overrides };
}

async function waitForHttp(url: string, child: ChildProcess, name: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null)
      throw new Error(`${name} exited (${child.exitCode}); see ${path.join(tmp, `${name}.log`)}:\n${tail(name)}`);
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.ok) return;
      if (response.status >= 400 && response.status < 500)
        throw new Error(`${name} answered ${url} with ${response.status}:\n${tail(name)}`);
    } catch (error) {
      if (error instanceof Error && error.message.startsWith(name)) throw error;
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${name} did not answer ${url} within ${timeoutMs / 1000}s:\n${tail(name)}`);
}

function tail(name: string): string {
  try {
    return fs
      .readFileSync(path.join(tmp, `${name}.log`), 'utf8')
      .split('\n')
      .slice(-20)
      .join('\n');
  } catch {
    return '';
  }
}

/** Fills a database (a PGlite data directory or a PostgreSQL one) with two accounts and the founding story; returns the work id. */
async function seed(where: OpenDatabaseOptions): Promise<number> {
  const handle = await openDatabase(where);
  try {
    await migrateToLatest(handle.db);
    const viewer = await createAccount(handle.db, { login: 'founder', email: 'founder@example.org', password: 'a long bench password' });
    // A reader who is not the work's creator: creators always get a fresh render.
    await createAccount(handle.db, { login: READER.login, email: 'reader@example.org', password: READER.password });
    const meta = WorkMetadataSchema.parse({
      title: 'Founding Story',
      summary: 'Caroline grieves her mother; Stefan stays.',
      rating: 'Teen And Up Audiences',
      warnings: ['Major Character Death'],
      categories: ['F/M'],
      fandoms: 'The Vampire Diaries (TV)',
      relationships: 'Caroline Forbes/Stefan Salvatore',
      characters: 'Caroline Forbes, Stefan Salvatore, Elena Gilbert, Bonnie Bennett',
      freeforms: 'Grief/Mourning, Hurt/Comfort',
      language: 'en',
      expected_chapters: '1',
    });
    return await createWork(handle.db, viewer, {
      meta,
      chapter: { title: '', summary: '', notes: '', endNotes: '', text: fs.readFileSync(STORY, 'utf8'), format: 'plain' },
      draft: false,
    });
  } finally {
    await handle.close();
  }
}

/**
 * `fanfold serve` with PG_WORKERS processes on a database of its own on the PostgreSQL server at
 * `admin`, seeded as the PGlite one; returns the work page's URL and the signed-in reader's cookie.
 */
async function startOnPostgres(admin: string): Promise<{ url: string; cookie: string }> {
  const dbName = `fanfold_bench_pages_${process.pid}`;
  const adminQuery = async (text: string) => {
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    try {
      await client.query(text);
    } finally {
      await client.end();
    }
  };
  await adminQuery(`create database ${dbName}`);
  cleanups.push(() => adminQuery(`drop database if exists ${dbName} with (force)`));
  const databaseUrl = Object.assign(new URL(admin), { pathname: `/${dbName}` }).toString();
  log(`seeding database ${dbName} on PostgreSQL`);
  const workId = await seed({ databaseUrl });
  const port = await freePort();
  log(`starting fanfold-pg on 127.0.0.1:${port} (PostgreSQL, WORKERS=${PG_WORKERS}, PAGE_CACHE=on, LOG_LEVEL=warn)`);
  const child = start('fanfold-pg', process.execPath, ['bin/fanfold.js', 'serve'], {
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    WORKERS: String(PG_WORKERS),
    LOG_LEVEL: 'warn',
    PAGE_CACHE: 'on',
  });
  await waitForHttp(`http://127.0.0.1:${port}/healthz`, child, 'fanfold-pg');
  const url = `http://127.0.0.1:${port}/works/${workId}`;
  const cookie = await signIn(`http://127.0.0.1:${port}`);
  for (const headers of [{}, { cookie }] as Array<Record<string, string>>) {
    const answer = await fetch(url, { headers });
    await answer.arrayBuffer();
    if (answer.status !== 200) throw new Error(`fanfold-pg answered the work page with ${answer.status}`);
  }
  return { url, cookie };
}

/** Logs the bench's reader in through the form, as a browser does; returns the Cookie header to send. */
async function signIn(base: string): Promise<string> {
  const form = await fetch(`${base}/login`);
  const csrf = /ff_csrf=([^;]+)/.exec(form.headers.getSetCookie().join('; '))?.[1];
  if (!csrf) throw new Error('the login form set no CSRF cookie');
  const answer = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `ff_csrf=${csrf}` },
    body: new URLSearchParams({ _csrf: csrf, login: READER.login, password: READER.password }).toString(),
  });
  const session = answer.headers.getSetCookie().find((c) => c.startsWith('ff_session='));
  if (answer.status !== 303 || !session) throw new Error(`logging the reader in answered ${answer.status}`);
  // The flash cookie ("Logged in") is left out: it is shown once, and the bench reads the page many times.
  return `ff_csrf=${csrf}; ${session.split(';')[0]}`;
}

interface WrkResult {
  rps: number;
  p50ms: number;
  p99ms: number;
  non2xx: number;
  errors: number;
}

function toMs(value: string, unit: string): number {
  const n = Number(value);
  return unit === 'us' ? n / 1000 : unit === 'ms' ? n : unit === 's' ? n * 1000 : unit === 'm' ? n * 60_000 : NaN;
}

/** Reads wrk's text report (with --latency). */
export function parseWrk(output: string): WrkResult {
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(output);
  const p50 = /^\s+50%\s+([\d.]+)(us|ms|s|m)\s*$/m.exec(output);
  const p99 = /^\s+99%\s+([\d.]+)(us|ms|s|m)\s*$/m.exec(output);
  if (!rps || !p50 || !p99) throw new Error(`could not read wrk's output:\n${output}`);
  const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(output);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  return {
    rps: Number(rps[1]),
    p50ms: toMs(p50[1]!, p50[2]!),
    p99ms: toMs(p99[1]!, p99[2]!),
    non2xx: non2xx ? Number(non2xx[1]) : 0,
    errors: socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0,
  };
}

/** Runs wrk as a tracked child (so Ctrl-C or a failure stops it too) and reads its report. */
function runWrk(url: string, seconds: number, cookie?: string): Promise<WrkResult> {
  return new Promise((resolve, reject) => {
    const headers = cookie ? ['-H', `Cookie: ${cookie}`] : [];
    const child = spawn('wrk', [`-t${THREADS}`, `-c${CONNECTIONS}`, `-d${seconds}s`, '--latency', ...headers, url], {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    children.add(child);
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), (seconds + 30) * 1000);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      children.delete(child);
      if (code !== 0) return reject(new Error(`wrk ended with ${signal ?? code}:\n${output}`));
      try {
        resolve(parseWrk(output));
      } catch (error) {
        reject(error);
      }
    });
  });
}

function nginxVersion(): string {
  const run = spawnSync(NGINX, ['-v'], { encoding: 'utf8' });
  return /nginx\/([\d.]+)/.exec(`${run.stdout}${run.stderr}`)?.[1] ?? '?';
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function main(): Promise<void> {
  if (!fs.existsSync(STORY)) throw new Error(`The founding story is missing: ${STORY}`);
  for (const tool of SMOKE ? [] : ['wrk', NGINX]) {
    try {
      execFileSync(tool, tool === 'wrk' ? ['--version'] : ['-v'], { stdio: 'ignore' });
    } catch (error) {
      // wrk --version exits 1 after printing; only a missing binary matters.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        throw new Error(`${tool} is not installed (Debian: apt-get install wrk nginx-light)`);
    }
  }
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fanfold-bench-pages-'));
  log(`working in ${tmp}`);
  const loadBefore = os.loadavg()[0]!;
  if (loadBefore > 0.5) log(`note: the machine is busy (load average ${loadBefore.toFixed(2)}); figures will be noisy`);

  log('seeding a data directory with the founding story');
  const seeded = path.join(tmp, 'data-cache-on');
  const workId = await seed({ dataDir: seeded });
  // PGlite allows one process per data directory: the cache-off server gets a copy.
  const copyOf = (name: string) => {
    const copy = path.join(tmp, name);
    fs.cpSync(seeded, copy, { recursive: true });
    fs.rmSync(path.join(copy, 'fanfold.lock'), { force: true });
    return copy;
  };

  const targets: Array<{ name: string; url: string; cookie?: string }> = [];
  for (const [name, dataDir, cache, doors] of [
    ['fanfold', seeded, 'on', '0'],
    ['fanfold-nocache', copyOf('data-cache-off'), 'off', '0'],
    ['fanfold-doors', copyOf('data-doors'), 'on', String(DOORS)],
  ] as const) {
    const port = await freePort();
    log(`starting ${name} on 127.0.0.1:${port} (PAGE_CACHE=${cache}, DOOR_PROCESSES=${doors}, LOG_LEVEL=warn)`);
    const child = start(name, process.execPath, ['bin/fanfold.js', 'serve'], {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      PAGE_CACHE: cache,
      DOOR_PROCESSES: doors,
    });
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, child, name);
    // A door that could not listen is a warning, and the archive serves alone: not what is measured here.
    if (doors !== '0') await waitForDoors(name, child.pid!, Number(doors));
    targets.push({ name, url: `http://127.0.0.1:${port}/works/${workId}` });
  }
  const doorsUrl = targets.find((t) => t.name === 'fanfold-doors')!.url;
  targets.push({ name: 'fanfold-doors-signed-in', url: doorsUrl, cookie: await signIn(new URL(doorsUrl).origin) });

  const page = await fetch(targets[0]!.url);
  const html = await page.text();
  if (page.status !== 200) throw new Error(`the work page answered ${page.status}`);
  const cookie = await signIn(new URL(targets[0]!.url).origin);
  targets.push({ name: 'fanfold-signed-in', url: targets[0]!.url, cookie });
  const own = await fetch(targets[0]!.url, { headers: { cookie } });
  const ownHtml = await own.text();
  if (own.status !== 200 || !ownHtml.includes(`/users/${READER.login}"`)) throw new Error(`the signed-in page answered ${own.status}`);
  log(`signed-in page: ${Buffer.byteLength(ownHtml)} bytes of HTML`);
  if (PG_URL) {
    const onPostgres = await startOnPostgres(PG_URL);
    targets.push(
      { name: 'fanfold-pg', url: onPostgres.url },
      { name: 'fanfold-pg-signed-in', url: onPostgres.url, cookie: onPostgres.cookie },
    );
  }
  if (SMOKE) {
    const again = await fetch(targets[0]!.url, { headers: { cookie } });
    log(`smoke: guest ${page.status}, signed-in ${own.status} then ${again.status}; no wrk or nginx run`);
    return;
  }
  if (page.headers.get('set-cookie')) log(`note: the guest page sets a cookie: ${page.headers.get('set-cookie')}`);
  const bytes = Buffer.byteLength(html);
  const words = (await import('../src/works/text/index.ts')).countWords(fs.readFileSync(STORY, 'utf8'));
  log(`work page: ${bytes} bytes of HTML (${words} words in the story)`);

  // nginx's workers may run as another user (nobody, when started as root): let them read.
  const www = path.join(tmp, 'www');
  fs.chmodSync(tmp, 0o755);
  fs.mkdirSync(www, { mode: 0o755 });
  fs.writeFileSync(path.join(www, 'index.html'), html, { mode: 0o644 });
  const nginxPort = await freePort();
  const conf = path.join(tmp, 'nginx.conf');
  fs.writeFileSync(
    conf,
    `worker_processes auto;
daemon off;
pid ${path.join(tmp, 'nginx.pid')};
error_log ${path.join(tmp, 'nginx-error.log')} warn;
events { worker_connections 1024; }
http {
  types { text/html html; }
  default_type application/octet-stream;
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path ${path.join(tmp, 'nginx-body')};
  proxy_temp_path ${path.join(tmp, 'nginx-proxy')};
  fastcgi_temp_path ${path.join(tmp, 'nginx-fastcgi')};
  uwsgi_temp_path ${path.join(tmp, 'nginx-uwsgi')};
  scgi_temp_path ${path.join(tmp, 'nginx-scgi')};
  server {
    listen 127.0.0.1:${nginxPort};
    root ${www};
    location / { index index.html; }
  }
}
`,
  );
  log(`starting nginx on 127.0.0.1:${nginxPort}`);
  const nginx = start('nginx', NGINX, ['-e', path.join(tmp, 'nginx-error.log'), '-p', tmp, '-c', conf]);
  await waitForHttp(`http://127.0.0.1:${nginxPort}/index.html`, nginx, 'nginx');
  targets.push({ name: 'nginx', url: `http://127.0.0.1:${nginxPort}/index.html` });
  const staticBody = await (await fetch(targets.at(-1)!.url)).text();
  if (staticBody !== html) throw new Error('nginx does not serve the same HTML');

  // The ceiling for one Node process: a bare http server sending the guest page's bytes with the
  // very headers Fanfold sends (its security policy is 2 kB of them), nothing looked up or counted.
  const bareHeaders = Object.fromEntries([...page.headers].filter(([name]) => !PER_RESPONSE_HEADERS.has(name)));
  fs.writeFileSync(path.join(tmp, 'bare-headers.json'), JSON.stringify(bareHeaders));
  const barePort = await freePort();
  const bareServer = `const fs = require('node:fs'); const http = require('node:http');
const body = fs.readFileSync(process.argv[1]); const headers = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
http.createServer((request, response) => { response.writeHead(200, headers); response.end(body); }).listen(Number(process.argv[3]), '127.0.0.1');`;
  log(`starting a bare Node server on 127.0.0.1:${barePort}`);
  const bare = start('node-bare', process.execPath, [
    '-e',
    bareServer,
    path.join(www, 'index.html'),
    path.join(tmp, 'bare-headers.json'),
    String(barePort),
  ]);
  await waitForHttp(`http://127.0.0.1:${barePort}/`, bare, 'node-bare');
  targets.push({ name: 'node-bare', url: `http://127.0.0.1:${barePort}/` });

  for (const t of targets) {
    log(`warm-up ${t.name} (2s)`);
    await runWrk(t.url, 2, t.cookie);
  }

  const results = new Map<string, WrkResult[]>(targets.map((t) => [t.name, []]));
  for (let round = 1; round <= ROUNDS; round++) {
    // Alternate the order so drift (thermal, noisy neighbours) does not favour one side, and
    // keep Fanfold and nginx back to back.
    const byName = (name: string) => targets.find((t) => t.name === name)!;
    const onPostgres = PG_URL ? [byName('fanfold-pg-signed-in'), byName('fanfold-pg')] : [];
    const sequence = [
      byName('fanfold-nocache'),
      byName('node-bare'),
      ...onPostgres,
      byName('fanfold-doors-signed-in'),
      byName('fanfold-doors'),
      byName('fanfold-signed-in'),
      byName('fanfold'),
      byName('nginx'),
    ];
    const order = round % 2 ? sequence : sequence.reverse();
    for (const t of order) {
      const r = await runWrk(t.url, DURATION, t.cookie);
      results.get(t.name)!.push(r);
      const problems = r.non2xx || r.errors ? ` (${r.non2xx} non-2xx, ${r.errors} socket errors)` : '';
      log(
        `round ${round}/${ROUNDS} ${t.name.padEnd(15)} ${r.rps.toFixed(0).padStart(7)} req/s  p50 ${r.p50ms.toFixed(2)} ms  p99 ${r.p99ms.toFixed(2)} ms${problems}`,
      );
    }
  }

  const summary = targets.map((t) => {
    const runs = results.get(t.name)!;
    return {
      name: t.name,
      rps: median(runs.map((r) => r.rps)),
      p50: median(runs.map((r) => r.p50ms)),
      p99: median(runs.map((r) => r.p99ms)),
      low: Math.min(...runs.map((r) => r.rps)),
      high: Math.max(...runs.map((r) => r.rps)),
      problems: runs.reduce((sum, r) => sum + r.non2xx + r.errors, 0),
    };
  });
  const base = summary.find((s) => s.name === 'nginx')!;
  const cpu = /model name\s*:\s*(.*)/.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  console.log('');
  console.log(`Work page vs nginx: ${bytes} bytes of HTML, wrk -t${THREADS} -c${CONNECTIONS} -d${DURATION}s, ${ROUNDS} rounds, medians`);
  console.log(
    `machine: ${os.cpus().length} CPUs (${cpu}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, nginx ${nginxVersion()}`,
  );
  console.log(
    `load average (1 min) before: ${loadBefore.toFixed(2)}, after: ${os.loadavg()[0]!.toFixed(2)}; the servers were idle except while measured`,
  );
  console.log('');
  console.log('| server | requests/s (median) | spread (min–max) | p50 | p99 | requests/s vs nginx | errors |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const s of summary) {
    console.log(
      `| ${s.name} | ${s.rps.toFixed(0)} | ${s.low.toFixed(0)}–${s.high.toFixed(0)} | ${s.p50.toFixed(2)} ms | ${s.p99.toFixed(2)} ms | ${(s.rps / base.rps).toFixed(2)} | ${s.problems} |`,
    );
  }
  const ff = summary.find((s) => s.name === 'fanfold')!;
  // Each round measures the two back to back, so a per-round ratio cancels slow drift in what
  // else the machine is doing; its median is the steadier figure on a shared machine.
  const pairedOf = (name: string) => median(results.get(name)!.map((r, i) => r.rps / results.get('nginx')![i]!.rps));
  const signedIn = summary.find((s) => s.name === 'fanfold-signed-in')!;
  console.log('');
  console.log(
    `Fanfold/nginx requests/s, guest: ${(ff.rps / base.rps).toFixed(2)} (ratio of medians), ${pairedOf('fanfold').toFixed(2)} (median of per-round ratios); goal ≥ 0.50`,
  );
  console.log(
    `Fanfold/nginx requests/s, signed-in reader: ${(signedIn.rps / base.rps).toFixed(2)} (ratio of medians), ${pairedOf('fanfold-signed-in').toFixed(2)} (median of per-round ratios); goal ≥ 0.25`,
  );
  console.log(
    `bare Node/nginx requests/s (one process's ceiling): ${pairedOf('node-bare').toFixed(2)}; Fanfold guest/bare Node: ${(ff.rps / summary.find((s) => s.name === 'node-bare')!.rps).toFixed(2)}`,
  );
  console.log(
    `Fanfold with ${DOORS} door process${DOORS === 1 ? '' : 'es'}/nginx requests/s: guest ${pairedOf('fanfold-doors').toFixed(2)}, signed-in reader ${pairedOf('fanfold-doors-signed-in').toFixed(2)} (medians of per-round ratios); goals ≥ 0.50 and ≥ 0.25`,
  );
  if (PG_URL) {
    const ratioOf = (name: string) => summary.find((s) => s.name === name)!.rps / base.rps;
    console.log(
      `Fanfold on PostgreSQL, WORKERS=${PG_WORKERS}, /nginx requests/s: guest ${ratioOf('fanfold-pg').toFixed(2)} (ratio of medians), ${pairedOf('fanfold-pg').toFixed(2)} (median of per-round ratios); signed-in reader ${ratioOf('fanfold-pg-signed-in').toFixed(2)}, ${pairedOf('fanfold-pg-signed-in').toFixed(2)}`,
    );
  }
}

main()
  .then(async () => {
    await stopAll();
    process.exit(0);
  })
  .catch(async (error: unknown) => {
    if (interrupted) return; // the signal handler is stopping everything and exits
    console.error(`bench:pages failed: ${error instanceof Error ? error.message : String(error)}`);
    await stopAll();
    process.exit(1);
  });
