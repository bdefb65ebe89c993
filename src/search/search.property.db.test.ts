import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { DatabaseHandle } from '../db/connection.ts';
import { seedArchive } from '../seed/seed.ts';
import { createTestDatabase } from '../../test/database.ts';
import { emptyFilters, SORTS, type SearchFilters } from './search.schema.ts';
import { currentFacetIndex, ensureFacetIndex } from './facet-index-store.ts';
import { searchFacetIndex, type PhraseTuning } from './facet-search.ts';
import { readSearchGeneration } from './search.repo.ts';
import { resolveSearch, searchWorks } from './search.service.ts';
import { parseQuery } from './query-parser.ts';

interface Work {
  id: number;
  title: string;
  isDraft: boolean;
  isRestricted: boolean;
  isComplete: boolean;
  language: string;
  words: number;
  hits: number;
  kudos: number;
  comments: number;
  bookmarks: number;
  published: number;
  updated: number;
  tags: number[];
  fandomCount: number;
  creatorSort: string;
}

interface Tag {
  id: number;
  type: string;
  name: string;
}

const PER_PAGE = 10;
const FACETS = 10;

/** The search, done by hand over every work in plain TypeScript. */
function bruteForce(
  works: Work[],
  tags: Map<number, Tag>,
  f: SearchFilters,
  signedIn: boolean,
  kudosAtLeast: number | null,
  ratingIds: number[],
) {
  const day = (s: string) => Date.parse(`${s}T00:00:00Z`);
  const matches = works.filter((w) => {
    if (w.isDraft) return false;
    if (w.isRestricted && !signedIn) return false;
    if (!f.includeIds.every((id) => w.tags.includes(id))) return false;
    if (f.excludeIds.some((id) => w.tags.includes(id))) return false;
    if (ratingIds.length > 0 && !ratingIds.some((id) => w.tags.includes(id))) return false;
    if (f.crossover === 'exclude' && w.fandomCount > 1) return false;
    if (f.crossover === 'only' && w.fandomCount < 2) return false;
    if (f.complete === 'complete' && !w.isComplete) return false;
    if (f.complete === 'in_progress' && w.isComplete) return false;
    if (f.wordsFrom !== null && w.words < f.wordsFrom) return false;
    if (f.wordsTo !== null && w.words > f.wordsTo) return false;
    if (f.postedFrom !== null && w.published < day(f.postedFrom)) return false;
    if (f.postedTo !== null && w.published >= day(f.postedTo) + 86400000) return false;
    if (f.language !== '' && w.language.toLowerCase() !== f.language.toLowerCase()) return false;
    if (kudosAtLeast !== null && w.kudos < kudosAtLeast) return false;
    return true;
  });
  const key = (w: Work): number | string => {
    switch (f.sort) {
      case 'best':
      case 'updated':
        return w.updated;
      case 'creator':
        return w.creatorSort;
      case 'title':
        return w.title.toLowerCase();
      case 'posted':
        return w.published;
      case 'words':
        return w.words;
      case 'hits':
        return w.hits;
      case 'kudos':
        return w.kudos;
      case 'comments':
        return w.comments;
      case 'bookmarks':
        return w.bookmarks;
      case 'ratio':
        return w.kudos / Math.max(w.hits, 1);
    }
  };
  const sign = f.sort === 'best' ? -1 : f.direction === 'asc' ? 1 : -1;
  const cmp = (a: number | string, b: number | string) => (a < b ? -1 : a > b ? 1 : 0);
  matches.sort((a, b) => cmp(key(a), key(b)) * sign || (a.id - b.id) * sign);
  const counts = new Map<number, number>();
  for (const w of matches) for (const t of w.tags) counts.set(t, (counts.get(t) ?? 0) + 1);
  const byType = new Map<string, Array<{ id: number; name: string; n: number }>>();
  for (const [id, n] of counts) {
    const tag = tags.get(id)!;
    if (tag.type === 'media') continue;
    const list = byType.get(tag.type) ?? [];
    list.push({ id, name: tag.name, n });
    byType.set(tag.type, list);
  }
  const facets: string[] = [];
  for (const [type, list] of byType) {
    list.sort((a, b) => b.n - a.n || cmp(a.name, b.name) || a.id - b.id);
    for (const t of list.slice(0, FACETS)) facets.push(`${type}:${t.id}:${t.n}`);
  }
  const start = (f.page - 1) * PER_PAGE;
  return { ids: matches.slice(start, start + PER_PAGE).map((w) => w.id), total: matches.length, facets: facets.sort() };
}

describe('search matches a brute-force filter', () => {
  let handle: DatabaseHandle;
  let works: Work[];
  let tags: Map<number, Tag>;
  let ratingIds: Map<string, number>;

  before(async () => {
    handle = await createTestDatabase();
    await seedArchive(handle.db, { works: 300, seed: 11, batchSize: 100, longTextEvery: 100 });
    const rows = await handle.db.selectFrom('works').selectAll().execute();
    const fandomCounts = new Map(
      (
        await handle.db
          .selectFrom('works')
          .select(['id', (eb) => eb.ref('fandom_count' as never).as('fc')])
          .execute()
      ).map((r) => [r.id, Number(r.fc)]),
    );
    const creators = await handle.db
      .selectFrom('work_creators')
      .innerJoin('pseuds', 'pseuds.id', 'work_creators.pseud_id')
      .select(['work_creators.work_id', 'pseuds.name'])
      .execute();
    works = rows.map((r) => ({
      id: r.id,
      title: r.title,
      isDraft: r.is_draft,
      isRestricted: r.is_restricted,
      isComplete: r.is_complete,
      language: r.language,
      words: r.word_count,
      hits: r.hits,
      kudos: r.kudos_count,
      comments: r.comments_count,
      bookmarks: r.bookmarks_count,
      published: r.published_at ? new Date(r.published_at).getTime() : 0,
      updated: new Date(r.updated_at).getTime(),
      tags: r.filter_tag_ids.map(Number),
      fandomCount: fandomCounts.get(r.id)!,
      creatorSort: creators
        .filter((c) => c.work_id === r.id)
        .map((c) => c.name.toLowerCase())
        .sort()[0]!,
    }));
    tags = new Map((await handle.db.selectFrom('tags').select(['id', 'type', 'name']).execute()).map((t) => [t.id, t]));
    ratingIds = new Map([...tags.values()].filter((t) => t.type === 'rating').map((t) => [t.name, t.id]));
    assert.ok(
      works.some((w) => w.isDraft) && works.some((w) => w.isRestricted) && works.some((w) => w.fandomCount > 1),
      'the archive has drafts, restricted works and crossovers',
    );
    assert.ok(await ensureFacetIndex(handle.db), 'the facet index builds');
  });
  after(() => handle.close());

  it('returns the same works in the same order with the same sidebar counts', async () => {
    const usedTags = [...new Set(works.flatMap((w) => w.tags))].sort((a, b) => a - b);
    const days = works.map((w) => new Date(w.published).toISOString().slice(0, 10)).filter((d) => d > '2000');
    const arbitrary = fc.record({
      includeIds: fc.uniqueArray(fc.constantFrom(...usedTags), { maxLength: 2 }),
      excludeIds: fc.uniqueArray(fc.constantFrom(...usedTags), { maxLength: 3 }),
      ratings: fc.uniqueArray(fc.constantFrom(...ratingIds.keys()), { maxLength: 2 }),
      crossover: fc.constantFrom('include' as const, 'exclude' as const, 'only' as const),
      complete: fc.constantFrom('any' as const, 'complete' as const, 'in_progress' as const),
      wordsFrom: fc.option(fc.integer({ min: 0, max: 20000 }), { nil: null }),
      wordsTo: fc.option(fc.integer({ min: 500, max: 100000 }), { nil: null }),
      postedFrom: fc.option(fc.constantFrom(...days), { nil: null }),
      postedTo: fc.option(fc.constantFrom(...days), { nil: null }),
      language: fc.constantFrom('', '', 'en', 'es'),
      sort: fc.constantFrom(...SORTS),
      direction: fc.constantFrom('asc' as const, 'desc' as const),
      page: fc.integer({ min: 1, max: 3 }),
      signedIn: fc.boolean(),
      kudosAtLeast: fc.option(fc.integer({ min: 0, max: 60 }), { nil: null }),
      cache: fc.boolean(),
      index: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(arbitrary, async (a) => {
        const filters = emptyFilters({
          includeIds: a.includeIds,
          excludeIds: a.excludeIds.filter((id) => !a.includeIds.includes(id)),
          ratings: a.ratings,
          crossover: a.crossover,
          complete: a.complete,
          wordsFrom: a.wordsFrom,
          wordsTo: a.wordsTo,
          postedFrom: a.postedFrom,
          postedTo: a.postedTo,
          language: a.language,
          sort: a.sort,
          direction: a.direction,
          page: a.page,
          q: a.kudosAtLeast === null ? '' : `kudos:>=${a.kudosAtLeast}`,
        });
        const viewer = a.signedIn ? { id: 1 } : null;
        const got = await searchWorks(handle.db, viewer, filters, {
          perPage: PER_PAGE,
          facetsPerType: FACETS,
          cache: a.cache,
          index: a.index,
        });
        const expected = bruteForce(
          works,
          tags,
          filters,
          a.signedIn,
          a.kudosAtLeast,
          a.ratings.map((r) => ratingIds.get(r)!),
        );
        assert.deepEqual(
          got.rows.map((r) => r.id),
          expected.ids,
        );
        assert.equal(got.total, expected.total);
        assert.deepEqual(got.facets.map((t) => `${t.type}:${t.id}:${t.n}`).sort(), expected.facets);
        if (a.index) {
          // The in-memory path itself (searchWorks may have answered from SQL).
          const index = (await currentFacetIndex(handle.db, await readSearchGeneration(handle.db))) ?? (await ensureFacetIndex(handle.db))!;
          index.countersAt = Date.now();
          const { resolved } = await resolveSearch(handle.db, filters, viewer, parseQuery(filters.q));
          const mem = await searchFacetIndex(handle.db, index, resolved, filters.page, PER_PAGE, FACETS);
          assert.ok(mem);
          if (filters.sort === 'creator') assert.equal(mem.ids, null, 'creator order is computed in SQL');
          else assert.deepEqual(mem.ids, expected.ids);
          assert.equal(mem.total, expected.total);
          assert.deepEqual(mem.facets.map((t) => `${t.type}:${t.id}:${t.n}`).sort(), expected.facets);
        }
      }),
      { numRuns: 80, seed: 20261125 },
    );
  });

  it('gives a listing scope (a tag, some pseuds, some works) exactly the works a brute-force filter does, from the index and from SQL', async () => {
    const credits = await handle.db.selectFrom('work_creators').select(['work_id', 'pseud_id']).execute();
    const pseudIds = [...new Set(credits.map((c) => c.pseud_id))].sort((a, b) => a - b);
    const usedTags = [...new Set(works.flatMap((w) => w.tags))].sort((a, b) => a - b);
    const arbitrary = fc.record({
      pseuds: fc.option(fc.uniqueArray(fc.constantFrom(...pseudIds), { minLength: 1, maxLength: 3 }), { nil: null }),
      scopeTag: fc.option(fc.constantFrom(...usedTags), { nil: null }),
      workIds: fc.option(fc.uniqueArray(fc.constantFrom(...works.map((w) => w.id)), { maxLength: 40 }), { nil: null }),
      excludeIds: fc.uniqueArray(fc.constantFrom(...usedTags), { maxLength: 2 }),
      sort: fc.constantFrom(...SORTS),
      page: fc.integer({ min: 1, max: 2 }),
      signedIn: fc.boolean(),
      index: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(arbitrary, async (a) => {
        const filters = emptyFilters({ excludeIds: a.excludeIds.filter((id) => id !== a.scopeTag), sort: a.sort, page: a.page });
        const got = await searchWorks(handle.db, a.signedIn ? { id: 1 } : null, filters, {
          perPage: PER_PAGE,
          facetsPerType: FACETS,
          index: a.index,
          scope: {
            ...(a.scopeTag === null ? {} : { tagIds: [a.scopeTag] }),
            ...(a.pseuds === null ? {} : { pseudIds: a.pseuds }),
            ...(a.workIds === null ? {} : { workIds: a.workIds }),
          },
        });
        const credited = new Set(credits.filter((c) => a.pseuds?.includes(c.pseud_id)).map((c) => c.work_id));
        const expected = bruteForce(
          works.filter((w) => (a.pseuds === null || credited.has(w.id)) && (a.workIds === null || a.workIds.includes(w.id))),
          tags,
          { ...filters, includeIds: a.scopeTag === null ? [] : [a.scopeTag] },
          a.signedIn,
          null,
          [],
        );
        assert.deepEqual(
          got.rows.map((r) => r.id),
          expected.ids,
        );
        assert.equal(got.total, expected.total);
        assert.deepEqual(got.facets.map((t) => `${t.type}:${t.id}:${t.n}`).sort(), expected.facets);
      }),
      { numRuns: 40, seed: 20261206 },
    );
  });

  for (const index of [false, true])
    it(`never shows drafts, and restricted works only to signed-in readers, in results or counts (facet index ${index ? 'on' : 'off'})`, async () => {
      if (index) await ensureFacetIndex(handle.db);
      const all = emptyFilters({ sort: 'posted' });
      const asGuest = await searchWorks(handle.db, null, all, { perPage: 1000, cache: false, index });
      const asReader = await searchWorks(handle.db, { id: 1 }, all, { perPage: 1000, cache: false, index });
      const drafts = new Set(works.filter((w) => w.isDraft).map((w) => w.id));
      const restricted = new Set(works.filter((w) => w.isRestricted && !w.isDraft).map((w) => w.id));
      assert.ok(asGuest.rows.every((r) => !drafts.has(r.id) && !restricted.has(r.id)));
      assert.ok(asReader.rows.every((r) => !drafts.has(r.id)));
      assert.equal(asReader.rows.filter((r) => restricted.has(r.id)).length, restricted.size);
      assert.equal(asGuest.total, works.length - drafts.size - restricted.size);
      assert.equal(asReader.total, works.length - drafts.size);
      const ratingTotal = (facets: typeof asGuest.facets) => facets.filter((t) => t.type === 'rating').reduce((sum, t) => sum + t.n, 0);
      assert.equal(ratingTotal(asGuest.facets), asGuest.total);
      assert.equal(ratingTotal(asReader.facets), asReader.total);
    });

  it('never serves a cached count or page after a write that changes it', async () => {
    const filters = emptyFilters({ sort: 'posted' });
    const first = await searchWorks(handle.db, null, filters, { cache: true });
    const again = await searchWorks(handle.db, null, filters, { cache: true });
    assert.equal(again.total, first.total);
    const target = first.rows[0]!.id;
    await handle.db.updateTable('works').set({ is_restricted: true }).where('id', '=', target).execute();
    try {
      const after = await searchWorks(handle.db, null, filters, { cache: true });
      assert.equal(after.total, first.total - 1);
      assert.ok(!after.rows.some((r) => r.id === target));
      const ratings = after.facets.filter((t) => t.type === 'rating').reduce((sum, t) => sum + t.n, 0);
      assert.equal(ratings, after.total);
    } finally {
      await handle.db.updateTable('works').set({ is_restricted: false }).where('id', '=', target).execute();
    }
    assert.equal((await searchWorks(handle.db, null, filters, { cache: true })).total, first.total);
  });

  it('hides a work at once: the index catches up from the change log, and stays exact for tags', async () => {
    const filters = emptyFilters({ sort: 'updated' });
    const before = await ensureFacetIndex(handle.db);
    assert.ok(before);
    const first = await searchWorks(handle.db, null, filters, { cache: false, index: true });
    const target = first.rows[0]!.id;
    const targetTags = works.find((w) => w.id === target)!.tags;
    await handle.db.insertInto('hidden_works').values({ work_id: target, reason: 'property test' }).execute();
    try {
      const caught = await currentFacetIndex(handle.db, await readSearchGeneration(handle.db));
      assert.ok(caught && caught !== before && caught.retired === before.retired + 1, 'caught up by retiring one position, not rebuilt');
      const fresh = await searchWorks(handle.db, null, filters, { cache: false, index: true });
      assert.equal(fresh.total, first.total - 1);
      assert.ok(!fresh.rows.some((r) => r.id === target));
      const { resolved } = await resolveSearch(handle.db, emptyFilters({ includeIds: [targetTags[0]!] }), null, null);
      const mem = await searchFacetIndex(handle.db, caught, resolved, 1, 1000, FACETS);
      assert.ok(mem?.ids && !mem.ids.includes(target), 'the hidden work is not found through its tags either');
    } finally {
      await handle.db.deleteFrom('hidden_works').where('work_id', '=', target).execute();
    }
    const back = await searchWorks(handle.db, null, filters, { cache: false, index: true });
    assert.deepEqual(
      back.rows.map((r) => r.id),
      first.rows.map((r) => r.id),
    );
    assert.equal(back.total, first.total);
  });

  it('finds phrases from the index, checking them in order only until the page is full, with exactly the works and order SQL gives', async () => {
    await ensureFacetIndex(handle.db);
    // Phrases that occur: pairs of adjacent words from posted chapters.
    const texts = await handle.db.selectFrom('chapters').select('body_html').where('posted', '=', true).orderBy('id').limit(30).execute();
    const phrases = new Set<string>(['old library', 'the library']);
    for (const { body_html } of texts) {
      const words = body_html
        .replace(/<[^>]*>/g, ' ')
        .split(/[^A-Za-z]+/)
        .filter((w) => w !== '');
      for (let k = 0; k + 1 < words.length && phrases.size < 60; k += 97) phrases.add(`${words[k]} ${words[k + 1]}`.toLowerCase());
    }
    const sorts = SORTS.filter((s) => s !== 'creator');
    const arbitrary = fc.record({
      phrase: fc.constantFrom(...phrases),
      rest: fc.constantFrom('', ' tea', ' -library', ' kudos:>=3', ' OR tea', ' "a cup"'),
      ratings: fc.uniqueArray(fc.constantFrom(...ratingIds.keys()), { maxLength: 2 }),
      sort: fc.constantFrom(...sorts),
      direction: fc.constantFrom('asc' as const, 'desc' as const),
      page: fc.integer({ min: 1, max: 3 }),
      signedIn: fc.boolean(),
      tuning: fc.record({
        exactUpTo: fc.constantFrom(0, 0, 5, 100_000),
        firstBatch: fc.integer({ min: 1, max: 40 }),
        sample: fc.integer({ min: 0, max: 30 }),
        orderedShare: fc.constantFrom(0.25, 1),
      }),
    });
    let estimated = 0;
    await fc.assert(
      fc.asyncProperty(arbitrary, async (a) => {
        const filters = emptyFilters({
          q: `"${a.phrase}"${a.rest}`,
          ratings: a.ratings,
          sort: a.sort,
          direction: a.direction,
          page: a.page,
        });
        const viewer = a.signedIn ? { id: 1 } : null;
        const label = `${filters.q} by ${a.sort} ${a.direction}, page ${a.page}`;
        const expected = await searchWorks(handle.db, viewer, filters, {
          perPage: PER_PAGE,
          facetsPerType: FACETS,
          cache: false,
          index: false,
        });
        const index = (await currentFacetIndex(handle.db, await readSearchGeneration(handle.db)))!;
        index.countersAt = Date.now();
        const { resolved } = await resolveSearch(handle.db, filters, viewer, parseQuery(filters.q));
        const tuning: PhraseTuning = a.tuning;
        const mem = await searchFacetIndex(handle.db, index, resolved, a.page, PER_PAGE, FACETS, { estimate: true, phraseTuning: tuning });
        assert.ok(mem, label);
        // Every work shown holds the phrase, in exactly the order SQL gives.
        assert.deepEqual(
          mem.ids,
          expected.rows.map((r) => r.id),
          label,
        );
        assert.equal(mem.hasNext, expected.hasNext, label);
        if (mem.totalEstimated) {
          estimated++;
          assert.ok(
            mem.total >= (a.page - 1) * PER_PAGE + mem.ids!.length + (mem.hasNext ? 1 : 0),
            `${label}: the estimate covers the works shown`,
          );
        } else {
          assert.equal(mem.total, expected.total, label);
          assert.deepEqual(mem.facets, expected.facets, label);
        }
        // Without leave to estimate, the same search is exact.
        const exact = await searchFacetIndex(handle.db, index, resolved, a.page, PER_PAGE, FACETS);
        assert.ok(exact && !exact.totalEstimated, label);
        assert.equal(exact.total, expected.total, label);
        assert.deepEqual(exact.ids, mem.ids, label);
      }),
      { numRuns: 80, seed: 20261206 },
    );
    assert.ok(estimated > 0, 'some searches stopped early with an estimated total');
  });

  it('answers free-text, title and creator queries from the index exactly as from SQL', async () => {
    await ensureFacetIndex(handle.db);
    const creator = (await handle.db.selectFrom('pseuds').select('name').orderBy('id').executeTakeFirstOrThrow()).name;
    const word = works
      .find((w) => !w.isDraft)!
      .title.split(/\s+/)[0]!
      .toLowerCase();
    const totals: number[] = [];
    const queries = [
      'library',
      '"the library"',
      'the',
      `-library ${word}`,
      `library OR tea`,
      `title:${word}`,
      `creator:"${creator}"`,
      `(library OR tea) -kudos:>=5 words:<5000`,
    ];
    for (const q of queries) {
      for (const sort of ['best', 'updated', 'kudos', 'title'] as const) {
        const filters = emptyFilters({ q, sort, direction: 'desc' });
        for (const viewer of [null, { id: 1 }]) {
          const sqlResult = await searchWorks(handle.db, viewer, filters, { perPage: PER_PAGE, cache: false, index: false });
          const memResult = await searchWorks(handle.db, viewer, filters, { perPage: PER_PAGE, cache: false, index: true });
          const label = `${q} by ${sort}, ${viewer ? 'member' : 'guest'}`;
          assert.deepEqual(
            memResult.rows.map((r) => r.id),
            sqlResult.rows.map((r) => r.id),
            label,
          );
          assert.equal(memResult.total, sqlResult.total, label);
          totals.push(memResult.total);
          assert.deepEqual(memResult.facets, sqlResult.facets, label);
          assert.deepEqual([...memResult.snippets], [...sqlResult.snippets], label);
        }
      }
    }
    assert.ok(totals.some((t) => t > 0) && totals.some((t) => t === 0 || t < works.length / 2), 'the queries match some works, not all');
  });
});
