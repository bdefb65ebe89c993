// Trains the speaker ranker (src/analysis/speaker-model.ts) on LitBank and the dev part of
// Fanfold's own annotated texts, evaluates it leave-one-book-out against the rules, and writes the
// weights to src/analysis/speaker-model.weights.json. Deterministic: same data, same weights.
// Run: npm run train:speakers   (FANFOLD_SHARED_DIR=/path/to/shared to override ../shared)
// The frozen test part of the own texts is never trained or tuned on; it is only reported.
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SPEAKER_FEATURES, type SpeakerModel } from '../src/analysis/speaker-model.ts';
import { type BookExamples, litbankExamples, ownExamples, type SpeakerExample } from '../bench/lib/speaker-examples.ts';

const ITERATIONS = 400;
const LEARNING_RATE = 2;
const L2 = 1e-3;

/**
 * Fits a conditional logistic regression (softmax over each quotation's candidates, the right
 * ones pooled) by full-batch gradient descent from zero weights: no randomness anywhere.
 */
export function trainSpeakerModel(books: BookExamples[], iterations = ITERATIONS, learningRate = LEARNING_RATE, l2 = L2): SpeakerModel {
  const n = SPEAKER_FEATURES.length;
  const sets = books.flatMap((b) => b.examples).filter((e) => e.candidates?.some((c) => c.right) === true);
  const w = new Float64Array(n);
  const grad = new Float64Array(n);
  for (let it = 0; it < iterations; it++) {
    grad.fill(0);
    for (const e of sets) {
      const cands = e.candidates!;
      const s = cands.map((c) => dot(w, c.x));
      const max = Math.max(...s);
      const p = s.map((v) => Math.exp(v - max));
      const z = p.reduce((a, b) => a + b, 0);
      const zRight = p.reduce((a, v, k) => a + (cands[k]!.right ? v : 0), 0);
      // d(-log sum_right p)/dw = E_all[x] - E_right[x]
      for (let k = 0; k < cands.length; k++) {
        const coef = p[k]! / z - (cands[k]!.right ? p[k]! / zRight : 0);
        if (coef === 0) continue;
        const x = cands[k]!.x;
        for (let i = 0; i < n; i++) grad[i]! += coef * x[i]!;
      }
    }
    for (let i = 0; i < n; i++) w[i]! -= learningRate * (grad[i]! / sets.length + l2 * w[i]!);
  }
  return { features: [...SPEAKER_FEATURES], weights: [...w].map((v) => Math.round(v * 1e4) / 1e4) };
}

function dot(w: Float64Array | readonly number[], x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += w[i]! * x[i]!;
  return s;
}

/** True when the model's choice for one gold quotation is right (the rules decide where it does not). */
export function modelRight(model: SpeakerModel, e: SpeakerExample): boolean {
  if (e.candidates === null) return e.ruleRight;
  let best = 0;
  let bestScore = -Infinity;
  for (let k = 0; k < e.candidates.length; k++) {
    const s = dot(model.weights, e.candidates[k]!.x);
    if (s > bestScore) [best, bestScore] = [k, s];
  }
  return e.candidates[best]!.right;
}

/** Right answers of the rules and the model, and the total, over some gold quotations. */
export interface Tally {
  rules: number;
  model: number;
  total: number;
}

/** Leave-one-book-out: each book scored by a model trained on all the others, overall and by kind of quotation. */
export function leaveOneBookOut(books: BookExamples[]): Map<string, Map<SpeakerExample['kind'] | 'all', Tally>> {
  const out = new Map<string, Map<SpeakerExample['kind'] | 'all', Tally>>();
  for (const [i, book] of books.entries()) {
    const model = trainSpeakerModel(books.filter((_, j) => j !== i));
    const tallies = new Map<SpeakerExample['kind'] | 'all', Tally>();
    for (const e of book.examples) {
      for (const k of ['all', e.kind] as const) {
        const t = tallies.get(k) ?? { rules: 0, model: 0, total: 0 };
        t.rules += e.ruleRight ? 1 : 0;
        t.model += modelRight(model, e) ? 1 : 0;
        t.total++;
        tallies.set(k, t);
      }
    }
    out.set(book.id, tallies);
  }
  return out;
}

const pct = (n: number, d: number): string => (d === 0 ? 'n/a' : `${((100 * n) / d).toFixed(1)} %`);

/** Prints the leave-one-book-out comparison per source, overall and by kind of quotation. */
export function printLeaveOneBookOut(books: BookExamples[], lobo: ReturnType<typeof leaveOneBookOut>, indent = ''): void {
  for (const source of ['litbank', 'own-dev'] as const) {
    const sum = new Map<string, Tally>();
    for (const b of books.filter((x) => x.source === source)) {
      for (const [k, t] of lobo.get(b.id)!) {
        const s = sum.get(k) ?? { rules: 0, model: 0, total: 0 };
        sum.set(k, { rules: s.rules + t.rules, model: s.model + t.model, total: s.total + t.total });
      }
    }
    const all = sum.get('all') ?? { rules: 0, model: 0, total: 0 };
    console.log(
      `${indent}leave-one-book-out, ${source === 'litbank' ? 'LitBank' : 'own dev'}: rules ${pct(all.rules, all.total)} (${all.rules}/${all.total}), learnt ranker ${pct(all.model, all.total)} (${all.model}/${all.total})`,
    );
    const parts = (['explicit', 'anaphoric', 'implicit', 'missed'] as const)
      .filter((k) => sum.has(k))
      .map((k) => {
        const t = sum.get(k)!;
        return `${k} ${t.total}: rules ${pct(t.rules, t.total)}, ranker ${pct(t.model, t.total)}`;
      });
    console.log(`${indent}  by kind (as the rules read them): ${parts.join('; ')}`);
  }
}

function main(): void {
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const shared = process.env.FANFOLD_SHARED_DIR ?? join(repoRoot, '..', 'shared');
  const litbank = litbankExamples(shared);
  if (litbank.length === 0)
    console.log('LitBank not found beside the repository (set FANFOLD_SHARED_DIR): training on the own dev texts only.');
  const dev = ownExamples(repoRoot, 'dev');
  const books = [...litbank, ...dev];
  const targeted = books.flatMap((b) => b.examples).filter((e) => e.candidates !== null);
  console.log(
    `${books.length} books (${litbank.length} LitBank, ${dev.length} own dev texts); ${targeted.length} of ${books.reduce((a, b) => a + b.examples.length, 0)} gold quotations anaphoric or implicit (the ranker decides these); ${targeted.filter((e) => e.candidates!.some((c) => c.right)).length} have a right candidate`,
  );
  printLeaveOneBookOut(books, leaveOneBookOut(books));
  const model = trainSpeakerModel(books);
  const test = ownExamples(repoRoot, 'test');
  const testAll = test.flatMap((b) => b.examples);
  console.log(
    `own texts, frozen test (reported, never trained on): rules ${pct(testAll.filter((e) => e.ruleRight).length, testAll.length)}  model ${pct(testAll.filter((e) => modelRight(model, e)).length, testAll.length)} of ${testAll.length}`,
  );
  const out = join(repoRoot, 'src', 'analysis', 'speaker-model.weights.json');
  writeFileSync(out, `${JSON.stringify(model, null, 2)}\n`);
  console.log(`weights written to ${out}:`);
  for (const [i, f] of SPEAKER_FEATURES.entries()) console.log(`  ${f.padEnd(28)} ${model.weights[i]!.toFixed(3).padStart(8)}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
