// The long fuzz run: the generators of src/web/request-fuzz.test.ts, as many requests as asked.
//
//   npm run fuzz -- [--requests N] [--seed S] [--works W] [--only TEXT] [--crawl PAGES] [--dump DIR]
//
// --dump writes each failing request whole (body in base64) to DIR/failure-N.json, to replay
// with app.inject().
//
// Prints progress, then a summary: statuses, the slowest requests, and every failure (a 5xx, a
// stack trace in a body) grouped by route and cause, each with one request to replay.
// Exits 1 if any request failed or /healthz did not answer 200 afterwards.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openFuzzArchive } from '../test/fuzz/fuzz-archive.ts';
import { formatSummary, planFuzz, runFuzz } from '../test/fuzz/fuzz-run.ts';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '20000' },
    seed: { type: 'string' },
    works: { type: 'string', default: '60' },
    only: { type: 'string' },
    crawl: { type: 'string', default: '200' },
    dump: { type: 'string' },
  },
});
const seed = values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
const requests = Number(values.requests);
if (!Number.isInteger(seed) || !Number.isInteger(requests) || requests < 1) {
  console.error('usage: npm run fuzz -- [--requests N] [--seed S] [--works W] [--only TEXT] [--crawl PAGES] [--dump DIR]');
  process.exit(2);
}

console.log(`fuzz: seed ${seed} (replay with --seed ${seed}), ${requests} requests`);
const setup = performance.now();
const archive = await openFuzzArchive({ seed, works: Number(values.works) });
const opened = performance.now();
const plan = await planFuzz(archive, Number(values.crawl));
const seconds = (from: number, to = performance.now()) => ((to - from) / 1000).toFixed(1);
console.log(
  `fuzz: ${plan.targets.length} targets (crawl: ${Object.entries(plan.crawl).map(([as, c]) => `${as} ${c.pages} pages, ${c.forms} forms`).join('; ')}); archive ${seconds(setup, opened)} s, crawl ${seconds(opened)} s`,
);
let last = performance.now();
const summary = await runFuzz(archive, plan, {
  seed,
  requests,
  ...(values.only ? { only: values.only } : {}),
  onProgress: (done, total, failures) => {
    if (performance.now() - last < 5000 && done < total) return;
    last = performance.now();
    console.log(`fuzz: ${done}/${total} requests, ${failures} failures`);
  },
});
await archive.close();
console.log(formatSummary(summary));
if (values.dump) {
  fs.mkdirSync(values.dump, { recursive: true });
  summary.failures.forEach(({ request }, i) => {
    const payload = request.payload === undefined ? undefined : Buffer.from(request.payload).toString('base64');
    fs.writeFileSync(path.join(values.dump!, `failure-${i + 1}.json`), JSON.stringify({ ...request, payload, payloadEncoding: 'base64' }, null, 2));
  });
  console.log(`fuzz: ${summary.failures.length} failing requests written to ${values.dump}`);
}
process.exit(summary.failures.length === 0 && summary.healthz === 200 ? 0 : 1);
