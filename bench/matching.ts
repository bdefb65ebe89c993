// npm run bench:matching — the exchange matcher (src/exchanges/matching) on generated exchanges of
// 500, 2,000 and 5,000 sign-ups, against the greedy baseline measured in the same run.
//
// The exchanges look like real multi-fandom ones: fandoms drawn Zipf-like (a few big ones, a long
// tail of small ones), each person with two or three "home" fandoms their requests and offers come
// from, characters drawn Zipf-like within a fandom (big fandoms have more), some prompts open to any
// character, ratings that only add weight. Rules: one shared fandom and one shared character per
// request–offer pair, one matched request per pair.
//
// Prints, per size: compatible pairs, the time to build the graph and to assign (median of the runs,
// with the lowest and highest), the share of sign-ups that receive a gift and the total weight, for
// the optimal assignment, the same with mutual pairs forbidden, and greedy; and the load average.
// Options (environment): BENCH_SIZES (default 500,2000,5000), BENCH_RUNS (default 3), BENCH_SEED (default 42).
import { cpus, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import {
  assignOnGraph,
  buildCompatibilityGraph,
  type ExchangeRules,
  prepareExchange,
  type Prompt,
  type SignUp,
} from '../src/exchanges/matching/index.ts';

const SIZES = (process.env.BENCH_SIZES ?? '500,2000,5000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SEED = Number(process.env.BENCH_SEED ?? 42);
const log = (m: string) => process.stderr.write(`[bench:matching] ${m}\n`);

/** mulberry32: a small seeded generator, so a seed always makes the same exchange. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Draws ranks 0..n-1 with probability ∝ 1 / (rank + 1)^s. */
function zipf(n: number, s: number, random: () => number): () => number {
  const cumulative = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) cumulative[i] = sum += 1 / (i + 1) ** s;
  return () => {
    const x = random() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

const RATINGS = ['General', 'Teen', 'Mature', 'Explicit'];

export const RULES: ExchangeRules = {
  tagTypes: {
    fandom: { required: 1, allowAny: false, min: 1, max: 1 },
    character: { required: 1, allowAny: true, min: 1, max: 3 },
    rating: { required: 0, allowAny: true, min: 1, max: 4 },
  },
  requests: { min: 1, max: 3 },
  offers: { min: 1, max: 5 },
  requiredRequestMatches: 1,
  forbidMutual: false,
};

/** A generated exchange of `n` sign-ups. */
export function generateExchange(n: number, seed: number): SignUp[] {
  const random = seededRandom(seed);
  const fandomCount = Math.max(40, Math.round(n / 5));
  const drawFandom = zipf(fandomCount, 1, random);
  const characterDraws = Array.from({ length: fandomCount }, (_, rank) => zipf(6 + Math.round(60 / Math.sqrt(rank + 1)), 1, random));
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const makePrompt = (fandom: number, openChance: number): Prompt => {
    const prompt: { tags: Record<string, string[]>; any?: string[] } = { tags: { fandom: [`F${fandom}`] } };
    const any: string[] = [];
    if (random() < openChance) any.push('character');
    else {
      const characters = new Set<string>();
      const want = int(1, 3);
      for (let i = 0; i < want * 3 && characters.size < want; i++) characters.add(`F${fandom}/C${characterDraws[fandom]!()}`);
      prompt.tags.character = [...characters];
    }
    if (random() < 0.3) any.push('rating');
    else
      prompt.tags.rating = RATINGS.filter(() => random() < 0.5)
        .concat(RATINGS[int(0, 3)]!)
        .filter((r, i, all) => all.indexOf(r) === i);
    if (any.length > 0) prompt.any = any;
    return prompt;
  };
  return Array.from({ length: n }, (_, i) => {
    const home = Array.from({ length: int(2, 3) }, () => drawFandom());
    const pick = () => (random() < 0.8 ? home[int(0, home.length - 1)]! : drawFandom());
    return {
      id: `u${String(i).padStart(5, '0')}`,
      requests: Array.from({ length: int(1, 3) }, () => makePrompt(pick(), 0.1)),
      offers: Array.from({ length: int(2, 5) }, () => makePrompt(pick(), 0.2)),
    };
  });
}

/** Wall time and this process's CPU time in seconds (the matcher is single-threaded, so the CPU
 *  time is what it would take on an idle core; the wall time says what it took on this shared one). */
function time<T>(fn: () => T): [T, number, number] {
  const start = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const value = fn();
  const used = process.cpuUsage(cpu);
  return [value, Number(process.hrtime.bigint() - start) / 1e9, (used.user + used.system) / 1e6];
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const spread = (xs: number[]) => `${median(xs).toFixed(2)} s (${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)})`;
const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');

// Run as a script (not when a probe imports the generator).
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) runBenchmark();

function runBenchmark(): void {
  console.log(
    `node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), seed ${SEED}, ${RUNS} runs, load average at start ${load()}`,
  );
  console.log(
    '| sign-ups | compatible pairs | method | graph build | assignment | total (wall) | total (CPU) | receive a gift | total weight |',
  );
  console.log('|---:|---:|---|---:|---:|---:|---:|---:|---:|');
  for (const n of SIZES) {
    const signUps = generateExchange(n, SEED + n);
    const methods = [
      { label: 'optimal', rules: RULES, method: 'optimal' as const },
      { label: 'optimal, no mutual pairs', rules: { ...RULES, forbidMutual: true }, method: 'optimal' as const },
      { label: 'greedy', rules: RULES, method: 'greedy' as const },
    ];
    const builds = new Map<string, number[]>(methods.map((m) => [m.label, []]));
    const assigns = new Map<string, number[]>(methods.map((m) => [m.label, []]));
    const totals = new Map<string, number[]>(methods.map((m) => [m.label, []]));
    const cpuTotals = new Map<string, number[]>(methods.map((m) => [m.label, []]));
    const outcome = new Map<string, { matched: number; weight: number; pairs: number }>();
    for (let run = 0; run < RUNS; run++) {
      // Methods take turns within a run, so a change of load hits them alike.
      for (const m of methods) {
        const [graph, build, buildCpu] = time(() => buildCompatibilityGraph(prepareExchange(signUps, m.rules)));
        const [result, assign, assignCpu] = time(() => assignOnGraph(graph, m.method));
        cpuTotals.get(m.label)!.push(buildCpu + assignCpu);
        builds.get(m.label)!.push(build);
        assigns.get(m.label)!.push(assign);
        totals.get(m.label)!.push(build + assign);
        const previous = outcome.get(m.label);
        if (previous && (previous.matched !== result.matchedRecipients || previous.weight !== result.totalWeight)) {
          throw new Error(`${m.label} gave different answers on the same input`);
        }
        outcome.set(m.label, { matched: result.matchedRecipients, weight: result.totalWeight, pairs: result.compatiblePairs });
        log(
          `${n} sign-ups, run ${run + 1}, ${m.label}: ${(build + assign).toFixed(2)} s (CPU ${(buildCpu + assignCpu).toFixed(2)} s), load ${load()}`,
        );
      }
    }
    for (const m of methods) {
      const o = outcome.get(m.label)!;
      console.log(
        `| ${n.toLocaleString('en')} | ${o.pairs.toLocaleString('en')} | ${m.label} | ${spread(builds.get(m.label)!)} | ${spread(assigns.get(m.label)!)} | ${spread(totals.get(m.label)!)} | ${spread(cpuTotals.get(m.label)!)} | ${((100 * o.matched) / n).toFixed(1)}% (${o.matched}) | ${o.weight.toLocaleString('en')} |`,
      );
    }
  }
  console.log(`load average at the end ${load()}`);
}
