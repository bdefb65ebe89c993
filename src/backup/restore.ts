import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { Migrator, sql, type Kysely } from 'kysely';
import { migrations } from '../db/migrations/index.ts';
import { BACKUP_FORMAT, STORED_FILE_DIRS, type Manifest, type Progress } from './backup.ts';
import { ident, listTables } from './tables.ts';

const INSERT_BATCH = 500;

export class RestoreError extends Error {}

/** Reads and checks a backup file: the manifest, and every table's and file's checksum. */
export function readBackup(bytes: Uint8Array): { manifest: Manifest; entries: Record<string, Uint8Array> } {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch (error) {
    throw new RestoreError(
      `This is not a Fanfold backup (not a readable zip file): ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const raw = entries['manifest.json'];
  if (!raw) throw new RestoreError('This zip file has no manifest.json: it is not a Fanfold backup, or it was cut short.');
  const manifest = JSON.parse(new TextDecoder().decode(raw)) as Manifest;
  if (manifest.format !== BACKUP_FORMAT) throw new RestoreError('This is not a Fanfold backup (unknown format).');
  for (const table of manifest.tables) {
    const data = entries[`tables/${table.name}.ndjson`] ?? new Uint8Array(0);
    const sum = createHash('sha256').update(data).digest('hex');
    if (sum !== table.sha256) throw new RestoreError(`The backup is damaged: table ${table.name} does not match its checksum.`);
  }
  for (const file of manifest.files) {
    const data = entries[`files/${file.path}`];
    if (!data || createHash('sha256').update(data).digest('hex') !== file.sha256)
      throw new RestoreError(`The backup is damaged: file ${file.path} does not match its checksum.`);
  }
  return { manifest, entries };
}

function migrator(db: Kysely<any>) {
  return new Migrator({ db, provider: { getMigrations: async () => migrations }, allowUnorderedMigrations: true });
}

/**
 * Rebuilds an archive from a backup into an empty database (PGlite or PostgreSQL): migrates it
 * to the backup's schema, copies every row in one transaction (parents first), moves identity
 * sequences past the restored ids, then applies any newer migrations, as an upgrade would.
 */
export async function restoreBackup(
  db: Kysely<any>,
  backup: { manifest: Manifest; entries: Record<string, Uint8Array> },
  options: { dataDir?: string | undefined; progress?: Progress } = {},
): Promise<{ tables: number; rows: number; files: number }> {
  const progress = options.progress ?? (() => {});
  const { manifest, entries } = backup;
  const known = Object.keys(migrations);
  const unknown = manifest.migrations.filter((m) => !known.includes(m));
  if (unknown.length > 0)
    throw new RestoreError(`The backup comes from a newer Fanfold (migrations ${unknown.join(', ')}). Upgrade Fanfold, then restore.`);

  const last = [...manifest.migrations].sort().at(-1);
  if (last) {
    const { error } = await migrator(db).migrateTo(last);
    if (error) throw error;
  }
  progress(`restore: schema at ${last ?? 'nothing'}`);

  const users = await sql<{ n: string }>`select count(*) as n from users`.execute(db);
  const audits = await sql<{ n: string }>`select count(*) as n from audit_log`.execute(db).catch(() => ({ rows: [{ n: '0' }] }));
  if (Number(users.rows[0]?.n ?? 0) > 0 || Number(audits.rows[0]?.n ?? 0) > 0) {
    throw new RestoreError('The target database already holds an archive. Restore into an empty DATA_DIR or an empty PostgreSQL database.');
  }

  const tables = await listTables(db);
  const byName = new Map(tables.map((t) => [t.name, t]));
  for (const t of manifest.tables)
    if (!byName.has(t.name)) throw new RestoreError(`The backup has a table ${t.name} that this schema lacks.`);
  let total = 0;
  await db.transaction().execute(async (trx) => {
    const su = await sql<{ su: boolean }>`select rolsuper as su from pg_roles where rolname = current_user`.execute(trx);
    // As superuser, foreign keys and triggers wait: a self-reference to a later row restores too.
    if (su.rows[0]?.su) await sql`set local session_replication_role = replica`.execute(trx);
    // Rows the migrations seeded (fixed tags, default settings) give way to the backup's.
    for (const table of [...tables].reverse()) {
      if (table.name === 'audit_log') continue;
      await sql`delete from ${sql.raw(ident(table.name))}`.execute(trx);
    }
    const decoder = new TextDecoder();
    for (const [i, t] of manifest.tables.entries()) {
      const table = byName.get(t.name)!;
      const data = decoder.decode(entries[`tables/${t.name}.ndjson`] ?? new Uint8Array(0));
      const lines = data.split('\n').filter((l) => l !== '');
      const cols = t.columns
        .filter((c) => table.columns.includes(c))
        .map(ident)
        .join(', ');
      for (let start = 0; start < lines.length; start += INSERT_BATCH) {
        const batch = `[${lines.slice(start, start + INSERT_BATCH).join(',')}]`;
        await sql`insert into ${sql.raw(ident(t.name))} (${sql.raw(cols)}) overriding system value
          select ${sql.raw(cols)} from json_populate_recordset(null::${sql.raw(ident(t.name))}, ${batch}::json)`.execute(trx);
      }
      if (lines.length !== t.rows) throw new RestoreError(`Table ${t.name}: ${lines.length} rows read, the manifest says ${t.rows}.`);
      for (const column of table.identity) {
        await sql`select setval(pg_get_serial_sequence(${t.name}, ${column}), coalesce((select max(${sql.raw(ident(column))}) from ${sql.raw(ident(t.name))}), 0) + 1, false)`.execute(
          trx,
        );
      }
      total += lines.length;
      progress(`restore: table ${i + 1}/${manifest.tables.length} ${t.name}: ${lines.length} rows`);
    }
  });

  const { error } = await migrator(db).migrateToLatest();
  if (error) throw error;

  let files = 0;
  if (options.dataDir) {
    for (const file of manifest.files) {
      if (!STORED_FILE_DIRS.some((d) => file.path.startsWith(`${d}/`)) || file.path.includes('..')) continue;
      const target = path.join(options.dataDir, ...file.path.split('/'));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, entries[`files/${file.path}`]!);
      files++;
    }
  }
  progress(`restore: done, ${manifest.tables.length} tables, ${total} rows, ${files} files`);
  return { tables: manifest.tables.length, rows: total, files };
}
