import { zipSync } from 'fflate';
import { sql, type Kysely } from 'kysely';
import type { Config } from '../config.ts';
import type { Database } from '../db/schema.ts';
import { toBook } from '../downloads/downloads.service.ts';
import { asciiFileName, buildFormat } from '../downloads/downloads.formats.ts';
import { loadWorkForReading } from '../works/reading.ts';

type Db = Kysely<Database>;

/** Secrets and credentials never leave in an export, even to their owner. */
const SECRET_TABLES = new Set(['sessions', 'pending_logins', 'password_resets', 'recovery_codes', 'user_two_factor']);
const SECRET_COLUMNS = new Set(['password_hash', 'token_hash', 'code_hash', 'secret']);

function clean(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) if (!SECRET_COLUMNS.has(k)) out[k] = v;
  return out;
}

/** The ids of every work credited to one of the user's pseuds. */
export async function workIdsOfUser(db: Db, userId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('work_creators')
    .innerJoin('pseuds', 'pseuds.id', 'work_creators.pseud_id')
    .select('work_creators.work_id')
    .distinct()
    .where('pseuds.user_id', '=', userId)
    .orderBy('work_creators.work_id')
    .execute();
  return rows.map((r) => r.work_id);
}

/**
 * Everything the archive holds about a user, as one JSON document: the account, and every row
 * of every table with a user_id column (kudos, bookmarks, comments, subscriptions... whatever
 * slices exist), plus their works with chapters. Secrets are left out.
 */
export async function exportUserData(db: Db, userId: number): Promise<Record<string, unknown>> {
  const user = await db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirstOrThrow();
  const tables = await sql<{ table_name: string }>`
    select distinct table_name from information_schema.columns
    where table_schema = 'public' and column_name = 'user_id' order by table_name`.execute(db);
  const data: Record<string, unknown> = {};
  for (const { table_name } of tables.rows) {
    if (SECRET_TABLES.has(table_name)) continue;
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(table_name)} where user_id = ${userId}`.execute(db);
    data[table_name] = rows.rows.map(clean);
  }
  const works = [];
  for (const workId of await workIdsOfUser(db, userId)) {
    const loaded = await loadWorkForReading(db, workId);
    if (!loaded) continue;
    works.push({
      ...clean(loaded.work as unknown as Record<string, unknown>),
      creators: loaded.creators.map((c) => c.pseud_name),
      tags: loaded.tags.map((t) => ({ type: t.type, name: t.name })),
      chapters: loaded.chapters,
    });
  }
  return { exportedAt: new Date().toISOString(), format: 'fanfold-user-export', version: 1, account: clean(user), works, data };
}

/** A zip of every work of the user, as HTML and EPUB (drafts included: they are theirs), plus data.json. */
export async function exportUserArchive(db: Db, userId: number, config: Pick<Config, 'baseUrl' | 'siteName'>): Promise<Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  const used = new Set<string>();
  for (const workId of await workIdsOfUser(db, userId)) {
    const loaded = await loadWorkForReading(db, workId);
    if (!loaded) continue;
    const book = toBook(loaded, config);
    let name = asciiFileName(loaded.work.title, workId);
    if (used.has(name)) name = `${name}_${workId}`;
    used.add(name);
    files[`works/${name}.html`] = await buildFormat(book, 'html');
    files[`works/${name}.epub`] = await buildFormat(book, 'epub');
  }
  files['data.json'] = new TextEncoder().encode(JSON.stringify(await exportUserData(db, userId), null, 2));
  return zipSync(files, { level: 6 });
}
