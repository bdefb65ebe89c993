// How right are the proposals an author is shown? Runs the archive's own path (the text as the posting
// form stores it, the stored analysis, buildProposals) on the founding story and the own annotated
// texts (test/fixtures/analysis/, dev and frozen test apart), on an in-memory database whose canonical
// character tags are the founding story's expected names in its fandom, and prints precision of what
// is shown (confidence ≥ showThresholdOf(kind)) beside all proposals, per confidence bucket.
//   node --import tsx src/story-intelligence/proposals.eval.ts [--verbose]
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase } from '../../test/database.ts';
import { toChapterHtml } from '../works/text/index.ts';
import { analyzeChapterHtml } from './analyze-chapter.ts';
import { buildProposals, type Proposal, SHOW_THRESHOLD, SHOW_THRESHOLD_PEOPLE, showThresholdOf } from './story-intelligence.service.ts';
import { mergeChapterAnalyses } from './stored.ts';

const root = join(import.meta.dirname, '../../test/fixtures');
const verbose = process.argv.includes('--verbose');

interface Gold {
  name: string;
  split: 'founding' | 'dev' | 'test';
  text: string;
  format: 'plain' | 'html';
  characters: Array<{ name: string; aliases: string[] }>;
  quoteCounts: Map<string, number>;
  relationships?: Array<{ pair: string[]; kind: string }>;
  category?: string[];
  tagsPlausible?: string[];
}

function loadGold(): Gold[] {
  const founding = JSON.parse(readFileSync(join(root, '000_e9b62997e455ea94.expected.json'), 'utf8'));
  const quotes = new Map<string, number>();
  for (const q of founding.quotes as Array<{ speaker: string }>) quotes.set(q.speaker, (quotes.get(q.speaker) ?? 0) + 1);
  const out: Gold[] = [
    {
      name: 'founding story',
      split: 'founding',
      text: readFileSync(join(root, '000_e9b62997e455ea94.txt'), 'utf8'),
      format: 'plain',
      characters: founding.characters.filter((c: { role: string }) => c.role !== 'mentioned'),
      quoteCounts: quotes,
      relationships: founding.relationships,
      category: founding.category,
      tagsPlausible: founding.additional_tags_plausible,
    },
  ];
  const dir = join(root, 'analysis');
  for (const f of readdirSync(dir)
    .filter((x) => x.endsWith('.gold.json'))
    .sort()) {
    const g = JSON.parse(readFileSync(join(dir, f), 'utf8'));
    const counts = new Map<string, number>();
    for (const q of g.quotes as Array<{ speaker: string }>) counts.set(q.speaker, (counts.get(q.speaker) ?? 0) + 1);
    out.push({
      name: g.text,
      split: g.split,
      text: readFileSync(join(dir, g.text), 'utf8'),
      format: g.text.endsWith('.html') ? 'html' : 'plain',
      characters: g.characters,
      quoteCounts: counts,
      relationships: g.relationships,
    });
  }
  return out;
}

const namesOf = (c: { name: string; aliases: string[] }) => new Set([c.name, ...c.aliases].map((n) => n.toLowerCase()));
/** The gold character a proposed name is (by a shared name or alias, or a word of a full name), or -1. */
function goldIndex(gold: Gold, names: string[]): number {
  const keys = names.map((n) => n.toLowerCase());
  return gold.characters.findIndex((c) => {
    const g = namesOf(c);
    return keys.some((k) => g.has(k) || [...g].some((n) => n.split(' ').includes(k) && !k.includes(' ')));
  });
}

interface Tally {
  shown: number;
  shownRight: number;
  all: number;
  allRight: number;
}
const tally = (): Tally => ({ shown: 0, shownRight: 0, all: 0, allRight: 0 });
const count = (t: Tally, p: Proposal, right: boolean) => {
  t.all++;
  if (right) t.allRight++;
  if (p.confidence >= showThresholdOf(p.kind)) {
    t.shown++;
    if (right) t.shownRight++;
  }
};
const pct = (a: number, b: number) => (b === 0 ? '  n/a' : `${((100 * a) / b).toFixed(1)} %`);

async function main() {
  const handle = await createTestDatabase();
  const db = handle.db;
  const fandom = (
    await db
      .insertInto('tags')
      .values({ type: 'fandom', name: 'The Vampire Diaries (TV)', canonical: true })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  const founding = JSON.parse(readFileSync(join(root, '000_e9b62997e455ea94.expected.json'), 'utf8'));
  for (const c of founding.characters as Array<{ name: string }>) {
    const id = (
      await db.insertInto('tags').values({ type: 'character', name: c.name, canonical: true }).returning('id').executeTakeFirstOrThrow()
    ).id;
    await db.insertInto('tag_parents').values({ parent_id: fandom, child_id: id, kind: 'fandom' }).execute();
  }

  const groups = new Map<
    string,
    {
      characters: Tally;
      canonical: number;
      relationships: Tally;
      relationshipsStrict: Tally;
      frequent: number;
      frequentFound: number;
      goldFound: number;
      gold: number;
    }
  >();
  const buckets = new Map<number, { n: number; right: number }>();
  // relationship proposals by confidence, per split (the frozen test part is printed apart)
  const pairBuckets = new Map<string, Map<number, { n: number; right: number }>>();
  const freeformLines: string[] = [];
  for (const gold of loadGold()) {
    const stored = analyzeChapterHtml(toChapterHtml(gold.text, gold.format));
    const analysis = mergeChapterAnalyses([{ chapterId: 0, position: 1, analysis: stored }]);
    const proposals = await buildProposals(db, analysis, { names: new Map() }, new Set(), null);
    const key = gold.split;
    const g = groups.get(key) ?? {
      characters: tally(),
      canonical: 0,
      relationships: tally(),
      relationshipsStrict: tally(),
      frequent: 0,
      frequentFound: 0,
      goldFound: 0,
      gold: 0,
    };
    groups.set(key, g);
    const found = new Set<number>();
    const wrong: string[] = [];
    for (const p of proposals.filter((x) => x.kind === 'character')) {
      const detected = analysis.characters.find((c) => p.value === c.name || p.note.startsWith(`“${c.name}”`));
      const i = goldIndex(gold, [p.value, ...(detected ? [detected.name, ...detected.aliases.filter((a) => /^\p{Lu}/u.test(a))] : [])]);
      count(g.characters, p, i >= 0);
      const b = Math.round(p.confidence * 20) / 20;
      const bucket = buckets.get(b) ?? { n: 0, right: 0 };
      bucket.n++;
      if (i >= 0) bucket.right++;
      buckets.set(b, bucket);
      if (i >= 0 && p.confidence >= showThresholdOf(p.kind)) {
        found.add(i);
        if (gold.characters[i]!.name === p.value) g.canonical++;
      }
      if (i < 0) wrong.push(`${p.value} (${p.confidence})`);
      if (verbose && gold.split === 'founding') console.log(`  ${p.value} ${p.confidence}`);
    }
    g.gold += gold.characters.length;
    g.goldFound += found.size;
    gold.characters.forEach((c, i) => {
      // Gold quotations name their speaker by the character's gold name.
      if ((gold.quoteCounts.get(c.name) ?? 0) >= 10) {
        g.frequent++;
        if (found.has(i)) g.frequentFound++;
      }
    });
    if (gold.relationships) {
      // A proposed pair is right when both names are gold characters the text ties (any kind),
      // and it is romantic ("A/B") exactly when the gold pair is.
      const wrongPairs: string[] = [];
      for (const p of proposals.filter((x) => x.kind === 'relationship')) {
        const romantic = p.value.includes('/');
        const names = p.value.split(/\/| & /).map((n) => gold.characters[goldIndex(gold, [n.trim()])]?.name ?? null);
        const tie = gold.relationships.find((r) => r.pair.every((n) => names.includes(n)) && romantic === (r.kind === 'romantic'));
        const right = tie !== undefined;
        count(g.relationships, p, right);
        // strict: two people who only talk (a customer and a clerk) are no relationship to tag
        count(g.relationshipsStrict, p, right && tie.kind !== 'acquaintance');
        const split = pairBuckets.get(key) ?? new Map<number, { n: number; right: number }>();
        pairBuckets.set(key, split);
        const b = Math.round(p.confidence * 20) / 20;
        const bucket = split.get(b) ?? { n: 0, right: 0 };
        bucket.n++;
        if (right) bucket.right++;
        split.set(b, bucket);
        if (!right) wrongPairs.push(`${p.value} (${p.confidence})`);
      }
      if (verbose && wrongPairs.length > 0) console.log(`${gold.name}: pairs not in the gold: ${wrongPairs.join(', ')}`);
    }
    if (gold.tagsPlausible) {
      // The expected list names AO3's tags; the set's names map onto them (Grief → Grief/Mourning).
      const plausible = new Set(gold.tagsPlausible.map((n) => n.toLowerCase()));
      const inList = (v: string) => plausible.has(v.toLowerCase()) || [...plausible].some((n) => n.startsWith(`${v.toLowerCase()}/`));
      const shownTags = proposals.filter((p) => p.kind === 'freeform' && p.confidence >= showThresholdOf(p.kind));
      freeformLines.push(
        `${gold.name}: additional tags shown ${shownTags.length}, in the expected list ${shownTags.filter((p) => inList(p.value)).length}`,
      );
    }
    const shown = (kind: string) =>
      proposals
        .filter((p) => p.kind === kind)
        .map((p) => `${p.value} ${p.confidence}${p.confidence >= showThresholdOf(p.kind) ? '' : ' (less certain)'}`)
        .join(', ') || '—';
    freeformLines.push(
      `${gold.name.padEnd(24)} [${gold.split}] lang ${analysis.language}: category ${shown('category')}; fandom ${shown('fandom')}; additional ${shown('freeform')}`,
    );
    if (verbose && wrong.length > 0) console.log(`${gold.name}: not characters proposed: ${wrong.join(', ')}`);
  }
  console.log(
    `Proposals as the author sees them (characters and relationships shown at confidence ≥ ${SHOW_THRESHOLD_PEOPLE}, the rest at ≥ ${SHOW_THRESHOLD})\n`,
  );
  console.log(
    '| texts | characters shown: precision | all proposed: precision | gold characters found (shown) | with ≥ 10 quotations found | named exactly as gold (the canonical tag on the founding story) | relationships shown: precision | strict (an acquaintance is wrong) |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  const pairs = (t: Tally): string =>
    t.all === 0 ? 'no gold' : `${pct(t.shownRight, t.shown)} (${t.shownRight} of ${t.shown}; all proposed ${t.allRight} of ${t.all})`;
  for (const [key, g] of groups)
    console.log(
      `| ${key} | ${pct(g.characters.shownRight, g.characters.shown)} (${g.characters.shownRight} of ${g.characters.shown}) | ${pct(g.characters.allRight, g.characters.all)} (${g.characters.allRight} of ${g.characters.all}) | ${g.goldFound} of ${g.gold} | ${g.frequentFound} of ${g.frequent} | ${g.canonical} | ${pairs(g.relationships)} | ${pairs(g.relationshipsStrict)} |`,
    );
  console.log('\nCharacter proposals by confidence (all texts): confidence → right / proposed');
  for (const [b, x] of [...buckets.entries()].sort((p, q) => p[0] - q[0]))
    console.log(`  ${b.toFixed(2)}: ${x.right} / ${x.n} (${pct(x.right, x.n)})`);
  for (const [split, list] of pairBuckets) {
    console.log(`\nRelationship proposals by confidence (${split}): confidence → right / proposed`);
    for (const [b, x] of [...list.entries()].sort((p, q) => p[0] - q[0]))
      console.log(`  ${b.toFixed(2)}: ${x.right} / ${x.n} (${pct(x.right, x.n)})`);
  }
  console.log('\nCategory, fandom and additional tags per text:');
  for (const line of freeformLines) console.log(`  ${line}`);
  await handle.close();
}

await main();
