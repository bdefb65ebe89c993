// Evaluates the analysis on the fan-fiction-style texts written and annotated for Fanfold
// (test/fixtures/analysis/*.gold.json): one row per text, then per style and per language, the
// dev part (looked at while writing rules) and the frozen test part (never tuned on) apart.
import { analyzeText } from '../../src/analysis/index.ts';
import { type OwnGold, ownDir, ownText, readOwnGolds } from './own-gold.ts';

/** Counts over one or more texts. */
export interface OwnCounts {
  texts: number;
  charTp: number;
  charPred: number;
  charFound: number;
  charGold: number;
  traps: number;
  quoteTp: number;
  quotePred: number;
  quoteGold: number;
  speakerRight: number;
  speakerTotal: number;
  languageRight: number;
  /** Non-English texts given a rating or warnings anyway (read from English word lists). */
  foreignContent: number;
}

const zero = (): OwnCounts => ({
  texts: 0,
  charTp: 0,
  charPred: 0,
  charFound: 0,
  charGold: 0,
  traps: 0,
  quoteTp: 0,
  quotePred: 0,
  quoteGold: 0,
  speakerRight: 0,
  speakerTotal: 0,
  languageRight: 0,
  foreignContent: 0,
});

function add(a: OwnCounts, b: OwnCounts): void {
  for (const k of Object.keys(a) as (keyof OwnCounts)[]) a[k] += b[k];
}

const pct = (n: number, d: number): string => (d === 0 ? '   n/a' : ((100 * n) / d).toFixed(1).padStart(6));
const f1 = (tp: number, pred: number, gold: number): string =>
  pred + gold === 0 ? '   n/a' : ((200 * tp) / (pred + gold)).toFixed(1).padStart(6);
/** Quotation text as compared: spaces collapsed, trimmed. */
const norm = (s: string): string => s.replace(/\s+/g, ' ').trim();

function row(label: string, c: OwnCounts): string {
  return `${label.padEnd(30).slice(0, 30)} texts ${String(c.texts).padStart(2)}  charP ${pct(c.charTp, c.charPred)} charR ${pct(c.charFound, c.charGold)}  traps ${String(c.traps).padStart(2)}  quoteF1 ${f1(c.quoteTp, c.quotePred, c.quoteGold)}  speaker ${pct(c.speakerRight, c.speakerTotal)} (${c.speakerRight}/${c.speakerTotal})  language ${c.languageRight}/${c.texts}`;
}

/** Scores one annotated text; lists its errors when `verbose`. */
function evaluateOne(dir: string, gold: OwnGold, verbose: boolean): OwnCounts {
  const { text, from: annotatedFrom, annotated } = ownText(dir, gold);
  const full = analyzeText(text);
  // scored: the quotations of the annotated text, and the characters named in it
  const a = {
    ...full,
    quotes: full.quotes.filter((q) => q.start >= annotatedFrom),
    characters:
      annotatedFrom === 0 ? full.characters : full.characters.filter((ch) => [ch.name, ...ch.aliases].some((n) => annotated.includes(n))),
  };
  const c = zero();
  c.texts = 1;
  if (a.language === gold.language) c.languageRight = 1;
  if (gold.language !== 'en' && (a.rating.confidence > 0 || a.warnings.length > 0)) c.foreignContent = 1;
  const namesOf = (e: { name: string; aliases: string[] }): Set<string> => new Set([e.name, ...e.aliases].map((s) => s.toLowerCase()));
  const goldNames = gold.characters.map(namesOf);
  // a character matches when it shares a name or alias with a gold character, or is a word of its full name ("Priya" for "Priya Shah")
  const matchOf = (ch: { name: string; aliases: string[] }): number => {
    const mine = namesOf(ch);
    return gold.characters.findIndex(
      (g, k) => [...mine].some((n) => goldNames[k]!.has(n)) || g.name.toLowerCase().split(/\s+/).includes(ch.name.toLowerCase()),
    );
  };
  const found = new Set<number>();
  const errors: string[] = [];
  for (const ch of a.characters) {
    const k = matchOf(ch);
    if (k >= 0) {
      c.charTp++;
      found.add(k);
    } else errors.push(`false character ${ch.name}`);
    if (gold.not_characters.some((n) => namesOf(ch).has(n.toLowerCase()))) c.traps++;
  }
  c.charPred = a.characters.length;
  c.charFound = found.size;
  c.charGold = gold.characters.length;
  // quotations in order: each gold quotation takes the next predicted one with the same words
  c.quotePred = a.quotes.length;
  c.quoteGold = gold.quotes.length;
  let from = 0;
  for (const g of gold.quotes) {
    let k = from;
    while (k < a.quotes.length && norm(a.quotes[k]!.text) !== norm(g.text)) k++;
    const q = k < a.quotes.length ? a.quotes[k]! : undefined;
    if (q !== undefined) {
      c.quoteTp++;
      from = k + 1;
    } else errors.push(`missed quotation ${JSON.stringify(g.text)}`);
    if (g.speaker === null) continue;
    c.speakerTotal++;
    const goldIndex = matchOf({ name: g.speaker, aliases: [] });
    const predicted = q === undefined ? undefined : a.characters.find((ch) => ch.name === q.speaker);
    if (
      q !== undefined &&
      q.speaker !== null &&
      (q.speaker.toLowerCase() === g.speaker.toLowerCase() || (predicted !== undefined && matchOf(predicted) === goldIndex))
    )
      c.speakerRight++;
    else if (q !== undefined) errors.push(`wrong speaker ${JSON.stringify(g.text)} → ${q.speaker} (gold ${g.speaker}, ${q.method})`);
  }
  if (verbose && errors.length > 0) for (const e of errors) console.log(`      ${gold.text}: ${e}`);
  return c;
}

/** Runs the evaluation on every annotated text and prints its tables; returns the dev and test totals. */
export function evaluateOwnTexts(repoRoot: string, verbose: boolean): { dev: OwnCounts; test: OwnCounts } {
  const dir = ownDir(repoRoot);
  const golds = readOwnGolds(dir);
  console.log(
    `\nFanfold's own annotated texts (${golds.length} texts in test/fixtures/analysis: written for the test, and chapters of a public-domain novel read after the ones before them; the dev part was looked at while writing rules, the test part is frozen)`,
  );
  const bySplit = { dev: zero(), test: zero() };
  const byStyle = new Map<string, { dev: OwnCounts; test: OwnCounts }>();
  const byLanguage = new Map<string, { dev: OwnCounts; test: OwnCounts }>();
  const bucket = (m: Map<string, { dev: OwnCounts; test: OwnCounts }>, k: string): { dev: OwnCounts; test: OwnCounts } => {
    let b = m.get(k);
    if (b === undefined) m.set(k, (b = { dev: zero(), test: zero() }));
    return b;
  };
  for (const g of golds) {
    const c = evaluateOne(dir, g, verbose);
    console.log('  ' + row(`${g.split} ${g.text}`, c));
    add(bySplit[g.split], c);
    add(bucket(byStyle, g.style)[g.split], c);
    add(bucket(byLanguage, g.language)[g.split], c);
  }
  console.log('  by style (dev | test):');
  for (const [style, b] of [...byStyle].sort()) {
    console.log('    ' + row(`${style} dev`, b.dev));
    console.log('    ' + row(`${style} test`, b.test));
  }
  console.log('  by language (dev | test):');
  for (const [language, b] of [...byLanguage].sort()) {
    console.log('    ' + row(`${language} dev`, b.dev));
    console.log('    ' + row(`${language} test`, b.test));
  }
  const foreign = bySplit.dev.foreignContent + bySplit.test.foreignContent;
  console.log(`  non-English texts given a rating or warnings from English word lists: ${foreign}`);
  console.log('  ' + row('own texts, dev', bySplit.dev));
  console.log('  ' + row('own texts, test (frozen)', bySplit.test));
  return bySplit;
}

/** The summary line of a split, for the closing table. */
export function ownRow(label: string, c: OwnCounts): string {
  return row(label, c);
}
