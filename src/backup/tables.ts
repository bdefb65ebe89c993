import { sql, type Kysely } from 'kysely';

/** A table as backup and restore see it: its name, the columns to copy and how rows are ordered. */
export interface TableInfo {
  name: string;
  /** Columns that take values (generated columns are recomputed by the database). */
  columns: string[];
  /** Primary-key columns, for a stable row order (all columns when the table has no key). */
  orderBy: string[];
  /** Identity columns, whose sequences restore moves past the highest value. */
  identity: string[];
  /** Tables this one references (other than itself). */
  references: string[];
}

/** Kysely's own bookkeeping: recorded in the manifest, never copied as data. */
export const MIGRATION_TABLES = new Set(['kysely_migration', 'kysely_migration_lock']);

/** Every base table of the public schema (migration tables excluded), parents before children. */
export async function listTables(db: Kysely<any>): Promise<TableInfo[]> {
  const columns = await sql<{ table_name: string; column_name: string; is_generated: string; is_identity: string }>`
    select table_name, column_name, is_generated, is_identity
    from information_schema.columns
    where table_schema = 'public'
      and table_name in (select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE')
    order by table_name, ordinal_position`.execute(db);
  const keys = await sql<{ table_name: string; column_name: string }>`
    select c.relname as table_name, a.attname as column_name
    from pg_index i
    join pg_class c on c.oid = i.indrelid
    join pg_namespace n on n.oid = c.relnamespace
    join lateral unnest(i.indkey) with ordinality as k(attnum, ord) on true
    join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum
    where i.indisprimary and n.nspname = 'public'
    order by c.relname, k.ord`.execute(db);
  const refs = await sql<{ child: string; parent: string }>`
    select distinct c.relname as child, p.relname as parent
    from pg_constraint con
    join pg_class c on c.oid = con.conrelid
    join pg_class p on p.oid = con.confrelid
    join pg_namespace n on n.oid = c.relnamespace
    where con.contype = 'f' and n.nspname = 'public'`.execute(db);

  const tables = new Map<string, TableInfo>();
  for (const c of columns.rows) {
    if (MIGRATION_TABLES.has(c.table_name)) continue;
    let t = tables.get(c.table_name);
    if (!t) tables.set(c.table_name, (t = { name: c.table_name, columns: [], orderBy: [], identity: [], references: [] }));
    if (c.is_generated === 'ALWAYS') continue;
    t.columns.push(c.column_name);
    if (c.is_identity === 'YES') t.identity.push(c.column_name);
  }
  for (const k of keys.rows) tables.get(k.table_name)?.orderBy.push(k.column_name);
  for (const r of refs.rows) {
    const t = tables.get(r.child);
    if (t && r.parent !== r.child && tables.has(r.parent) && !t.references.includes(r.parent)) t.references.push(r.parent);
  }
  for (const t of tables.values()) if (t.orderBy.length === 0) t.orderBy = [...t.columns];
  return topologicalOrder([...tables.values()]);
}

/** Parents first; ties by name so the order is the same on every engine. */
function topologicalOrder(tables: TableInfo[]): TableInfo[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const done = new Set<string>();
  const ordered: TableInfo[] = [];
  const visit = (t: TableInfo, path: Set<string>) => {
    if (done.has(t.name) || path.has(t.name)) return;
    path.add(t.name);
    for (const parent of [...t.references].sort()) visit(byName.get(parent)!, path);
    path.delete(t.name);
    done.add(t.name);
    ordered.push(t);
  };
  for (const t of [...tables].sort((a, b) => a.name.localeCompare(b.name))) visit(t, new Set());
  return ordered;
}

/** A quoted identifier (names come from the catalog, but quoting keeps odd names safe). */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
