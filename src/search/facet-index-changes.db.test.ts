import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../db/connection.ts';
import { seedArchive } from '../seed/seed.ts';
import { createTestDatabase } from '../../test/database.ts';
import { emptyFilters, type SearchFilters } from './search.schema.ts';
import type { FacetIndex } from './facet-index.ts';
import {
  configureFacetIndex,
  currentFacetIndex,
  DEFAULT_MAX_TEXT_POSTINGS,
  dropFacetIndex,
  ensureFacetIndex,
} from './facet-index-store.ts';
import { readSearchGeneration } from './search.repo.ts';
import { searchWorks } from './search.service.ts';

// The facet index catches up with writes from the change log (decision 021) instead of
// rebuilding: after each kind of write, the index must answer exactly as SQL does.

async function copyWork(handle: DatabaseHandle, sourceId: number, body: string): Promise<number> {
  const columns = await sql<{ column_name: string }>`
    select column_name from information_schema.columns
    where table_name = 'works' and table_schema = current_schema() and column_name not in ('id', 'search_vector')
      and is_generated = 'NEVER'
  `.execute(handle.db);
  const list = sql.raw(columns.rows.map((c) => `"${c.column_name}"`).join(', '));
  const inserted = await sql<{
    id: number;
  }>`insert into works (${list}) select ${list} from works where id = ${sourceId} returning id`.execute(handle.db);
  const id = inserted.rows[0]!.id;
  await sql`insert into chapters (work_id, position, title, body_html, word_count) values (${id}, 1, '', ${body}, 2)`.execute(handle.db);
  await sql`insert into work_creators (work_id, pseud_id) select ${id}, pseud_id from work_creators where work_id = ${sourceId}`.execute(
    handle.db,
  );
  return id;
}

describe('the facet index follows writes through the change log', () => {
  let handle: DatabaseHandle;

  before(async () => {
    handle = await createTestDatabase();
    await seedArchive(handle.db, { works: 120, seed: 7, batchSize: 60, longTextEvery: 60 });
  });
  after(() => handle.close());

  async function caughtUp(): Promise<FacetIndex> {
    const index = await currentFacetIndex(handle.db, await readSearchGeneration(handle.db));
    assert.ok(index, 'the index answers at the current generation');
    return index;
  }

  async function assertSameAsSql(label: string, searches: SearchFilters[]): Promise<void> {
    for (const filters of searches) {
      for (const viewer of [null, { id: 1 }]) {
        const fromSql = await searchWorks(handle.db, viewer, filters, { cache: false, index: false, perPage: 10 });
        const fromIndex = await searchWorks(handle.db, viewer, filters, { cache: false, index: true, perPage: 10 });
        const what = `${label}: ${JSON.stringify({ q: filters.q, sort: filters.sort, include: filters.includeIds, page: filters.page })} as ${viewer ? 'member' : 'guest'}`;
        assert.deepEqual(
          fromIndex.rows.map((r) => r.id),
          fromSql.rows.map((r) => r.id),
          what,
        );
        assert.equal(fromIndex.total, fromSql.total, what);
        assert.deepEqual(fromIndex.facets, fromSql.facets, what);
      }
    }
  }

  it('retires and appends changed works, and stays exact for filters, text, sorts and counts', async () => {
    const built = await ensureFacetIndex(handle.db);
    assert.ok(built);
    // Title order is read from SQL once; later it must follow retitled and new works by itself.
    await searchWorks(handle.db, null, emptyFilters({ sort: 'title', direction: 'asc' }), { cache: false, index: true });
    assert.ok(built.titlePerm(), 'the title order is loaded');
    const ids = (await handle.db.selectFrom('works').select('id').where('is_draft', '=', false).orderBy('id').execute()).map((r) => r.id);
    const [hidden, restricted, retagged, rewritten, unposted, deleted, source, retitled] = ids;
    const someTag = (await sql<{ t: number }>`select filter_tag_ids[1] as t from works where id = ${ids[20]!}`.execute(handle.db)).rows[0]!
      .t;

    await handle.db.insertInto('hidden_works').values({ work_id: hidden!, reason: 'change log test' }).execute();
    await handle.db.updateTable('works').set({ is_restricted: true }).where('id', '=', restricted!).execute();
    await sql`update works set filter_tag_ids = array[${someTag}]::int[] where id = ${retagged!}`.execute(handle.db);
    await sql`update chapters set body_html = '<p>The zanzibar lighthouse keeper.</p>' where work_id = ${rewritten!}`.execute(handle.db);
    await sql`update chapters set body_html = '<p>A zanzibar secret.</p>' where work_id = ${unposted!}`.execute(handle.db);
    await sql`update chapters set posted = false where work_id = ${unposted!}`.execute(handle.db);
    await handle.db.deleteFrom('works').where('id', '=', deleted!).execute();
    await handle.db
      .updateTable('works')
      .set({ title: '!Aardvark, first in title order', is_restricted: false })
      .where('id', '=', retitled!)
      .execute();
    const added = await copyWork(handle, source!, '<p>Zanzibar again, and a lighthouse.</p>');

    const index = await caughtUp();
    assert.ok(
      index !== built && index.retired >= 7 && index.n === built.n + 7,
      `caught up by appending (n ${built.n} → ${index.n}, retired ${index.retired})`,
    );

    const found = await searchWorks(handle.db, null, emptyFilters({ q: 'zanzibar', sort: 'best' }), { cache: false, index: true });
    assert.deepEqual(new Set(found.rows.map((r) => r.id)), new Set([rewritten!, added]), 'new text is found; unposted text is not');

    const byTitle = await searchWorks(handle.db, null, emptyFilters({ sort: 'title', direction: 'asc' }), { cache: false, index: true });
    assert.equal(byTitle.rows[0]!.id, retitled, 'the retitled work moved to the front');
    assert.ok(index.titlePerm(), 'merged, not read again');
    await assertSameAsSql('after writes', [
      emptyFilters({}),
      emptyFilters({ sort: 'kudos' }),
      emptyFilters({ sort: 'title', direction: 'asc' }),
      emptyFilters({ sort: 'title', direction: 'desc', page: 3 }),
      emptyFilters({ sort: 'words', page: 2 }),
      emptyFilters({ includeIds: [someTag] }),
      emptyFilters({ q: 'zanzibar lighthouse', sort: 'best' }),
      emptyFilters({ q: 'zanzibar OR library', sort: 'best' }),
      emptyFilters({ q: '-zanzibar', sort: 'updated' }),
      emptyFilters({ q: '"lighthouse keeper"', sort: 'best' }),
      // Phrases among other filters are checked on the works the rest leaves (by id).
      emptyFilters({ q: '"the library" -zanzibar', sort: 'best' }),
      emptyFilters({ q: '"old library" -zanzibar', sort: 'best' }),
      emptyFilters({ q: '"the library"', includeIds: [someTag], sort: 'kudos' }),
      emptyFilters({ q: '"lighthouse keeper" zanzibar words:<100000', sort: 'updated' }),
      emptyFilters({ q: '"the library" OR "lighthouse keeper"', sort: 'best' }),
      emptyFilters({ q: '-"the library"', sort: 'posted' }),
    ]);

    // A second round of writes on already-moved works: positions move again.
    await handle.db.deleteFrom('hidden_works').where('work_id', '=', hidden!).execute();
    await sql`update chapters set body_html = '<p>Only a lighthouse now.</p>' where work_id = ${added}`.execute(handle.db);
    const again = await caughtUp();
    assert.ok(again.n === index.n + 2);
    await assertSameAsSql('after a second round', [
      emptyFilters({}),
      emptyFilters({ q: 'zanzibar', sort: 'best' }),
      emptyFilters({ q: 'lighthouse', sort: 'best' }),
    ]);
  });

  it('rebuilds when the log no longer reaches back to the index', async () => {
    const index = await caughtUp();
    await handle.db.updateTable('works').set({ is_complete: sql`not is_complete` }).where('id', '=', index.ids[0]!).execute();
    // As if every entry were pruned: the index cannot know what changed and must load again.
    await sql`update search_generation set pruned_through = value where id = 1`.execute(handle.db);
    await sql`delete from search_changes`.execute(handle.db);
    assert.equal(
      await currentFacetIndex(handle.db, await readSearchGeneration(handle.db)),
      null,
      'behind the pruned log: SQL answers meanwhile',
    );
    const rebuilt = await ensureFacetIndex(handle.db);
    assert.ok(rebuilt && rebuilt.retired === 0);
    await assertSameAsSql('after the rebuild', [emptyFilters({}), emptyFilters({ sort: 'posted' })]);
  });

  it('answers free text and best match from SQL when the text outgrows its postings budget', async () => {
    dropFacetIndex(handle.db);
    configureFacetIndex(handle.db, { maxTextPostings: 50 });
    try {
      const index = await ensureFacetIndex(handle.db);
      assert.ok(index && index.text === null, 'the index holds no text past its budget');
      await assertSameAsSql('without text postings', [
        emptyFilters({ q: 'library', sort: 'best' }),
        emptyFilters({ q: 'library tea', sort: 'updated' }),
        emptyFilters({ q: 'library OR lighthouse -tea', sort: 'best', page: 2 }),
        emptyFilters({ q: '"the library"', sort: 'kudos' }),
      ]);
    } finally {
      configureFacetIndex(handle.db, { maxTextPostings: DEFAULT_MAX_TEXT_POSTINGS });
      dropFacetIndex(handle.db);
    }
  });
});
