// npm run bench:downloads — how long the archive takes to build downloads (the founding story's
// EPUB; a 300,000-word work's EPUB and PDF), and how fast it serves a cached EPUB compared with
// nginx serving the same file, both on loopback, measured with wrk in the same run.
//
// Options (environment): BENCH_DURATION (seconds per wrk run, default 8), BENCH_ROUNDS (default 3),
// BENCH_CONNECTIONS (default 50).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAccount } from '../src/accounts/accounts.service.ts';
import { openDatabase } from '../src/db/connection.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { buildEpub } from '../src/downloads/epub/index.ts';
import { buildPdf } from '../src/downloads/formats/pdf.ts';
import { foundingBook, longBook } from '../src/downloads/test-books.ts';
import { WorkMetadataSchema } from '../src/works/works.schema.ts';
import { createWork } from '../src/works/works.service.ts';
import { freePort, median, runWrk, startChild, startNginx, waitForExit, waitForHttp, type WrkResult } from './downloads-servers.ts';

const positive = (raw: string | undefined, fallback: number) => (Number.isInteger(Number(raw)) && Number(raw) > 0 ? Number(raw) : fallback);
const DURATION = positive(process.env.BENCH_DURATION, 8);
const ROUNDS = positive(process.env.BENCH_ROUNDS, 3);
const CONNECTIONS = positive(process.env.BENCH_CONNECTIONS, 50);

const log = (message: string) => process.stderr.write(`[bench:downloads] ${message}\n`);

async function timeMedian(label: string, runs: number, build: () => unknown): Promise<{ ms: number; bytes: number }> {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const out = (await build()) as Uint8Array;
    times.push(performance.now() - start);
    bytes = out.length;
    log(`${label}: run ${i + 1}/${runs} ${times.at(-1)!.toFixed(0)} ms`);
  }
  return { ms: median(times), bytes };
}

async function seed(dataDir: string, story: string): Promise<number> {
  const handle = await openDatabase({ dataDir });
  try {
    await migrateToLatest(handle.db);
    const viewer = await createAccount(handle.db, { login: 'founder', email: 'founder@example.org', password: 'a long bench password' });
    const meta = WorkMetadataSchema.parse({
      title: 'Founding Story',
      rating: 'Teen And Up Audiences',
      warnings: ['Major Character Death'],
      categories: ['F/M'],
      fandoms: 'The Vampire Diaries (TV)',
      relationships: 'Caroline Forbes/Stefan Salvatore',
      characters: 'Caroline Forbes, Stefan Salvatore',
      expected_chapters: '1',
    });
    return await createWork(handle.db, viewer, {
      meta,
      chapter: { title: '', summary: '', notes: '', endNotes: '', text: story, format: 'plain' },
      draft: false,
    });
  } finally {
    await handle.close();
  }
}

async function main(): Promise<void> {
  const founding = foundingBook();
  const long = longBook(30, 10_000);
  log(`long work: ${long.chapters.length} chapters, ${long.words.toLocaleString('en')} words`);
  const builds = [
    {
      what: `founding story EPUB (${founding.words.toLocaleString('en')} words)`,
      ...(await timeMedian('founding EPUB', 9, () => buildEpub(founding, { cover: true }))),
    },
    { what: 'founding story PDF', ...(await timeMedian('founding PDF', 5, () => buildPdf(founding))) },
    {
      what: `${long.words.toLocaleString('en')}-word work EPUB (${long.chapters.length} chapters)`,
      ...(await timeMedian('300k EPUB', 3, () => buildEpub(long, { cover: true }))),
    },
    { what: `${long.words.toLocaleString('en')}-word work PDF`, ...(await timeMedian('300k PDF', 3, () => buildPdf(long))) },
  ];

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fanfold-bench-downloads-'));
  try {
    const storyPath = path.resolve(import.meta.dirname, '../test/fixtures/000_e9b62997e455ea94.txt');
    const dataDir = path.join(tmp, 'data');
    const workId = await seed(dataDir, fs.readFileSync(storyPath, 'utf8'));
    const port = await freePort();
    log(`starting fanfold on 127.0.0.1:${port}`);
    const server = startChild(tmp, 'fanfold', process.execPath, ['bin/fanfold.js', 'serve'], {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
    });
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, server);
    const url = `http://127.0.0.1:${port}/downloads/${workId}/Founding_Story.epub`;
    const first = performance.now();
    const response = await fetch(url);
    const epub = Buffer.from(await response.arrayBuffer());
    if (response.status !== 200) throw new Error(`the download answered ${response.status}`);
    log(`first request (builds and stores the EPUB): ${(performance.now() - first).toFixed(0)} ms, ${epub.length} bytes`);
    const file = fs
      .readdirSync(path.join(dataDir, 'downloads', String(workId)))
      .map((f) => path.join(dataDir, 'downloads', String(workId), f))[0]!;
    const nginxUrl = await startNginx(path.join(tmp, 'nginx'), file, 'application/epub+zip');
    if (!Buffer.from(await (await fetch(nginxUrl)).arrayBuffer()).equals(epub)) throw new Error('nginx does not serve the same bytes');

    const targets = [
      { name: 'fanfold (cached download)', url },
      { name: 'nginx (same file)', url: nginxUrl },
    ];
    for (const t of targets) await runWrk(t.url, 2, CONNECTIONS);
    const results = new Map<string, WrkResult[]>(targets.map((t) => [t.name, []]));
    for (let round = 1; round <= ROUNDS; round++) {
      for (const t of round % 2 ? targets : [...targets].reverse()) {
        const r = await runWrk(t.url, DURATION, CONNECTIONS);
        results.get(t.name)!.push(r);
        log(
          `round ${round}/${ROUNDS} ${t.name.padEnd(26)} ${r.rps.toFixed(0).padStart(7)} req/s ${r.mbps.toFixed(0).padStart(5)} MB/s p50 ${r.p50ms.toFixed(2)} ms${r.non2xx ? ` (${r.non2xx} non-2xx)` : ''}`,
        );
      }
    }
    const cpu = /model name\s*:\s*(.*)/.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown';
    console.log('');
    console.log(`machine: ${os.cpus().length} CPUs (${cpu}), Node ${process.version}`);
    console.log('');
    console.log('| build | median | size |');
    console.log('|---|---:|---:|');
    for (const b of builds) console.log(`| ${b.what} | ${b.ms.toFixed(0)} ms | ${(b.bytes / 1024).toFixed(0)} KiB |`);
    console.log('');
    console.log(
      `Serving the founding story's cached EPUB (${epub.length} bytes), wrk -t1 -c${CONNECTIONS} -d${DURATION}s, ${ROUNDS} rounds, medians:`,
    );
    console.log('');
    console.log('| server | requests/s | MB/s | p50 |');
    console.log('|---|---:|---:|---:|');
    const summary = targets.map((t) => {
      const runs = results.get(t.name)!;
      return {
        name: t.name,
        rps: median(runs.map((r) => r.rps)),
        mbps: median(runs.map((r) => r.mbps)),
        p50: median(runs.map((r) => r.p50ms)),
      };
    });
    for (const s of summary) console.log(`| ${s.name} | ${s.rps.toFixed(0)} | ${s.mbps.toFixed(0)} | ${s.p50.toFixed(2)} ms |`);
    const ratio = summary[0]!.rps / summary[1]!.rps;
    console.log('');
    console.log(`Fanfold/nginx: ${ratio.toFixed(2)} (goal ≥ 0.50) ${ratio >= 0.5 ? 'met' : 'NOT met'}`);
  } finally {
    await waitForExit();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`bench:downloads failed: ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
  },
);
