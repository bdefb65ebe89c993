import { openDatabase } from '../src/db/connection.ts';
import { emptyFilters } from '../src/search/search.schema.ts';
import { searchWorks } from '../src/search/search.service.ts';
import { sql } from 'kysely';
const h = await openDatabase({ dataDir: '/tmp/fanfold-bench-pglite-100000-s42' });
const f = emptyFilters({ include: { fandom: ['Harry Potter - J. K. Rowling'], relationship: [], character: [], freeform: [], any: [] } });
for (let i = 0; i < 4; i++) { const t = performance.now(); await searchWorks(h.db, null, f); console.log('search', (performance.now() - t).toFixed(1)); }
for (const q of [sql`select 1`, sql`select value from search_generation`, sql`select (select value from search_generation where id = 1)::text || ':' || (select count(*) || ':' || coalesce(sum(work_id), 0) from hidden_works) as v`]) {
  for (let i = 0; i < 3; i++) { const t = performance.now(); await q.execute(h.db); console.log('q', (performance.now() - t).toFixed(2)); }
}
await h.close();
