// Evaluates the story analysis on the founding story, on LitBank and on Fanfold's own annotated texts.
// Run: npm run eval:analysis   (FANFOLD_SHARED_DIR=/path/to/shared to override ../shared)
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { spawnSync } from 'node:child_process';
import { analyzeText, type SieveName, SIEVES, type StoryAnalysis } from '../src/analysis/index.ts';
import { leaveOneBookOut, printLeaveOneBookOut } from '../scripts/train-speaker-model.ts';
import { confidenceGroup, isTitledName } from '../src/analysis/character-confidence.ts';
import { SHOW_THRESHOLD_PEOPLE } from '../src/story-intelligence/story-intelligence.service.ts';
import { detokenise } from './litbank-detok.ts';
import { evaluateOwnTexts, ownRow } from './lib/own-texts.ts';
import { type BookExamples, foundingExamples, litbankExamples, ownExamples } from './lib/speaker-examples.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const shared = process.env.FANFOLD_SHARED_DIR ?? join(repoRoot, '..', 'shared');
const verbose = process.argv.includes('--verbose');
/** --quick stops after the per-text figures: no sieve ablation, ranker or proposals (for iterating on a rule). */
const quick = process.argv.includes('--quick');
/** --without=a,b runs the per-text figures with those sieves switched off (see SIEVES). */
const without = new Set(
  (
    process.argv
      .find((a) => a.startsWith('--without='))
      ?.slice('--without='.length)
      .split(',') ?? []
  ).filter((x) => x !== ''),
) as ReadonlySet<SieveName>;
for (const name of without)
  if (!(SIEVES as readonly string[]).includes(name))
    throw new Error(`--without: no sieve named ${name}; the sieves are ${SIEVES.join(', ')}`);
const runOptions = without.size > 0 ? { speakers: { disabled: without } } : {};

interface Counts {
  charTp: number; // predicted characters that match a gold character
  charPred: number;
  charFound: number; // gold characters matched by a prediction
  charGold: number;
  quoteTp: number;
  quotePred: number;
  quoteGold: number;
  speakerRight: number;
  speakerTotal: number;
  namedRight: number;
  namedTotal: number;
  words: number;
  ms: number;
}

const zero = (): Counts => ({
  charTp: 0,
  charPred: 0,
  charFound: 0,
  charGold: 0,
  quoteTp: 0,
  quotePred: 0,
  quoteGold: 0,
  speakerRight: 0,
  speakerTotal: 0,
  namedRight: 0,
  namedTotal: 0,
  words: 0,
  ms: 0,
});

function add(a: Counts, b: Counts): void {
  for (const k of Object.keys(a) as (keyof Counts)[]) a[k] += b[k];
}

const pct = (n: number, d: number): string => (d === 0 ? '   n/a' : ((100 * n) / d).toFixed(1).padStart(6));
const f1 = (tp: number, pred: number, gold: number): string =>
  pred + gold === 0 ? '   n/a' : ((200 * tp) / (pred + gold)).toFixed(1).padStart(6);

function countWords(text: string): number {
  const m = text.match(/\S+/g);
  return m === null ? 0 : m.length;
}

/** Times analyzeText in CPU time (robust when other processes share the cores): repeated runs
 * after a warm-up until at least 60 ms of CPU time accumulate, averaged. */
function timed(text: string): { analysis: StoryAnalysis; ms: number } {
  let analysis = analyzeText(text, runOptions);
  const warmUntil = performance.now() + 100;
  while (performance.now() < warmUntil) analyzeText(text, runOptions);
  const c0 = process.cpuUsage();
  let n = 0;
  let used = 0;
  while (n < 5 || used < 60) {
    analysis = analyzeText(text, runOptions);
    n++;
    const c = process.cpuUsage(c0);
    used = (c.user + c.system) / 1000;
  }
  return { analysis, ms: used / n };
}

function row(label: string, c: Counts): string {
  const wps = c.ms > 0 ? Math.round((c.words / c.ms) * 1000).toLocaleString('en-US') : 'n/a';
  return `${label.padEnd(44).slice(0, 44)} charP ${pct(c.charTp, c.charPred)} charR ${pct(c.charFound, c.charGold)}  quoteF1 ${f1(c.quoteTp, c.quotePred, c.quoteGold)}  speaker ${pct(c.speakerRight, c.speakerTotal)} (${c.speakerRight}/${c.speakerTotal})  named ${pct(c.namedRight, c.namedTotal)}  words/s ${wps}`;
}

// ---------------------------------------------------------------- founding story

interface Expected {
  characters: { name: string; aliases: string[]; role: string }[];
  not_characters: string[];
  quotes: { start: number; end: number; text: string; speaker: string }[];
  relationships: { pair: [string, string]; kind: string; strongest?: boolean }[];
  rating: { acceptable: string[] };
  archive_warnings: { expected: string[] };
}

function evaluateFounding(): Counts {
  const dir = join(repoRoot, 'test', 'fixtures');
  const text = readFileSync(join(dir, '000_e9b62997e455ea94.txt'), 'utf8');
  const expected = JSON.parse(readFileSync(join(dir, '000_e9b62997e455ea94.expected.json'), 'utf8')) as Expected;
  const { analysis, ms } = timed(text);
  const c = zero();
  c.words = countWords(text);
  c.ms = ms;
  const namesOf = (e: { name: string; aliases: string[] }): Set<string> => new Set([e.name, ...e.aliases].map((s) => s.toLowerCase()));
  const expectedNames = expected.characters.map(namesOf);
  const matchOf = (ch: { name: string; aliases: string[] }): number => {
    const mine = namesOf(ch);
    return expectedNames.findIndex((set) => [...mine].some((n) => set.has(n)));
  };
  const found = new Set<number>();
  const falseOnes: string[] = [];
  for (const ch of analysis.characters) {
    const k = matchOf(ch);
    if (k >= 0) {
      c.charTp++;
      found.add(k);
    } else falseOnes.push(ch.name);
  }
  c.charPred = analysis.characters.length;
  c.charFound = found.size;
  c.charGold = expected.characters.length;
  const key = (q: { start: number; end: number }): string => `${q.start}:${q.end}`;
  const mine = new Map(analysis.quotes.map((q) => [key(q), q]));
  c.quotePred = analysis.quotes.length;
  c.quoteGold = expected.quotes.length;
  const wrongSpeakers: string[] = [];
  for (const e of expected.quotes) {
    const q = mine.get(key(e));
    c.speakerTotal++;
    c.namedTotal++;
    if (q === undefined) continue;
    c.quoteTp++;
    const gold = expected.characters.find((x) => x.name === e.speaker)!;
    if (
      (q.speaker !== null && namesOf(gold).has(q.speaker.toLowerCase())) ||
      (q.speaker !== null && analysis.characters.some((ch) => ch.name === q.speaker && matchOf(ch) === expected.characters.indexOf(gold)))
    ) {
      c.speakerRight++;
      c.namedRight++;
    } else wrongSpeakers.push(`${e.start} "${e.text.slice(0, 30)}" → ${q.speaker} (gold ${e.speaker}, ${q.method})`);
  }
  console.log('Founding story (000_e9b62997e455ea94.txt, fed as is)');
  console.log('  ' + row('founding story', c));
  console.log(`  characters: ${analysis.characters.map((ch) => `${ch.name} [${ch.role}, ${ch.gender}, ${ch.mentions}]`).join('; ')}`);
  if (falseOnes.length > 0) console.log(`  false characters: ${falseOnes.join(', ')}`);
  const traps = expected.not_characters.filter((n) => analysis.characters.some((ch) => namesOf(ch).has(n.toLowerCase())));
  console.log(`  traps taken as characters: ${traps.length === 0 ? 'none' : traps.join(', ')}`);
  for (const w of wrongSpeakers) console.log(`  wrong speaker: ${w}`);
  const extra = analysis as unknown as Record<string, unknown>;
  if (Array.isArray(extra.relationships)) {
    const rels = extra.relationships as { a: string; b: string; kind: string; strength: number; tag: string }[];
    console.log(
      `  relationships: ${rels
        .slice(0, 6)
        .map((r) => `${r.tag} (${r.kind}, ${r.strength})`)
        .join('; ')}`,
    );
  }
  if (extra.rating !== undefined)
    console.log(`  rating: ${(extra.rating as { value: string }).value} (acceptable: ${expected.rating.acceptable.join(', ')})`);
  if (Array.isArray(extra.warnings))
    console.log(
      `  warnings: ${(extra.warnings as { value: string; confidence: number }[]).map((w) => `${w.value} ${w.confidence}`).join('; ')} (expected: ${expected.archive_warnings.expected.join(', ')})`,
    );
  if (Array.isArray(extra.scenes))
    console.log(
      `  scenes start: ${(extra.scenes as { start: number }[]).map((s) => JSON.stringify(text.slice(s.start, s.start + 30))).join(' | ')}`,
    );
  if (Array.isArray(extra.arc))
    console.log(`  arc valence: ${(extra.arc as { valence: number }[]).map((p) => p.valence.toFixed(2)).join(' ')}`);
  return c;
}

// ---------------------------------------------------------------- LitBank

interface LitbankDoc {
  id: string;
  title: string;
  text: string;
  perMentions: { start: number; end: number; text: string; type: string; entity: string }[];
  characters: { entity: string; names: string[]; mentions: number }[];
  quotes: { id: string; start: number; end: number; text: string; speaker: string }[];
}

function evaluateLitbank(): Counts | undefined {
  const corpus = join(shared, 'corpora', 'litbank', 'litbank_per_quotes.json');
  if (!existsSync(corpus)) {
    console.log(`\nLitBank: not found at ${corpus} (an optional corpus beside the repository; set FANFOLD_SHARED_DIR). Skipped.`);
    return undefined;
  }
  const docs = JSON.parse(readFileSync(corpus, 'utf8')) as LitbankDoc[];
  const total = zero();
  console.log(
    '\nLitBank (100 texts; the tokenised text is detokenised — "ca n\'t" → "can\'t", "“ Yes . ”" → "“Yes.”" — its sentence lines',
  );
  console.log('joined into one paragraph, and every offset mapped back to the tokenised original before scoring)');
  for (const [docIndex, doc] of docs.entries()) {
    const d = detokenise(doc.text);
    const { analysis, ms } = timed(d.text);
    const c = zero();
    c.words = countWords(d.text);
    c.ms = ms;
    const toOrig = (s: { start: number; end: number }): { start: number; end: number } => ({
      start: d.toOrig[s.start]!,
      end: d.toOrig[s.end - 1]! + 1,
    });
    // characters: a prediction matches the gold cluster most of its name mentions fall in
    const goldNamed = new Map(doc.characters.map((ch) => [ch.entity, ch]));
    const mentionEntity = (span: { start: number; end: number }): string | null => {
      let best: string | null = null;
      let bestLen = Infinity;
      for (const m of doc.perMentions) {
        if (m.start <= span.start && m.end >= span.end && m.end - m.start < bestLen) {
          best = m.entity;
          bestLen = m.end - m.start;
        }
      }
      if (best !== null) return best;
      for (const m of doc.perMentions) if (m.start < span.end && m.end > span.start) return m.entity;
      return null;
    };
    const found = new Set<string>();
    const charOf = new Map<number, string | null>();
    for (const ch of analysis.characters) {
      const votes = new Map<string, number>();
      for (const s of ch.mentionSpans) {
        const e = mentionEntity(toOrig(s));
        if (e !== null && goldNamed.has(e)) votes.set(e, (votes.get(e) ?? 0) + 1);
      }
      let best: string | null = null;
      let bestVotes = 0;
      for (const [e, v] of votes) if (v > bestVotes) [best, bestVotes] = [e, v];
      if (best === null) {
        // fall back to the names: a gold cluster that lists one of our names
        const mine = new Set([ch.name, ...ch.aliases].map((n) => n.toLowerCase()));
        best = doc.characters.find((g) => g.names.some((n) => mine.has(n.toLowerCase())))?.entity ?? null;
      }
      charOf.set(ch.id, best);
      if (best !== null) {
        c.charTp++;
        found.add(best);
      } else if (verbose) console.log(`    false character in ${doc.id}: ${ch.name}`);
    }
    // what the author would be shown: each character's confidence and the group it was calibrated in
    const spoken = new Map<number, number>();
    for (const q of analysis.quotes) if (q.speakerId >= 0) spoken.set(q.speakerId, (spoken.get(q.speakerId) ?? 0) + 1);
    for (const ch of analysis.characters) {
      const titled = isTitledName([ch.name, ...ch.aliases]);
      const spokenBy = spoken.get(ch.id) ?? 0;
      shownRows.push({
        doc: doc.id,
        group: confidenceGroup(ch.mentions, analysis.structure.wordCount, spokenBy, titled, ch.gender !== 'unknown'),
        gold: charOf.get(ch.id) ?? null,
        confidence: ch.confidence,
      });
    }
    const quoteCount = new Map<string, number>();
    for (const g of doc.quotes) quoteCount.set(g.speaker, (quoteCount.get(g.speaker) ?? 0) + 1);
    for (const [e, n] of quoteCount) if (n >= 10 && goldNamed.has(e)) frequentGold.push(`${doc.id}\u0000${e}`);
    c.charPred = analysis.characters.length;
    c.charGold = doc.characters.length;
    c.charFound = found.size;
    if (verbose)
      for (const g of doc.characters)
        if (!found.has(g.entity)) console.log(`    missed character in ${doc.id}: ${g.names.join(' / ')} (${g.mentions})`);
    // quotations: exact spans (marks included), in original offsets
    const mine = new Map<string, (typeof analysis.quotes)[number]>();
    for (const q of analysis.quotes) {
      const o = toOrig(q);
      mine.set(`${o.start}:${o.end}`, q);
    }
    c.quotePred = analysis.quotes.length;
    c.quoteGold = doc.quotes.length;
    for (const g of doc.quotes) {
      const q =
        mine.get(`${g.start}:${g.end}`) ??
        analysis.quotes.find((x) => {
          const o = toOrig(x);
          return o.start < g.end && o.end > g.start;
        });
      if (mine.has(`${g.start}:${g.end}`)) c.quoteTp++;
      c.speakerTotal++;
      const named = goldNamed.has(g.speaker);
      if (named) c.namedTotal++;
      if (q === undefined) {
        if (named) namedMisses.set('no quotation found', (namedMisses.get('no quotation found') ?? 0) + 1);
        continue;
      }
      // speaker: the mention our attribution rests on belongs to the gold speaker's cluster,
      // or the named character we chose is that cluster
      let right = false;
      if (q.speakerMention !== null) right = mentionEntity(toOrig(q.speakerMention)) === g.speaker;
      if (!right && q.speakerId >= 0) right = charOf.get(q.speakerId) === g.speaker;
      if (right) c.speakerRight++;
      methodStats.set(q.method, [(methodStats.get(q.method)?.[0] ?? 0) + (right ? 1 : 0), (methodStats.get(q.method)?.[1] ?? 0) + 1]);
      if (!named) {
        unnamedGold.total++;
        if (q.speakerId >= 0) unnamedGold.named++;
        if (q.speakerId >= 0 && process.env.NAMED_DETAIL)
          console.log(
            `    UNNAMED ${doc.id} ${q.method} key=${q.speakerKey} ours=${q.speaker} ctx=${JSON.stringify(d.text.slice(Math.max(0, q.start - 60), q.end + 60))}`,
          );
      }
      if (named) {
        const kind = namedKind(q, d.text);
        const [r, t] = namedByKind.get(kind) ?? [0, 0];
        namedByKind.set(kind, [r + (q.speakerId >= 0 && charOf.get(q.speakerId) === g.speaker ? 1 : 0), t + 1]);
      }
      if (named && q.speakerId >= 0 && charOf.get(q.speakerId) === g.speaker) c.namedRight++;
      else if (named) {
        countNamedMiss(q, charOf, right);
        if (process.env.NAMED_DETAIL)
          console.log(
            `    NAMED ${doc.id} ${q.method} mention=${JSON.stringify(q.speakerMention && d.text.slice(q.speakerMention.start, q.speakerMention.end))} ours=${q.speaker} gold=${doc.characters.find((x) => x.entity === g.speaker)?.names.join('/')} ctx=${JSON.stringify(d.text.slice(Math.max(0, q.start - 60), q.end + 60))}`,
          );
      }
      if (!right && verbose)
        console.log(
          `    wrong speaker ${doc.id} ${g.id} ${JSON.stringify(g.text.slice(0, 50))} → ${q.speaker ?? (q.speakerMention && d.text.slice(q.speakerMention.start, q.speakerMention.end))} (${q.method}); gold ${g.speaker}`,
        );
    }
    console.log('  ' + row(doc.id, c));
    add(total, c);
    add(docIndex % 2 === 0 ? halves.even : halves.odd, c);
  }
  console.log('  ' + row('LitBank overall (micro)', total));
  printNamedMisses();
  return total;
}

/** Why LitBank quotations of named speakers miss the strict "named" score, by cause and rule. */
const namedMisses = new Map<string, number>();

function countNamedMiss(q: StoryAnalysis['quotes'][number], charOf: Map<number, string | null>, mentionRight: boolean): void {
  const cause =
    q.speakerId < 0
      ? 'no character chosen'
      : charOf.get(q.speakerId) === null
        ? 'a character not in the gold list'
        : 'another gold character';
  const key = `${cause} (${q.method}${mentionRight ? ', mention right' : ''})`;
  namedMisses.set(key, (namedMisses.get(key) ?? 0) + 1);
}

/** LitBank quotations whose gold speaker has no name, and how many of them we still gave a named character. */
const unnamedGold = { named: 0, total: 0 };

/** Strict named accuracy on LitBank by the kind of attribution, as the rules read it (the outside novels' kinds). */
const namedByKind = new Map<string, [number, number]>();

function namedKind(q: StoryAnalysis['quotes'][number], text: string): string {
  if (q.method !== 'explicit' || q.speakerMention === null) return 'implicit (no attribution)';
  const m = text.slice(q.speakerMention.start, q.speakerMention.end);
  if (/^(?:he|she|i|it|they|we|you|his|her|my)$/i.test(m)) return 'anaphoric (a pronoun)';
  // the outside novels count "said her father" as explicit, as they do "said Anna"
  return /^[A-Z]/.test(m) && !/^(?:The|A|An|His|Her|My|Our|Their|This|That)\b/.test(m) ? 'explicit (a name)' : 'explicit (a noun phrase)';
}

function printNamedMisses(): void {
  console.log(
    `  quotations whose gold speaker has no name (a crowd, "a voice", an unnamed clerk) given a named character anyway: ${unnamedGold.named} of ${unnamedGold.total}`,
  );
  console.log(
    '  strict "named" by kind (as the rules read them): ' +
      [...namedByKind].map(([k, [r, t]]) => `${k} ${pct(r, t).trim()} % of ${t}`).join('; '),
  );
  console.log('  strict "named" misses on LitBank, by cause (rule; "mention right" = right at mention level):');
  for (const [k, n] of [...namedMisses].sort((a, b) => b[1] - a[1])) console.log(`    ${String(n).padStart(4)}  ${k}`);
}

/** LitBank's proposed characters with their confidence group, and its characters with 10 or more quotations. */
const shownRows: { doc: string; group: string; gold: string | null; confidence: number }[] = [];
const frequentGold: string[] = [];

/** Characters shown at SHOW_THRESHOLD_PEOPLE on LitBank: as shipped (the confidences were measured on
 * these texts) and leave-one-book-out (each text's groups valued at their share on the other 99). */
function printShownCharacters(): void {
  if (shownRows.length === 0) return;
  const total = new Map<string, [number, number]>();
  for (const r of shownRows) {
    const t = total.get(r.group) ?? [0, 0];
    total.set(r.group, [t[0] + (r.gold !== null ? 1 : 0), t[1] + 1]);
  }
  const score = (shown: (r: (typeof shownRows)[number]) => boolean): string => {
    const picked = shownRows.filter(shown);
    const right = picked.filter((r) => r.gold !== null);
    const found = new Set(right.map((r) => `${r.doc}\u0000${r.gold}`));
    const frequent = frequentGold.filter((k) => found.has(k)).length;
    return `precision ${pct(right.length, picked.length).trim()} % (${right.length} of ${picked.length}), characters with ≥ 10 quotations shown ${frequent} of ${frequentGold.length} (${pct(frequent, frequentGold.length).trim()} %)`;
  };
  const byDoc = new Map<string, Map<string, [number, number]>>();
  for (const r of shownRows) {
    const m = byDoc.get(r.doc) ?? new Map<string, [number, number]>();
    const t = m.get(r.group) ?? [0, 0];
    m.set(r.group, [t[0] + (r.gold !== null ? 1 : 0), t[1] + 1]);
    byDoc.set(r.doc, m);
  }
  const heldOut = (r: (typeof shownRows)[number]): boolean => {
    const [right, all] = total.get(r.group)!;
    const [ownRight, own] = byDoc.get(r.doc)!.get(r.group)!;
    return all > own && (right - ownRight) / (all - own) >= SHOW_THRESHOLD_PEOPLE;
  };
  console.log(
    `\nLitBank characters an author is shown (confidence ≥ ${SHOW_THRESHOLD_PEOPLE}; right = most mention spans in one gold cluster)`,
  );
  console.log(`  groups (gold / proposed): ${[...total].map(([g, [r, t]]) => `${g} ${r}/${t}`).join(', ')}`);
  console.log(`  as shipped (in-sample): ${score((r) => r.confidence >= SHOW_THRESHOLD_PEOPLE)}`);
  console.log(`  leave-one-book-out:     ${score(heldOut)}`);
}

// documents at even and odd positions of the corpus file, so a rule tuned on one half can be
// checked on the other
const halves = { even: zero(), odd: zero() };

const methodStats = new Map<string, [number, number]>();
// warm the JIT up before any timing, so the first text measured is not measured cold
{
  const sample = readFileSync(join(repoRoot, 'test', 'fixtures', '000_e9b62997e455ea94.txt'), 'utf8');
  const c0 = process.cpuUsage();
  while (process.cpuUsage(c0).user < 1_500_000) analyzeText(sample);
}
const founding = evaluateFounding();
const litbank = evaluateLitbank();
const own = evaluateOwnTexts(repoRoot, verbose);
printShownCharacters();
console.log('  LitBank speaker accuracy by rule: ' + [...methodStats].map(([m, [r, t]]) => `${m} ${pct(r, t).trim()}% of ${t}`).join(', '));
console.log('\nSummary');
console.log('  ' + row('founding story', founding));
if (litbank) {
  console.log('  ' + row('LitBank (100 texts)', litbank));
  console.log('  ' + row('  LitBank, even-indexed texts (50)', halves.even));
  console.log('  ' + row('  LitBank, odd-indexed texts (50)', halves.odd));
}
console.log('  ' + ownRow('own texts, dev', own.dev));
console.log('  ' + ownRow('own texts, test (frozen)', own.test));
console.log("  speaker = quotations whose predicted speaker mention lies in the gold speaker's coreference cluster");
console.log('            (or whose predicted named character is that cluster), over all gold quotations;');
console.log('  named   = strict: our resolved named character is the gold speaker, over quotations spoken by named characters.');
console.log('  words/s = words per CPU-second of analyzeText on one core (repeated runs after a warm-up, at least 60 ms of CPU');
console.log('            each); npm run bench:analysis measures one large text.');
console.log('  BookNLP reports 86.4 (small) / 89.9 (big) speaker attribution on LitBank-derived data.');

// ---------------------------------------------------------------- what each pass adds

/** Speaker accuracy of a set of books with some sieves switched off, as right/total. */
function speakerAccuracy(books: BookExamples[]): [number, number] {
  const all = books.flatMap((b) => b.examples);
  return [all.filter((e) => e.ruleRight).length, all.length];
}

/** Strict named accuracy: the character finally named is the gold one (LitBank: over its named speakers). */
function namedAccuracy(books: BookExamples[]): [number, number] {
  const named = books.flatMap((b) => b.examples).filter((e) => e.named !== undefined);
  return [named.filter((e) => e.named).length, named.length];
}

function measureSieves(disabled: ReadonlySet<SieveName>): { litbank: BookExamples[]; dev: BookExamples[]; founding: BookExamples } {
  const options = { speakers: { disabled } };
  return {
    litbank: litbankExamples(shared, options),
    dev: ownExamples(repoRoot, 'dev', options),
    founding: foundingExamples(repoRoot, options),
  };
}

function printAblation(): void {
  console.log('\nSpeaker sieves: what each adds (speaker accuracy; the frozen test texts are left out so no sieve is tuned on them)');
  console.log('  "up to" runs the sieves from the top of the list down to this one; "without" runs all but this one.');
  const cell = ([r, t]: [number, number]): string => (t === 0 ? '     n/a' : `${((100 * r) / t).toFixed(1).padStart(6)} %`);
  console.log('  "LitBank named" is strict: the character finally named is the gold speaker (over named speakers);');
  console.log('  "own dev" is that same strict reading (the own texts are annotated with the person who speaks).');
  const line = (label: string, upTo: string[], without: string[]): void =>
    console.log(`  | ${label.padEnd(18)} | ${upTo.join(' | ')} | ${without.join(' | ')} |`);
  line('sieve', ['up to: LitBank', 'LitBank named', 'own dev ', 'founding'], ['without: LitBank', 'LitBank named', 'own dev ', 'founding']);
  const score = (m: ReturnType<typeof measureSieves>): string[] => [
    cell(speakerAccuracy(m.litbank)).padStart(14),
    cell(namedAccuracy(m.litbank)).padStart(13),
    cell(namedAccuracy(m.dev)),
    cell(speakerAccuracy([m.founding])),
  ];
  line(
    '(none)',
    score(measureSieves(new Set(SIEVES))),
    ['', '', '', ''].map((x, i) => x.padStart(i === 0 ? 16 : i === 1 ? 13 : 8)),
  );
  let full: ReturnType<typeof measureSieves> | null = null;
  for (const [i, sieve] of SIEVES.entries()) {
    const upTo = measureSieves(new Set(SIEVES.slice(i + 1)));
    if (i === SIEVES.length - 1) full = upTo;
    const without = score(measureSieves(new Set([sieve])));
    line(sieve, score(upTo), [without[0]!.padStart(16), ...without.slice(1)]);
  }
  if (full === null) return;
  // the learnt ranker against the rules, each book scored by a model trained on all the others
  const books = [...full.litbank, ...full.dev];
  printLeaveOneBookOut(books, leaveOneBookOut(books), '  ');
}

if (quick) process.exit(0);
printAblation();

// ---------------------------------------------------------------- proposals (the archive's path)

console.log('\nProposals an author is shown (src/story-intelligence/proposals.eval.ts: founding story, own texts dev | frozen test)');
const proposals = spawnSync(
  process.execPath,
  ['--import', 'tsx', join(repoRoot, 'src', 'story-intelligence', 'proposals.eval.ts'), ...(verbose ? ['--verbose'] : [])],
  {
    cwd: repoRoot,
    stdio: 'inherit',
  },
);
if (proposals.status !== 0) console.log(`  the proposals evaluation ended with status ${proposals.status}`);
