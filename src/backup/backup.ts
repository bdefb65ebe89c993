import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import { sql, type Kysely } from 'kysely';
import { ident, listTables, type TableInfo } from './tables.ts';

export const BACKUP_FORMAT = 'fanfold-backup';
export const BACKUP_VERSION = 1;
const BATCH = 2000;

export interface ManifestTable {
  name: string;
  rows: number;
  sha256: string;
  columns: string[];
}

export interface ManifestFile {
  path: string;
  bytes: number;
  sha256: string;
}

export interface Manifest {
  format: typeof BACKUP_FORMAT;
  version: number;
  createdAt: string;
  engine: string;
  migrations: string[];
  tables: ManifestTable[];
  files: ManifestFile[];
}

export type Progress = (message: string) => void;

/** Where the bytes of a backup go: a file, or an HTTP response. */
export interface ByteSink {
  write(chunk: Uint8Array): Promise<void>;
  end(): Promise<void>;
}

/** Directories under DATA_DIR holding files the archive made (the database itself is copied as rows). */
export const STORED_FILE_DIRS = ['downloads'];

/**
 * Rows of a table as NDJSON in primary-key order, one JSON object a line (PostgreSQL's own
 * row_to_json, in UTC), so both engines write the same bytes for the same rows.
 */
export async function* tableLines(db: Kysely<any>, table: TableInfo): AsyncGenerator<string[]> {
  const cols = table.columns.map(ident).join(', ');
  const order = table.orderBy.map(ident).join(', ');
  for (let offset = 0; ; offset += BATCH) {
    const result = await sql<{
      j: string;
    }>`select row_to_json(r)::text as j from (select ${sql.raw(cols)} from ${sql.raw(ident(table.name))} order by ${sql.raw(order)} limit ${BATCH} offset ${offset}) r`.execute(
      db,
    );
    const lines = result.rows.map((r) => r.j);
    if (lines.length > 0) yield lines;
    if (lines.length < BATCH) return;
  }
}

/** The migrations applied to a database, in order. */
export async function appliedMigrations(db: Kysely<any>): Promise<string[]> {
  const rows = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
  return rows.rows.map((r) => r.name);
}

/** Per-table row counts and checksums of a database as it is now (for comparing a restore). */
export async function checksumDatabase(db: Kysely<any>): Promise<ManifestTable[]> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      await sql`set local timezone = 'UTC'`.execute(trx);
      const result: ManifestTable[] = [];
      for (const table of await listTables(trx)) {
        const hash = createHash('sha256');
        let rows = 0;
        for await (const lines of tableLines(trx, table)) {
          for (const line of lines) hash.update(line + '\n');
          rows += lines.length;
        }
        result.push({ name: table.name, rows, sha256: hash.digest('hex'), columns: table.columns });
      }
      return result;
    });
}

function listFiles(dir: string, base = dir): string[] {
  if (!fs.existsSync(dir)) return [];
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...listFiles(full, base));
    else if (entry.isFile()) found.push(path.relative(base, full));
  }
  return found.sort();
}

/**
 * Writes a consistent snapshot: every table read in one REPEATABLE READ transaction (one
 * moment of the database, while other connections keep writing), as a zip of NDJSON files
 * plus stored files and a manifest of row counts and SHA-256 checksums.
 */
export async function writeBackup(
  db: Kysely<any>,
  sink: ByteSink,
  options: { engine: string; dataDir?: string | undefined; progress?: Progress },
): Promise<Manifest> {
  const progress = options.progress ?? (() => {});
  const pending: Uint8Array[] = [];
  let finished = false;
  let failure: Error | null = null;
  const zip = new Zip((error, chunk, final) => {
    if (error) failure = error;
    else pending.push(chunk);
    if (final) finished = true;
  });
  const flush = async () => {
    if (failure) throw failure;
    while (pending.length > 0) await sink.write(pending.shift()!);
  };
  const encoder = new TextEncoder();

  const manifest = await db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      await sql`set local timezone = 'UTC'`.execute(trx);
      const migrations = await appliedMigrations(trx);
      const tables = await listTables(trx);
      const entries: ManifestTable[] = [];
      for (const [i, table] of tables.entries()) {
        const file = new ZipDeflate(`tables/${table.name}.ndjson`, { level: 6 });
        zip.add(file);
        const hash = createHash('sha256');
        let rows = 0;
        for await (const lines of tableLines(trx, table)) {
          const text = lines.join('\n') + '\n';
          hash.update(text);
          file.push(encoder.encode(text), false);
          rows += lines.length;
          await flush();
        }
        file.push(new Uint8Array(0), true);
        await flush();
        entries.push({ name: table.name, rows, sha256: hash.digest('hex'), columns: table.columns });
        progress(`backup: table ${i + 1}/${tables.length} ${table.name}: ${rows} rows`);
      }
      return { migrations, tables: entries };
    });

  const files: ManifestFile[] = [];
  if (options.dataDir) {
    for (const dir of STORED_FILE_DIRS) {
      const root = path.join(options.dataDir, dir);
      for (const rel of listFiles(root)) {
        const bytes = fs.readFileSync(path.join(root, rel));
        const name = `${dir}/${rel.split(path.sep).join('/')}`;
        const entry = new ZipPassThrough(`files/${name}`);
        zip.add(entry);
        entry.push(bytes, true);
        await flush();
        files.push({ path: name, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
      }
    }
    progress(`backup: ${files.length} stored files`);
  }

  const full: Manifest = {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    createdAt: new Date().toISOString(),
    engine: options.engine,
    migrations: manifest.migrations,
    tables: manifest.tables,
    files,
  };
  const m = new ZipDeflate('manifest.json', { level: 6 });
  zip.add(m);
  m.push(encoder.encode(JSON.stringify(full, null, 2)), true);
  zip.end();
  await flush();
  if (!finished) throw new Error('the backup archive was not completed');
  await sink.end();
  const rows = full.tables.reduce((n, t) => n + t.rows, 0);
  progress(`backup: done, ${full.tables.length} tables, ${rows} rows, ${files.length} files`);
  return full;
}

/** A sink writing to a file (a temporary name, renamed when complete, so a crash leaves no half backup). */
export function fileSink(file: string): ByteSink {
  const temp = `${file}.partial`;
  const fd = fs.openSync(temp, 'w');
  return {
    async write(chunk) {
      fs.writeSync(fd, chunk);
    },
    async end() {
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      fs.renameSync(temp, file);
    },
  };
}
