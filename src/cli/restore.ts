import fs from 'node:fs';
import { readBackup, restoreBackup } from '../backup/restore.ts';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/connection.ts';
import { parseCliArgs } from './args.ts';

const HELP = `Usage: fanfold restore FILE [--json]

Rebuilds an archive from a backup made by 'fanfold backup', into the database Fanfold is
configured for: PostgreSQL when DATABASE_URL is set, else the embedded database in DATA_DIR.
The target must be empty (a new DATA_DIR, or an empty PostgreSQL database): restore never
overwrites an archive. This is also how to move from the embedded database to a server.`;

/** fanfold restore: checks the backup's checksums, then restores it with progress on stderr. */
export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCliArgs(
    argv,
    { json: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } },
    true,
  );
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const file = positionals[0];
  if (!file || positionals.length > 1) {
    console.error(`Give one backup file.\n\n${HELP}`);
    return 2;
  }
  const started = Date.now();
  const backup = readBackup(fs.readFileSync(file));
  console.error(
    `restore: ${file} checked (${backup.manifest.tables.length} tables, made ${backup.manifest.createdAt} on ${backup.manifest.engine})`,
  );
  const config = loadConfig();
  const handle = config.databaseUrl
    ? await openDatabase({ databaseUrl: config.databaseUrl })
    : await openDatabase({ dataDir: config.dataDir });
  try {
    const result = await restoreBackup(handle.db, backup, { dataDir: config.dataDir, progress: (m) => console.error(m) });
    const summary = { ok: true, target: handle.kind, location: handle.location, ...result, seconds: (Date.now() - started) / 1000 };
    console.log(
      values.json
        ? JSON.stringify(summary)
        : `Restored ${result.rows} rows in ${result.tables} tables and ${result.files} files into ${handle.kind} (${handle.location}).`,
    );
    return 0;
  } finally {
    await handle.close();
  }
}
