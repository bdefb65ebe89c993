import { sql } from 'kysely';
import { openDatabase } from '../db/connection.ts';
import { migrateToLatest } from '../db/migrate.ts';
const handle = await openDatabase({ dataDir: 'memory://' });
const db = handle.db;
await migrateToLatest(db);
await db.insertInto('tags').values(Array.from({ length: 20000 }, (_, i) => ({ type: 'freeform' as const, name: `tag${i % 97} x${i}`, sortable_name: `tag ${i}` }))).execute();
await sql`analyze tags`.execute(db);
for (const q of [
  sql`explain analyze select t.id from tags t left join tags m on m.id = t.merger_id where t.type = ${'freeform'} and lower(t.name) like ${'tag5%'} order by case when t.canonical then 0 else 1 end, t.sortable_name limit 15`,
  sql`explain analyze select t.id from tags t where t.type = ${'freeform'} and (lower(t.name) like ${'% x5%'}) limit 15`,
]) {
  const r = await q.execute(db);
  for (const row of r.rows as Array<Record<string, string>>) console.log(Object.values(row)[0]);
}
await handle.close();
