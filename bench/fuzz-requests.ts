// The long fuzz run: the generators of src/web/request-fuzz.test.ts, as many requests as asked.
//
//   npm run fuzz -- [--requests N] [--seed S] [--works W] [--only TEXT] [--crawl PAGES] [--dump DIR]
//   npm run fuzz -- --replay DIR/failure-1.json [more.json…]
//
// Prints progress, then a summary: statuses, the slowest requests, the costliest targets, and
// every failure (a 5xx, a stack trace in a body, no answer) grouped by route and cause, each with
// one request to replay. --dump writes each failing request whole (body in base64) to
// DIR/failure-N.json; --replay sends such files again to a fresh archive, as the same visitor
// (the CSRF token of the run swapped for the new one), and prints what comes back.
// With TEST_DATABASE_URL set it runs on that PostgreSQL server (a fresh database, dropped after).
// Exits 1 if any request failed or /healthz did not answer 200 afterwards.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openFuzzArchive, type FuzzArchive } from '../test/fuzz/fuzz-archive.ts';
import { checkResponse, formatSummary, planFuzz, runFuzz } from '../test/fuzz/fuzz-run.ts';
import { describeRequest, type FuzzRequest, type Identity } from '../test/fuzz/request-builders.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    requests: { type: 'string', default: '20000' },
    seed: { type: 'string' },
    works: { type: 'string', default: '60' },
    only: { type: 'string' },
    crawl: { type: 'string', default: '200' },
    dump: { type: 'string' },
    replay: { type: 'string' },
  },
});
const seed = values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
const requests = Number(values.requests);
if (!Number.isInteger(seed) || !Number.isInteger(requests) || requests < 1) {
  console.error('usage: npm run fuzz -- [--requests N] [--seed S] [--works W] [--only TEXT] [--crawl PAGES] [--dump DIR] | --replay FILE…');
  process.exit(2);
}

/** A dumped failure: the request, its body in base64, and the CSRF tokens of the run it came from. */
interface DumpedRequest extends Omit<FuzzRequest, 'payload'> {
  payload?: string;
  csrf: Record<Identity, string>;
}

async function replay(files: string[]): Promise<number> {
  const archive = await openFuzzArchive({ seed, works: Number(values.works) });
  let failed = 0;
  for (const file of files) {
    const dumped = JSON.parse(fs.readFileSync(file, 'utf8')) as DumpedRequest;
    const visitor = archive.visitors[dumped.as];
    // The run's CSRF token is in the body; this archive's visitor has another of the same length.
    let payload = dumped.payload === undefined ? undefined : Buffer.from(dumped.payload, 'base64');
    const old = dumped.csrf[dumped.as];
    if (payload && old) payload = Buffer.from(payload.toString('latin1').replaceAll(old, visitor.csrfToken), 'latin1');
    const cookie = [[...visitor.cookies].map(([k, v]) => `${k}=${v}`).join('; '), dumped.headers.cookie].filter(Boolean).join('; ');
    console.log(`${file}:\n${describeRequest({ ...dumped, ...(payload ? { payload } : {}) })}`);
    const answer = await answerOrSilence(archive, {
      method: dumped.method,
      url: dumped.url,
      headers: { ...dumped.headers, ...(cookie ? { cookie } : {}) },
      payload,
    });
    if (answer === null) {
      failed++;
      console.log('  no answer in 15 s\n');
      continue;
    }
    const reason = checkResponse(answer.status, answer.body);
    if (reason) failed++;
    console.log(`  answer ${answer.status}${reason ? ` (${reason})` : ''}: ${JSON.stringify(answer.body.slice(0, 300))}`);
    for (const line of archive.takeErrorLog()) console.log(`  server log: ${line.slice(0, 1500)}`);
    console.log('');
  }
  await archive.close();
  return failed;
}

async function answerOrSilence(
  archive: FuzzArchive,
  request: { method: string; url: string; headers: Record<string, string>; payload: Buffer | undefined },
): Promise<{ status: number; body: string } | null> {
  let timer: NodeJS.Timeout | undefined;
  const silence = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), 15_000)));
  const answered = archive.app
    .inject({
      method: request.method as 'POST',
      url: request.url,
      headers: request.headers,
      ...(request.payload ? { payload: request.payload } : {}),
    })
    .then((r) => ({ status: r.statusCode, body: r.body }));
  const result = await Promise.race([answered, silence]);
  clearTimeout(timer);
  return result;
}

if (values.replay) {
  const failed = await replay([values.replay, ...positionals]);
  console.log(`fuzz: replayed ${1 + positionals.length} requests, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

console.log(`fuzz: seed ${seed} (replay with --seed ${seed}), ${requests} random requests besides the sweeps`);
const setup = performance.now();
const archive = await openFuzzArchive({ seed, works: Number(values.works) });
const opened = performance.now();
const plan = await planFuzz(archive, Number(values.crawl));
const seconds = (from: number, to = performance.now()) => ((to - from) / 1000).toFixed(1);
console.log(
  `fuzz: ${plan.targets.length} targets (crawl: ${Object.entries(plan.crawl)
    .map(([as, c]) => `${as} ${c.pages} pages, ${c.forms} forms`)
    .join('; ')}); archive ${seconds(setup, opened)} s, crawl ${seconds(opened)} s`,
);
let last = performance.now();
const summary = await runFuzz(archive, plan, {
  seed,
  requests,
  ...(values.only ? { only: values.only } : {}),
  onProgress: (done, randomPlanned, failures) => {
    if (performance.now() - last < 5000) return;
    last = performance.now();
    console.log(`fuzz: ${done} requests sent (${randomPlanned} random ones planned besides the sweeps), ${failures} failures`);
  },
});
const csrf = plan.context.csrf;
await archive.close();
console.log(formatSummary(summary));
if (values.dump) {
  fs.mkdirSync(values.dump, { recursive: true });
  summary.failures.forEach(({ request }, i) => {
    const payload = request.payload === undefined ? undefined : Buffer.from(request.payload).toString('base64');
    const dumped: DumpedRequest = { ...request, ...(payload !== undefined ? { payload } : {}), csrf } as DumpedRequest;
    fs.writeFileSync(path.join(values.dump!, `failure-${i + 1}.json`), JSON.stringify(dumped, null, 2));
  });
  console.log(
    `fuzz: ${summary.failures.length} failing requests written to ${values.dump} (npm run fuzz -- --replay ${values.dump}/failure-1.json)`,
  );
}
process.exit(summary.failures.length === 0 && summary.healthz === 200 ? 0 : 1);
