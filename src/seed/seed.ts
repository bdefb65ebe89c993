// A realistic synthetic archive, deterministic for a seed: Zipf-distributed fandoms, characters
// and relationships drawn within their fandoms, additional tags with synonyms, AO3-like
// ratings and warnings, long-tailed word/chapter/kudos/hit counts, dates over years. Loaded in
// bulk (one INSERT ... SELECT FROM unnest(arrays) per table per batch, one transaction a batch).
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { Random, Zipf } from './prng.ts';
import { fandomName, mediaOfFandom, FIRST_NAMES, FREEFORMS, LAST_NAMES, PROSE_WORDS, TITLE_PATTERNS, TITLE_WORDS } from './vocabulary.ts';

type Db = Kysely<Database>;

export interface SeedOptions {
  works: number;
  seed: number;
  /** Works per transaction. */
  batchSize?: number;
  /** One work in this many gets real-length chapter text (the rest short prose). */
  longTextEvery?: number;
  onProgress?: (done: number, total: number) => void;
  /** Batches written at once (PostgreSQL servers use one connection each; PGlite gains nothing). */
  concurrency?: number;
}

export interface SeedSummary {
  works: number;
  chapters: number;
  users: number;
  tags: number;
  seconds: number;
}

const RATINGS: ReadonlyArray<readonly [string, number]> = [
  ['General Audiences', 22],
  ['Teen And Up Audiences', 30],
  ['Mature', 14],
  ['Explicit', 24],
  ['Not Rated', 10],
];
const WARNING_SETS: ReadonlyArray<readonly [string[], number]> = [
  [['No Archive Warnings Apply'], 55],
  [['Creator Chose Not To Use Archive Warnings'], 28],
  [['Graphic Depictions Of Violence'], 7],
  [['Major Character Death'], 4],
  [['Graphic Depictions Of Violence', 'Major Character Death'], 3],
  [['Rape/Non-Con'], 1.5],
  [['Underage Sex'], 1],
  [['Creator Chose Not To Use Archive Warnings', 'Graphic Depictions Of Violence'], 0.5],
];
const CATEGORIES: ReadonlyArray<readonly [string, number]> = [
  ['M/M', 40],
  ['F/M', 22],
  ['Gen', 20],
  ['F/F', 8],
  ['Multi', 6],
  ['Other', 4],
];
const LANGUAGES: ReadonlyArray<readonly [string, number]> = [
  ['en', 90],
  ['es', 2.5],
  ['zh', 2],
  ['ru', 1.5],
  ['fr', 1.2],
  ['de', 1],
  ['pt-BR', 0.8],
  ['it', 0.5],
  ['ja', 0.5],
];

const START = Date.UTC(2009, 10, 14);
const END = Date.UTC(2025, 11, 31);

interface TagPlan {
  /** Name as posted → the id of the tag carrying that name. */
  ids: Map<string, number>;
  /** Tag id → canonical id. */
  canonical: Map<number, number>;
}

function key(type: string, name: string): string {
  return `${type}\u0000${name.toLowerCase()}`;
}

/** Inserts tags (skipping ones that exist) and returns type+name → id. */
async function ensureTags(db: Db, tags: Array<{ type: string; name: string; mergerKey?: string }>, plan: TagPlan): Promise<void> {
  const seen = new Set<string>();
  const fresh = tags.filter((t) => {
    const k = key(t.type, t.name);
    if (seen.has(k) || plan.ids.has(k)) return false;
    seen.add(k);
    return true;
  });
  for (let i = 0; i < fresh.length; i += 5000) {
    const chunk = fresh.slice(i, i + 5000);
    const mergerIds = chunk.map((t) => (t.mergerKey ? String(plan.ids.get(t.mergerKey) ?? '') : ''));
    await sql`
      insert into tags (type, name, canonical, merger_id, unwrangled, sortable_name)
      select t.type, t.name, t.merger = '', nullif(t.merger, '')::int, false, regexp_replace(lower(t.name), '^(the|a|an) ', '')
      from unnest(${chunk.map((t) => t.type)}::text[], ${chunk.map((t) => t.name)}::text[], ${mergerIds}::text[]) as t(type, name, merger)
      on conflict do nothing
    `.execute(db);
    const rows = await sql<{ id: number; type: string; name: string; merger_id: number | null }>`
      select id, type, name, merger_id from tags
      where (type, lower(name)) in (select * from unnest(${chunk.map((t) => t.type)}::text[], ${chunk.map((t) => t.name.toLowerCase())}::text[]))
    `.execute(db);
    for (const row of rows.rows) {
      plan.ids.set(key(row.type, row.name), row.id);
      plan.canonical.set(row.id, row.merger_id ?? row.id);
    }
  }
}

function title(random: Random): string {
  const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1);
  const a = random.pick(TITLE_WORDS);
  let b = random.pick(TITLE_WORDS);
  if (b === a) b = TITLE_WORDS[(TITLE_WORDS.indexOf(a) + 1) % TITLE_WORDS.length]!;
  return random.pick(TITLE_PATTERNS).replace('{a}', a).replace('{b}', b).replace('{A}', cap(a)).replace('{B}', cap(b));
}

function prose(random: Random, words: number, names: readonly string[]): string {
  const paragraphs: string[] = [];
  let left = words;
  while (left > 0) {
    const n = Math.min(left, random.int(25, 90));
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      const w = names.length > 0 && random.chance(0.04) ? random.pick(names) : random.pick(PROSE_WORDS);
      out.push(i === 0 ? w[0]!.toUpperCase() + w.slice(1) : w);
    }
    paragraphs.push(`<p>${out.join(' ')}.</p>`);
    left -= n;
  }
  return paragraphs.join('\n');
}

/** Builds the synthetic archive into the database; returns what it made. */
export async function seedArchive(db: Db, options: SeedOptions): Promise<SeedSummary> {
  const started = performance.now();
  const random = new Random(options.seed);
  const total = options.works;
  const batchSize = options.batchSize ?? 2000;
  const longTextEvery = options.longTextEvery ?? 500;

  // ── Creators ──
  const userCount = Math.max(5, Math.ceil(total / 15));
  const logins = Array.from({ length: userCount }, (_, i) => `s${options.seed}_writer${i}`);
  for (let i = 0; i < logins.length; i += 5000) {
    const chunk = logins.slice(i, i + 5000);
    await sql`
      insert into users (login, email, password_hash)
      select l, l || '@seed.invalid', '!seeded-account-no-password' from unnest(${chunk}::text[]) as l
      on conflict do nothing
    `.execute(db);
    await sql`
      insert into pseuds (user_id, name, is_default)
      select u.id, u.login, true from users u
      where u.login = any(${chunk}::text[]) and not exists (select 1 from pseuds p where p.user_id = u.id and p.is_default)
    `.execute(db);
  }
  const pseudIds: number[] = [];
  for (let i = 0; i < logins.length; i += 5000) {
    const chunk = logins.slice(i, i + 5000);
    const rows = await sql<{ login: string; id: number }>`
      select u.login, p.id from users u join pseuds p on p.user_id = u.id and p.is_default where u.login = any(${chunk}::text[])
    `.execute(db);
    const byLogin = new Map(rows.rows.map((r) => [r.login, r.id]));
    for (const l of chunk) pseudIds.push(byLogin.get(l)!);
  }
  const creatorZipf = new Zipf(userCount, 0.9);

  // ── Tags ──
  const plan: TagPlan = { ids: new Map(), canonical: new Map() };
  const fixed = await db.selectFrom('tags').select(['id', 'type', 'name']).where('type', 'in', ['rating', 'warning', 'category']).execute();
  for (const t of fixed) {
    plan.ids.set(key(t.type, t.name), t.id);
    plan.canonical.set(t.id, t.id);
  }
  const fandomCount = Math.max(10, Math.min(20000, Math.round(total / 60)));
  const fandoms = Array.from({ length: fandomCount }, (_, i) => fandomName(i));
  const characters: string[][] = [];
  const relationships: string[][] = [];
  for (let f = 0; f < fandomCount; f++) {
    // Big fandoms have big casts.
    const cast = Math.max(4, Math.min(60, Math.round(40 / (f + 1) ** 0.35) + random.int(0, 6)));
    const names: string[] = [];
    for (let j = 0; j < cast; j++) {
      const first = FIRST_NAMES[(f * 7 + j * 13) % FIRST_NAMES.length]!;
      const last = LAST_NAMES[(f * 11 + j * 17) % LAST_NAMES.length]!;
      const base = `${first} ${last}`;
      names.push(f < 43 ? base : `${base} (${fandoms[f]!.replace(/^The /, '').replace(/ [-(].*$/, '')})`);
    }
    characters.push([...new Set(names)]);
    const rels: string[] = [];
    const pairs = Math.max(3, Math.round(cast * 0.8));
    for (let j = 0; j < pairs; j++) {
      const a = names[j % names.length]!;
      const b = names[(j * 3 + 1) % names.length]!;
      if (a === b) continue;
      rels.push(`${a}${j % 4 === 3 ? ' & ' : '/'}${b}`);
    }
    relationships.push([...new Set(rels)]);
  }
  await ensureTags(
    db,
    fandoms.map((name) => ({ type: 'fandom', name })),
    plan,
  );
  await ensureTags(
    db,
    characters.flat().map((name) => ({ type: 'character', name })),
    plan,
  );
  await ensureTags(
    db,
    relationships.flat().map((name) => ({ type: 'relationship', name })),
    plan,
  );
  await ensureTags(
    db,
    FREEFORMS.map(([name]) => ({ type: 'freeform', name })),
    plan,
  );
  await ensureTags(
    db,
    FREEFORMS.flatMap(([canonical, ...synonyms]) =>
      synonyms.map((name) => ({ type: 'freeform', name, mergerKey: key('freeform', canonical) })),
    ),
    plan,
  );
  // Characters and relationships belong to their fandoms (the tag model's parent links).
  const parentPairs: Array<[number, number]> = [];
  for (let f = 0; f < fandomCount; f++) {
    const fid = plan.ids.get(key('fandom', fandoms[f]!))!;
    for (const c of characters[f]!) parentPairs.push([fid, plan.ids.get(key('character', c))!]);
    for (const r of relationships[f]!) parentPairs.push([fid, plan.ids.get(key('relationship', r))!]);
  }
  for (let i = 0; i < parentPairs.length; i += 10000) {
    const chunk = parentPairs.slice(i, i + 10000).filter(([p, c]) => p !== c);
    await sql`
      insert into tag_parents (parent_id, child_id, kind)
      select p, c, 'fandom' from unnest(${chunk.map((x) => x[0])}::int[], ${chunk.map((x) => x[1])}::int[]) as t(p, c)
      on conflict do nothing
    `.execute(db);
  }

  // Fandoms filed under their media (wrangling's media → fandom links), for the /media directories.
  const mediaIds = new Map(
    (await db.selectFrom('tags').select(['id', 'name']).where('type', '=', 'media').execute()).map((m) => [m.name, m.id]),
  );
  const mediaPairs: Array<[number, number]> = [];
  for (let f = 0; f < fandomCount; f++) {
    const fid = plan.ids.get(key('fandom', fandoms[f]!))!;
    for (const media of mediaOfFandom(f)) {
      const mid = mediaIds.get(media);
      if (mid !== undefined) mediaPairs.push([mid, fid]);
    }
  }
  for (let i = 0; i < mediaPairs.length; i += 10000) {
    const chunk = mediaPairs.slice(i, i + 10000);
    await sql`
      insert into tag_parents (parent_id, child_id, kind)
      select p, c, 'media' from unnest(${chunk.map((x) => x[0])}::int[], ${chunk.map((x) => x[1])}::int[]) as t(p, c)
      on conflict do nothing
    `.execute(db);
  }

  const fandomZipf = new Zipf(fandomCount, 1.0);
  const freeformZipf = new Zipf(FREEFORMS.length, 0.9);
  const tagId = (type: string, name: string) => plan.ids.get(key(type, name))!;
  const canonicalOf = (id: number) => plan.canonical.get(id) ?? id;

  // ── Works, in batches ──
  // Into an empty archive, GIN indexes are built once at the end (much faster than row by row),
  // from their own definitions, as pg_restore does.
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const inFlight: Promise<void>[] = [];
  const empty = (await sql<{ n: number }>`select count(*)::int as n from (select 1 from works limit 1) w`.execute(db)).rows[0]?.n === 0;
  const deferred =
    empty && total >= 20000
      ? (
          await sql<{ indexname: string; indexdef: string }>`
        select indexname, indexdef from pg_indexes
        where schemaname = current_schema() and tablename in ('works', 'chapters', 'work_tags') and indexdef like '%USING gin%'
      `.execute(db)
        ).rows
      : [];
  for (const index of deferred) await sql`drop index ${sql.id(index.indexname)}`.execute(db);
  let done = 0;
  let chaptersMade = 0;
  let lastReported = -1;
  while (done < total) {
    const n = Math.min(batchSize, total - done);
    const idRows = await sql<{
      id: number;
    }>`select nextval(pg_get_serial_sequence('works', 'id'))::int as id from generate_series(1, ${n})`.execute(db);
    const ids = idRows.rows.map((r) => Number(r.id));
    const w = {
      id: [] as number[],
      title: [] as string[],
      summary: [] as string[],
      language: [] as string[],
      complete: [] as boolean[],
      expected: [] as string[],
      draft: [] as boolean[],
      restricted: [] as boolean[],
      words: [] as number[],
      chapters: [] as number[],
      hits: [] as number[],
      kudos: [] as number[],
      comments: [] as number[],
      bookmarks: [] as number[],
      published: [] as string[],
      updated: [] as string[],
      filter: [] as string[],
      fandomCount: [] as number[],
    };
    const wc = { work: [] as number[], pseud: [] as number[], position: [] as number[] };
    const wt = { work: [] as number[], tag: [] as number[], position: [] as number[] };
    const ch = {
      work: [] as number[],
      position: [] as number[],
      title: [] as string[],
      body: [] as string[],
      words: [] as number[],
      published: [] as string[],
    };

    for (let k = 0; k < n; k++) {
      const id = ids[k]!;
      const posted: number[] = [];
      const f1 = fandomZipf.sample(random);
      const workFandoms = [f1];
      if (random.chance(0.07)) {
        const f2 = fandomZipf.sample(random);
        if (f2 !== f1) workFandoms.push(f2);
      }
      posted.push(tagId('rating', random.weighted(RATINGS)));
      for (const warning of random.weighted(WARNING_SETS)) posted.push(tagId('warning', warning));
      posted.push(tagId('category', random.weighted(CATEGORIES)));
      if (random.chance(0.12)) posted.push(tagId('category', random.weighted(CATEGORIES)));
      const names: string[] = [];
      for (const f of workFandoms) {
        posted.push(tagId('fandom', fandoms[f]!));
        const cast = characters[f]!;
        const castZipf = cast.length;
        const nChars = Math.min(cast.length, 1 + Math.floor(random.pareto(1.2, 2.5)));
        for (let j = 0; j < nChars; j++) {
          // Within a fandom, a few leads appear in most works (Zipf by position in the cast).
          const c = cast[Math.min(castZipf - 1, Math.floor(random.next() ** 2.2 * castZipf))]!;
          posted.push(tagId('character', c));
          names.push(c.split(' ')[0]!);
        }
        const rels = relationships[f]!;
        const nRels = random.chance(0.25) ? 0 : Math.min(rels.length, 1 + Math.floor(random.pareto(0.6, 2)));
        for (let j = 0; j < nRels; j++) posted.push(tagId('relationship', rels[Math.floor(random.next() ** 2 * rels.length)]!));
      }
      const nFree = Math.min(15, Math.floor(random.pareto(3, 2.2)));
      for (let j = 0; j < nFree; j++) {
        const variants = FREEFORMS[freeformZipf.sample(random)]!;
        // People often type a synonym; it resolves to the canonical in filters.
        const name = variants.length > 1 && random.chance(0.2) ? variants[random.int(1, variants.length - 1)]! : variants[0];
        posted.push(tagId('freeform', name));
      }
      const uniquePosted = [...new Set(posted)];
      const filter = [...new Set(uniquePosted.map(canonicalOf))].sort((a, b) => a - b);

      const words = Math.max(100, Math.min(600000, Math.round(random.logNormal(2500, 1.25))));
      const chapterCount = random.chance(0.62) ? 1 : Math.min(80, 2 + Math.floor(random.pareto(2, 1.6)));
      const expected = random.chance(0.75) ? chapterCount + (random.chance(0.3) ? random.int(1, 10) : 0) : null;
      const complete = expected !== null && chapterCount >= expected;
      // Posting grows over the years: later dates are likelier.
      const publishedAt = START + random.next() ** 0.7 * (END - START);
      const updatedAt = chapterCount > 1 ? Math.min(END, publishedAt + random.pareto(20, 1.5) * 86400000) : publishedAt;
      const kudos = Math.min(200000, Math.floor(random.pareto(15, 1.3)));
      const hits = Math.min(5000000, kudos * random.int(8, 40) + random.int(0, 400));
      const draft = random.chance(0.01);

      w.id.push(id);
      w.title.push(title(random));
      w.summary.push(`<p>${prose(random, random.int(12, 40), names).replace(/<\/?p>/g, '')}</p>`);
      w.language.push(random.weighted(LANGUAGES));
      w.complete.push(complete);
      w.expected.push(expected === null ? '' : String(expected));
      w.draft.push(draft);
      w.restricted.push(random.chance(0.05));
      w.words.push(words);
      w.chapters.push(chapterCount);
      w.hits.push(draft ? 0 : hits);
      w.kudos.push(draft ? 0 : kudos);
      w.comments.push(draft ? 0 : Math.floor(kudos * random.next() * 0.3));
      w.bookmarks.push(draft ? 0 : Math.floor(kudos * random.next() * 0.15));
      w.published.push(draft ? '' : new Date(publishedAt).toISOString());
      w.updated.push(new Date(updatedAt).toISOString());
      w.filter.push(`{${filter.join(',')}}`);
      w.fandomCount.push(workFandoms.length);

      wc.work.push(id);
      wc.pseud.push(pseudIds[creatorZipf.sample(random)]!);
      wc.position.push(0);
      if (random.chance(0.03)) {
        const co = pseudIds[random.int(0, pseudIds.length - 1)]!;
        if (co !== wc.pseud[wc.pseud.length - 1]) {
          wc.work.push(id);
          wc.pseud.push(co);
          wc.position.push(1);
        }
      }
      uniquePosted.forEach((tag, position) => {
        wt.work.push(id);
        wt.tag.push(tag);
        wt.position.push(position);
      });
      const long = (done + k) % longTextEvery === longTextEvery - 1;
      let left = words;
      for (let c = 1; c <= chapterCount; c++) {
        const share = c === chapterCount ? left : Math.max(1, Math.round(words / chapterCount));
        left -= share;
        ch.work.push(id);
        ch.position.push(c);
        ch.title.push(chapterCount > 1 && random.chance(0.4) ? title(random) : '');
        ch.body.push(prose(random, long ? Math.min(share, 20000) : random.int(30, 80), names));
        ch.words.push(Math.max(0, share));
        ch.published.push(new Date(publishedAt + ((updatedAt - publishedAt) * (c - 1)) / Math.max(1, chapterCount - 1)).toISOString());
        chaptersMade++;
      }
    }

    const write = db.transaction().execute(async (trx) => {
      await sql`
        insert into works (id, title, summary_html, language, is_complete, expected_chapters, is_draft, is_restricted, word_count, chapter_count,
          hits, kudos_count, comments_count, bookmarks_count, published_at, updated_at, created_at, filter_tag_ids, fandom_count)
        overriding system value
        select id, title, summary, language, complete, nullif(expected, '')::int, draft, restricted, words, chapters,
          hits, kudos, comments, bookmarks, nullif(published, '')::timestamptz, updated::timestamptz, coalesce(nullif(published, '')::timestamptz, updated::timestamptz),
          filter::int[], fandoms
        from unnest(${w.id}::int[], ${w.title}::text[], ${w.summary}::text[], ${w.language}::text[], ${w.complete}::bool[], ${w.expected}::text[],
          ${w.draft}::bool[], ${w.restricted}::bool[], ${w.words}::int[], ${w.chapters}::int[], ${w.hits}::int[], ${w.kudos}::int[],
          ${w.comments}::int[], ${w.bookmarks}::int[], ${w.published}::text[], ${w.updated}::text[], ${w.filter}::text[], ${w.fandomCount}::int[])
          as t(id, title, summary, language, complete, expected, draft, restricted, words, chapters, hits, kudos, comments, bookmarks, published, updated, filter, fandoms)
      `.execute(trx);
      await sql`
        insert into work_creators (work_id, pseud_id, position)
        select * from unnest(${wc.work}::int[], ${wc.pseud}::int[], ${wc.position}::int[])
      `.execute(trx);
      await sql`
        insert into work_tags (work_id, tag_id, position)
        select * from unnest(${wt.work}::int[], ${wt.tag}::int[], ${wt.position}::int[])
      `.execute(trx);
      await sql`
        insert into chapters (work_id, position, title, body_html, word_count, published_at, updated_at)
        select w, p, t, b, n, d::timestamptz, d::timestamptz
        from unnest(${ch.work}::int[], ${ch.position}::int[], ${ch.title}::text[], ${ch.body}::text[], ${ch.words}::int[], ${ch.published}::text[]) as x(w, p, t, b, n, d)
      `.execute(trx);
    });
    inFlight.push(write);
    if (inFlight.length >= concurrency) await inFlight.shift();
    done += n;
    const percent = Math.floor((done / total) * 100);
    if (options.onProgress && (percent >= lastReported + 5 || done === total)) {
      lastReported = percent;
      options.onProgress(done, total);
    }
  }
  await Promise.all(inFlight);
  for (const index of deferred) await sql.raw(index.indexdef).execute(db);
  await sql`analyze works`.execute(db);
  await sql`analyze chapters`.execute(db);
  await sql`analyze tags`.execute(db);
  await sql`analyze work_tags`.execute(db);
  await sql`analyze work_creators`.execute(db);
  return {
    works: total,
    chapters: chaptersMade,
    users: userCount,
    tags: plan.ids.size,
    seconds: Math.round((performance.now() - started) / 100) / 10,
  };
}
