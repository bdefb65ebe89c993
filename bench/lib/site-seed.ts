// An archive for the site-wide benches: `fanfold seed`'s synthetic works, then a reader with what
// a regular has (bookmarks, subscriptions, inbox items, a session) made through the same service
// functions the site's forms call, and other signed-in readers for load tests.
import { sql, type Kysely } from 'kysely';
import { createAccount, startSession } from '../../src/accounts/accounts.service.ts';
import { findViewerByUserId } from '../../src/accounts/accounts.repo.ts';
import { BookmarkFormSchema } from '../../src/bookmarks/bookmarks.schema.ts';
import { saveWorkBookmark } from '../../src/bookmarks/bookmarks.service.ts';
import type { Database } from '../../src/db/schema.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { addInboxItem } from '../../src/inbox/inbox.service.ts';
import { emptyFilters, toQueryString, type SearchFilters } from '../../src/search/search.schema.ts';
import { seedArchive, type SeedSummary } from '../../src/seed/seed.ts';
import { subscribe } from '../../src/subscriptions/subscriptions.service.ts';

export const BENCH_READER = 'benchreader';
/** A CSRF token of the accepted shape, sent as cookie and form field alike (double submit). */
export const BENCH_CSRF = 'benchcsrfbenchcsrfbenchcsrfbenchcsrfbenchcs';

export interface SiteSeedOptions {
  works: number;
  seed: number;
  /** Bookmarks, subscriptions and inbox items of the reader. */
  bookmarks?: number;
  workSubscriptions?: number;
  creatorSubscriptions?: number;
  inboxItems?: number;
  /** Other signed-in readers for a load test (accounts with sessions, no works). */
  otherReaders?: number;
  concurrency?: number;
  log?: (line: string) => void;
}

export interface SiteArchive {
  summary: SeedSummary;
  reader: { id: number; login: string; cookie: string };
  /** Cookies of the other signed-in readers, `ff_session=…; ff_csrf=…`. */
  otherReaders: string[];
  counts: { bookmarks: number; workSubscriptions: number; creatorSubscriptions: number; inboxItems: number; unread: number };
  /** The fandom with the most works, and how many it has. */
  topFandom: { name: string; works: number };
  /** Searches built from the archive's own tags: name and path. */
  searches: Array<{ name: string; path: string }>;
  /** Posted chapters' URLs, most read first (popularity by the seeded hits). */
  chapterPaths: string[];
  /** Posted work ids, most read first. */
  workIds: number[];
}

/** Migrates, seeds and adds the reader's belongings; returns what the benches request. */
export async function seedSiteArchive(db: Kysely<Database>, options: SiteSeedOptions): Promise<SiteArchive> {
  const log = options.log ?? (() => {});
  await migrateToLatest(db);
  const started = Date.now();
  const summary = await seedArchive(db, {
    works: options.works,
    seed: options.seed,
    concurrency: options.concurrency ?? 1,
    onProgress: (done, total) =>
      log(`seeding ${done.toLocaleString('en')}/${total.toLocaleString('en')} works (${Math.round((Date.now() - started) / 1000)} s)`),
  });
  const readerViewer = await createAccount(db, {
    login: BENCH_READER,
    email: 'benchreader@example.org',
    password: 'a long bench password',
  });
  const viewer = (await findViewerByUserId(db, readerViewer.id))!;

  const popular = await sql<{ id: number; user_id: number }>`
    select w.id, min(p.user_id) as user_id from works w
    join work_creators wc on wc.work_id = w.id join pseuds p on p.id = wc.pseud_id
    where not w.is_draft and not w.is_restricted
    group by w.id order by w.hits desc, w.id limit 400
  `.execute(db);
  const ids = popular.rows.map((r) => Number(r.id));

  const counts = { bookmarks: 0, workSubscriptions: 0, creatorSubscriptions: 0, inboxItems: 0, unread: 0 };
  for (const [i, workId] of ids.slice(0, options.bookmarks ?? 60).entries()) {
    const input = BookmarkFormSchema.parse({
      notes: `Bookmark ${i + 1}: read it twice.`,
      tags: i % 3 === 0 ? 'comfort read, reread' : 'to recommend',
      private: i % 10 === 9 ? '1' : undefined,
      rec: i % 4 === 0 ? '1' : undefined,
    });
    await saveWorkBookmark(db, viewer, workId, input);
    counts.bookmarks++;
  }
  for (const workId of ids.slice(100, 100 + (options.workSubscriptions ?? 30))) {
    await subscribe(db, viewer, { kind: 'work', id: workId });
    counts.workSubscriptions++;
  }
  const creators = [...new Set(popular.rows.map((r) => Number(r.user_id)))].slice(0, options.creatorSubscriptions ?? 10);
  for (const userId of creators) {
    await subscribe(db, viewer, { kind: 'creator', id: userId });
    counts.creatorSubscriptions++;
  }
  const inboxItems = options.inboxItems ?? 120;
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < inboxItems; i++) {
      const workId = ids[i % ids.length]!;
      await addInboxItem(trx, {
        userId: viewer.id,
        kind: i % 3 === 0 ? 'subscription.chapter' : 'kudos',
        workId,
        text: i % 3 === 0 ? `A new chapter of work ${workId} was posted.` : `Someone left kudos on work ${workId}.`,
        url: `/works/${workId}`,
      });
    }
  });
  counts.inboxItems = inboxItems;
  // Two thirds read, as an inbox that is looked at now and then.
  await sql`update inbox_items set read_at = now() where user_id = ${viewer.id} and id % 3 <> 0`.execute(db);
  counts.unread = Number(
    (await sql<{ n: number }>`select count(*)::int as n from inbox_items where user_id = ${viewer.id} and read_at is null`.execute(db))
      .rows[0]!.n,
  );

  const session = await startSession(db, viewer.id);
  // Other readers: accounts that wrote nothing (a creator cannot leave kudos on their own work),
  // made in bulk as the seed makes its creators, each with a session.
  const fans = Array.from({ length: options.otherReaders ?? 0 }, (_, i) => `benchfan${i + 1}`);
  const otherReaders: string[] = [];
  if (fans.length > 0) {
    await sql`
      insert into users (login, email, password_hash)
      select l, l || '@bench.invalid', '!bench-account-no-password' from unnest(${fans}::text[]) as l
    `.execute(db);
    await sql`insert into pseuds (user_id, name, is_default) select u.id, u.login, true from users u where u.login = any(${fans}::text[])`.execute(
      db,
    );
    const rows = await sql<{ id: number }>`select id from users where login = any(${fans}::text[]) order by id`.execute(db);
    for (const row of rows.rows) otherReaders.push(sessionCookie((await startSession(db, Number(row.id))).token));
  }

  const fandom = await sql<{ name: string; n: number }>`
    select t.name, count(*)::int as n from tags t join work_tags wt on wt.tag_id = t.id
    where t.type = 'fandom' and t.merger_id is null group by t.id, t.name order by n desc, t.id limit 1
  `.execute(db);
  const topFandom = { name: fandom.rows[0]!.name, works: Number(fandom.rows[0]!.n) };

  const chapters = await sql<{ work_id: number; id: number }>`
    select c.work_id, c.id from chapters c join works w on w.id = c.work_id
    where not w.is_draft and not w.is_restricted and c.posted
    order by w.hits desc, c.work_id, c.position limit 2000
  `.execute(db);

  return {
    summary,
    reader: { id: viewer.id, login: viewer.login, cookie: sessionCookie(session.token) },
    otherReaders,
    counts,
    topFandom,
    searches: await buildSearches(db, topFandom.name),
    chapterPaths: chapters.rows.map((c) => `/works/${c.work_id}/chapters/${c.id}?view_adult=true`),
    workIds: ids,
  };
}

/** The Cookie header of a signed-in reader: their session and a CSRF token for forms. */
export function sessionCookie(token: string): string {
  return `ff_session=${token}; ff_csrf=${BENCH_CSRF}`;
}

/** A small mix of what readers search for, from the seeded archive's own tags (as bench:search's mix, shorter). */
async function buildSearches(db: Kysely<Database>, topFandom: string): Promise<Array<{ name: string; path: string }>> {
  const topOf = async (type: string) =>
    (
      await sql<{ name: string }>`
        select t.name from tags t join work_tags wt on wt.tag_id = t.id
        where t.type = ${type} and t.merger_id is null group by t.id, t.name order by count(*) desc, t.id limit 1
      `.execute(db)
    ).rows[0]?.name ?? '';
  const relationship = await topOf('relationship');
  const inc = (type: 'fandom' | 'relationship' | 'character' | 'freeform', ...names: string[]) => ({
    fandom: [],
    relationship: [],
    character: [],
    freeform: [],
    any: [],
    [type]: names,
  });
  const mix: Array<{ name: string; filters: SearchFilters }> = [
    { name: 'all works, newest update', filters: emptyFilters({}) },
    { name: 'most popular fandom', filters: emptyFilters({ include: inc('fandom', topFandom) }) },
    { name: 'fandom + relationship', filters: emptyFilters({ include: { ...inc('fandom', topFandom), relationship: [relationship] } }) },
    { name: 'text: vampire library, best match', filters: emptyFilters({ q: 'vampire library', sort: 'best' }) },
    {
      name: 'rating + complete + words 1k–10k',
      filters: emptyFilters({ ratings: ['Teen And Up Audiences'], complete: 'complete', wordsFrom: 1000, wordsTo: 10000 }),
    },
    {
      name: 'fandom, freeforms excluded, by kudos',
      filters: emptyFilters({ include: inc('fandom', topFandom), exclude: inc('freeform', 'Angst'), sort: 'kudos' }),
    },
  ];
  return mix.map((m) => ({ name: m.name, path: `/works/search?${toQueryString(m.filters) || 'sort=updated'}` }));
}
