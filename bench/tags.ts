// npm run bench:tags — the tag model's two hot paths on embedded PGlite (in memory):
//  1. autocomplete (`suggestTags`): prefix matches served by the (type, lower(name) text_pattern_ops)
//     index, against a baseline of the same query forced into a word-prefix scan of the type's tags;
//  2. wrangling a popular tag into a synonym: refreshFilterTagsOfTags over all its works, in one statement.
// Prints medians and the ratio to the baseline, with progress lines on stderr.
//
// Options (environment): BENCH_TAGS (default 100000), BENCH_WORKS (default 20000), BENCH_RUNS (default 200).
import { sql } from 'kysely';
import { openDatabase } from '../src/db/connection.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { refreshFilterTags, refreshFilterTagsOfTags } from '../src/tags/filter-tags.ts';
import { findAutocompleteTags } from '../src/tags/tags.repo.ts';
import { suggestTags } from '../src/tags/tags.service.ts';

const TAGS = positiveInt(process.env.BENCH_TAGS, 100_000);
const WORKS = positiveInt(process.env.BENCH_WORKS, 20_000);
const RUNS = positiveInt(process.env.BENCH_RUNS, 200);

function positiveInt(raw: string | undefined, fallback: number): number {
  const n = Number(raw);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}
const log = (m: string) => process.stderr.write(`[bench:tags] ${m}\n`);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)]!;

async function time(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const handle = await openDatabase({ dataDir: 'memory://' });
const db = handle.db;
await migrateToLatest(db);
log(`inserting ${TAGS} freeform tags (a tenth canonical, a tenth synonyms)`);
const syllables = [
  'vam',
  'pire',
  'ang',
  'st',
  'flu',
  'ff',
  'hur',
  't',
  'com',
  'fort',
  'ro',
  'man',
  'ce',
  'al',
  'ter',
  'nate',
  'uni',
  'verse',
  'do',
  'mes',
  'tic',
];
let seed = 42;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const word = () => Array.from({ length: 2 + Math.floor(rand() * 3) }, () => syllables[Math.floor(rand() * syllables.length)]).join('');
for (let start = 0; start < TAGS; start += 5000) {
  const values = [];
  for (let i = start; i < Math.min(TAGS, start + 5000); i++) {
    const name = `${word()} ${word()} ${i}`;
    values.push({ type: 'freeform' as const, name, sortable_name: name.toLowerCase(), canonical: i % 10 === 0, unwrangled: i % 10 > 1 });
  }
  await db.insertInto('tags').values(values).execute();
}
await sql`update tags set merger_id = id - 1 where type = 'freeform' and canonical = false and unwrangled = false`.execute(db);
await sql`analyze tags`.execute(db);

const terms = ['vam', 'ang', 'flufff', 'hurtcom', 'ro', 'uni', 'domes', 'al', 'tervam', 'x'];
log(`autocomplete: ${RUNS} runs over ${terms.length} terms`);
// A guest sees only canonical tags here (no work carries the others: src/tags/tags.policy.ts); an admin
// sees every tag, which measures the same query without the per-tag visibility probes.
const admin = await db
  .insertInto('users')
  .values({ login: 'bench_admin', email: 'bench_admin@example.org', password_hash: 'x', is_admin: true })
  .returning('id')
  .executeTakeFirstOrThrow();
const indexed: number[] = [];
const scanned: number[] = [];
const unchecked: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const term = terms[i % terms.length]!;
  indexed.push(await time(() => suggestTags(db, 'freeform', term, null)));
  scanned.push(await time(() => findAutocompleteTags(db, 'freeform', term, 'word', 15, null)));
  unchecked.push(await time(() => suggestTags(db, 'freeform', term, { id: admin.id })));
}
console.log(
  `autocomplete over ${TAGS} tags: suggestTags median ${median(indexed).toFixed(2)} ms (p95 ${p95(indexed).toFixed(2)} ms); ` +
    `baseline word-prefix scan median ${median(scanned).toFixed(2)} ms; ratio ${(median(scanned) / median(indexed)).toFixed(1)}x; ` +
    `for an admin (every tag visible) median ${median(unchecked).toFixed(2)} ms`,
);

log(`posting ${WORKS} works carrying one popular tag`);
const popular = await db
  .selectFrom('tags')
  .select('id')
  .where('type', '=', 'freeform')
  .where('canonical', '=', false)
  .where('merger_id', 'is', null)
  .orderBy('id')
  .executeTakeFirstOrThrow();
const target = await db
  .selectFrom('tags')
  .select('id')
  .where('canonical', '=', true)
  .where('type', '=', 'freeform')
  .orderBy('id')
  .executeTakeFirstOrThrow();
for (let start = 0; start < WORKS; start += 2000) {
  const rows = await db
    .insertInto('works')
    .values(Array.from({ length: Math.min(2000, WORKS - start) }, (_, i) => ({ title: `W${start + i}`, is_draft: false })))
    .returning('id')
    .execute();
  await db
    .insertInto('work_tags')
    .values(
      rows.flatMap((r) => [
        { work_id: r.id, tag_id: popular.id, position: 0 },
        { work_id: r.id, tag_id: 1 + (r.id % 17), position: 1 },
      ]),
    )
    .execute();
}
const all = (await db.selectFrom('works').select('id').execute()).map((r) => r.id);
const fill = await time(() => refreshFilterTags(db, all));
log(`filled filter_tag_ids of ${all.length} works in ${fill.toFixed(0)} ms`);
const wrangle: number[] = [];
for (let i = 0; i < 5; i++) {
  await db
    .updateTable('tags')
    .set({ merger_id: i % 2 === 0 ? target.id : null })
    .where('id', '=', popular.id)
    .execute();
  wrangle.push(await time(() => refreshFilterTagsOfTags(db, [popular.id, target.id])));
}
console.log(
  `synonym of a tag on ${WORKS} works: refreshFilterTagsOfTags median ${median(wrangle).toFixed(0)} ms (5 runs, with every trigger on works); ` +
    `per work ${((median(wrangle) / WORKS) * 1000).toFixed(1)} µs; first fill of ${all.length} works ${fill.toFixed(0)} ms`,
);
// The same with the search slice's per-row trigger (tsvector of tag names) off: the tag model's own SQL.
const hasTrigger = await sql<{ n: number }>`select count(*)::int as n from pg_trigger where tgname = 'works_search_update'`.execute(db);
if (hasTrigger.rows[0]!.n > 0) {
  await sql`alter table works disable trigger works_search_update`.execute(db);
  const bare: number[] = [];
  for (let i = 0; i < 5; i++) {
    await db
      .updateTable('tags')
      .set({ merger_id: i % 2 === 0 ? null : target.id })
      .where('id', '=', popular.id)
      .execute();
    bare.push(await time(() => refreshFilterTagsOfTags(db, [popular.id, target.id])));
  }
  await sql`alter table works enable trigger works_search_update`.execute(db);
  console.log(
    `  without the works_search_update trigger: median ${median(bare).toFixed(0)} ms; the trigger's share ${(1 - median(bare) / median(wrangle)).toLocaleString('en', { style: 'percent' })}`,
  );
}
await handle.close();
