// Words per second of analyzeText on one core, on a large text built from the founding story
// and LitBank's texts. Run: npm run bench:analysis   (FANFOLD_SHARED_DIR overrides ../shared)
// WORDS=500000 sets the size; WRAP=1 hard-wraps it at 72 columns with CRLF line ends, the shape of
// a Project Gutenberg novel (a determiner then ends many lines).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { cpus, loadavg } from 'node:os';
import { analyzeText } from '../src/analysis/index.ts';
import { countWords } from '../src/works/text/words.ts';
import { detokenise } from './litbank-detok.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const shared = process.env.FANFOLD_SHARED_DIR ?? join(repoRoot, '..', 'shared');
const targetWords = Number(process.env.WORDS ?? 200_000);
const runs = Number(process.env.RUNS ?? 7);
const wrap = process.env.WRAP === '1';

const founding = readFileSync(join(repoRoot, 'test', 'fixtures', '000_e9b62997e455ea94.txt'), 'utf8');
// LitBank is an optional corpus beside the repository: without it the text is the founding story alone.
const corpus = join(shared, 'corpora', 'litbank', 'litbank_per_quotes.json');
const docs = existsSync(corpus) ? (JSON.parse(readFileSync(corpus, 'utf8')) as { text: string }[]) : [];
if (docs.length === 0)
  console.log(`LitBank not found at ${corpus} (optional; set FANFOLD_SHARED_DIR): the text repeats the founding story alone.`);
// One long story: the founding story, then LitBank's texts as chapters (detokenised, with their
// sentences as lines so paragraphs stay paragraph-sized), repeated until the target size.
const parts = [founding, ...docs.map((d) => detokenise(d.text).text.replace(/([.!?]["\u201d']?) (?=["\u201c]|[A-Z])/g, '$1\n\n'))];
const chunks: string[] = [];
let words = 0;
for (let i = 0; words < targetWords; i++) {
  const part = parts[i % parts.length]!;
  chunks.push(part);
  words += part.split(/\s+/).filter(Boolean).length;
}
const joined = chunks.join('\n\n* * *\n\n');
const text = wrap
  ? joined
      .split('\n\n')
      .map((p) => p.replace(/(.{1,72})(?: +|$)/g, '$1\n').trimEnd())
      .join('\n\n')
      .replace(/\n/g, '\r\n')
  : joined;

// Wall time suffers when other processes share the cores; CPU time counts only the work done on
// the core the analysis runs on, so both are reported. The thread's own CPU time (Node 22 and
// later) is the analysis as a worker thread runs it; the whole process's (older Node) also counts
// the compiler and collector threads working beside it, a third more on this machine.
type Usage = { user: number; system: number };
const threadCpu = (process as { threadCpuUsage?: (since?: Usage) => Usage }).threadCpuUsage?.bind(process);
const cpuKind = threadCpu !== undefined ? 'this thread' : 'the process';
const cpuSince = (start: Usage | undefined): Usage => (threadCpu !== undefined ? threadCpu(start) : process.cpuUsage(start));
const cpuMs = (start: Usage): number => {
  const c = cpuSince(start);
  return (c.user + c.system) / 1000;
};

analyzeText(text); // warm-up
const times: number[] = [];
const cpuTimes: number[] = [];
for (let i = 0; i < runs; i++) {
  const c0 = cpuSince(undefined);
  const t0 = performance.now();
  analyzeText(text);
  times.push(performance.now() - t0);
  cpuTimes.push(cpuMs(c0));
}
times.sort((a, b) => a - b);
cpuTimes.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)]!;
const cpuMedian = cpuTimes[Math.floor(cpuTimes.length / 2)]!;
console.log(
  `text: ${words.toLocaleString('en-US')} words, ${text.length.toLocaleString('en-US')} characters (founding story + LitBank texts, repeated${wrap ? ', hard-wrapped with CRLF' : ''})`,
);
console.log(`machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores; Node ${process.version}; one thread`);
console.log(`runs: ${times.map((t) => t.toFixed(0) + ' ms').join(', ')}`);
const fastest = times[0]!;
console.log(
  `load average while running: ${loadavg()
    .map((x) => x.toFixed(1))
    .join(', ')} (other processes share the machine)`,
);
console.log(
  `median CPU time (${cpuKind}): ${cpuMedian.toFixed(1)} ms → ${Math.round((words / cpuMedian) * 1000).toLocaleString('en-US')} words per CPU-second (one core)`,
);
console.log(`median wall time: ${median.toFixed(1)} ms → ${Math.round((words / median) * 1000).toLocaleString('en-US')} words/second`);
console.log(`fastest: ${fastest.toFixed(1)} ms → ${Math.round((words / fastest) * 1000).toLocaleString('en-US')} words/second`);

// The ways fans write, one text each: Fanfold's own annotated texts of one style and language
// (test/fixtures/analysis), repeated to about a quarter of the main text, so that the passes of that
// language (its word lists, dash attributions, guillemets, chat lines) are the ones timed.
const ownDir = join(repoRoot, 'test', 'fixtures', 'analysis');
const groups = new Map<string, string[]>();
for (const f of readdirSync(ownDir).filter((x) => x.endsWith('.gold.json'))) {
  const gold = JSON.parse(readFileSync(join(ownDir, f), 'utf8')) as { text: string; style: string; language: string };
  if (gold.text.endsWith('.html')) continue;
  const key = `${gold.language} ${gold.style}`;
  const list = groups.get(key) ?? [];
  list.push(readFileSync(join(ownDir, gold.text), 'utf8'));
  groups.set(key, list);
}
const styleWords = Math.max(10_000, Math.round(targetWords / 4));
console.log(
  `\nby style and language (own texts repeated to about ${styleWords.toLocaleString('en-US')} words; median CPU time of ${runs} runs):`,
);
for (const [key, texts] of [...groups].sort()) {
  // counted as the archive counts a work's words: a Japanese sentence is many words, not one
  const wordsOf = texts.map((t) => countWords(t));
  const pieces: string[] = [];
  let n = 0;
  for (let i = 0; n < styleWords; i++) {
    pieces.push(texts[i % texts.length]!);
    n += wordsOf[i % texts.length]!;
  }
  const sample = pieces.join('\n\n');
  analyzeText(sample);
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = cpuSince(undefined);
    analyzeText(sample);
    cpu.push(cpuMs(c0));
  }
  cpu.sort((a, b) => a - b);
  const mid = cpu[Math.floor(cpu.length / 2)]!;
  console.log(
    `  ${key.padEnd(28)} ${n.toLocaleString('en-US').padStart(8)} words  ${mid.toFixed(1).padStart(7)} ms  ${Math.round((n / mid) * 1000)
      .toLocaleString('en-US')
      .padStart(10)} words per CPU-second`,
  );
}
