// npm run check:backup — backup → restore round trip of a seeded archive under load.
//
// Seeds an embedded archive with `fanfold seed`, serves it, and while a load generator posts
// and reads over loopback, takes a backup through the running server (`fanfold backup --from`).
// Then restores it into a fresh PGlite DATA_DIR and a fresh PostgreSQL database (TEST_DATABASE_URL,
// which scripts/with-postgres.sh provides) with `fanfold restore`, and compares every table's
// row count and SHA-256 with the backup's manifest; it also backs up the stopped archive
// directly and compares that with the database. Prints a checksum per table.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { createAccount, issueApiToken } from '../src/accounts/accounts.service.ts';
import { checksumDatabase, type ManifestTable } from '../src/backup/backup.ts';
import { readBackup } from '../src/backup/restore.ts';
import { openDatabase } from '../src/db/connection.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { fanfold, HttpVisitor, REPO, startServer, workForm } from './lib/archive-process.ts';

const WORKS = Number(process.env.BACKUP_WORKS ?? 3000);
const MAX_LOAD_REQUESTS = 20_000;
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fanfold-check-backup-'));
const sourceDir = path.join(root, 'source');
const backupFile = path.join(root, 'live.zip');
const stoppedFile = path.join(root, 'stopped.zip');
const log = (m: string) => console.log(`[check:backup] ${m}`);
let failures = 0;
const fail = (m: string) => {
  failures++;
  console.log(`[check:backup] FAIL: ${m}`);
};

async function workTextSha(db: Kysely<any>): Promise<string> {
  const hash = createHash('sha256');
  const rows = await sql<{
    work_id: number;
    position: number;
    body_html: string;
  }>`select work_id, position, body_html from chapters order by work_id, position`.execute(db);
  for (const r of rows.rows) hash.update(`${r.work_id}/${r.position}\n${r.body_html}\n`);
  return hash.digest('hex');
}

function compare(label: string, expected: ManifestTable[], actual: ManifestTable[]): void {
  const byName = new Map(actual.map((t) => [t.name, t]));
  for (const t of expected) {
    const a = byName.get(t.name);
    if (!a) fail(`${label}: table ${t.name} missing`);
    else if (a.rows !== t.rows || a.sha256 !== t.sha256)
      fail(`${label}: table ${t.name} differs (${a.rows} rows, ${a.sha256.slice(0, 12)} vs ${t.rows} rows, ${t.sha256.slice(0, 12)})`);
  }
  for (const a of actual) if (!expected.some((t) => t.name === a.name)) fail(`${label}: extra table ${a.name}`);
}

/** Runs fanfold with its progress lines shown, without blocking the load generator. */
function fanfoldAsync(args: string[], env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const full: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', ...env };
    if (!env.DATABASE_URL) delete full.DATABASE_URL;
    const child = spawn(process.execPath, [path.join(REPO, 'bin/fanfold.js'), ...args], {
      cwd: REPO,
      env: full,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`fanfold ${args[0]} exited with ${code}`))));
  });
}

const started = Date.now();
try {
  log(`seeding ${WORKS} works into ${sourceDir}`);
  fanfold(['seed', '--works', String(WORKS)], { DATA_DIR: sourceDir });

  const setup = await openDatabase({ dataDir: sourceDir });
  await migrateToLatest(setup.db);
  const admin = await createAccount(setup.db, {
    login: 'backupadmin',
    email: 'backup-admin@example.org',
    password: 'backup check password',
    isAdmin: true,
  });
  const token = (await issueApiToken(setup.db, admin.id, 'check:backup')).token;
  const seededIds = (await setup.db.selectFrom('works').select('id').where('is_draft', '=', false).execute()).map((r) => r.id);
  await setup.close();

  const server = await startServer({ DATA_DIR: sourceDir });
  log(`serving ${server.url}; starting load (2 writers, 4 readers, at most ${MAX_LOAD_REQUESTS} requests)`);
  let stop = false;
  let requests = 0;
  const ackedBeforeBackup: number[] = [];
  let backupStarted = false;
  const acked: number[] = [];
  const writer = async (n: number) => {
    const v = new HttpVisitor(server.url);
    const r = await v.post('/signup', {
      login: `loadwriter${n}`,
      email: `load${n}@example.org`,
      password: 'load writer password',
      password_confirmation: 'load writer password',
    });
    if (r.status !== 303) throw new Error(`load writer sign-up failed: ${r.status}`);
    for (let i = 0; !stop && requests < MAX_LOAD_REQUESTS; i++) {
      requests++;
      const res = await v.post('/works', workForm(`Load ${n}-${i}`, `Posted during the backup, ${n}-${i}.\n\nSecond paragraph.`));
      const id = Number(/^\/works\/(\d+)/.exec(res.headers.get('location') ?? '')?.[1]);
      if (res.status === 303 && id) {
        acked.push(id);
        if (!backupStarted) ackedBeforeBackup.push(id);
      }
    }
  };
  const reader = async () => {
    const v = new HttpVisitor(server.url);
    while (!stop && requests < MAX_LOAD_REQUESTS) {
      requests++;
      const id = seededIds[Math.floor(Math.random() * seededIds.length)] ?? 1;
      await (await v.get(Math.random() < 0.2 ? '/works' : `/works/${id}`)).arrayBuffer();
    }
  };
  const load = [writer(1), writer(2), reader(), reader(), reader(), reader()];
  await new Promise((r) => setTimeout(r, 1500));
  backupStarted = true;
  const backupBegan = Date.now();
  const requestsBefore = requests;
  await fanfoldAsync(['backup', '--from', server.url, '--token', token, '--out', backupFile], {});
  const backupSeconds = (Date.now() - backupBegan) / 1000;
  const servedDuring = requests - requestsBefore;
  stop = true;
  await Promise.all(load);
  await server.stop();
  log(
    `live backup: ${backupSeconds.toFixed(1)} s, ${(fs.statSync(backupFile).size / 1024 / 1024).toFixed(1)} MB; the server answered ${servedDuring} load requests meanwhile (${(servedDuring / backupSeconds).toFixed(0)}/s); ${acked.length} works posted under load`,
  );

  const backup = readBackup(fs.readFileSync(backupFile));
  const manifest = backup.manifest.tables;

  // The stopped archive, backed up directly, matches the database exactly.
  fanfold(['backup', '--out', stoppedFile], { DATA_DIR: sourceDir }, { quiet: true });
  const source = await openDatabase({ dataDir: sourceDir });
  const sourceSums = await checksumDatabase(source.db);
  const sourceText = await workTextSha(source.db);
  await source.close();
  compare('direct backup of the stopped archive', readBackup(fs.readFileSync(stoppedFile)).manifest.tables, sourceSums);

  const results: Array<{ label: string; sums: ManifestTable[]; text: string; missing: number }> = [];
  const check = async (label: string, db: Kysely<any>) => {
    const sums = await checksumDatabase(db);
    compare(label, manifest, sums);
    const ids = new Set((await db.selectFrom('works').select('id').execute()).map((r: { id: number }) => r.id));
    const missing = ackedBeforeBackup.filter((id) => !ids.has(id)).length;
    if (missing > 0) fail(`${label}: ${missing} works acknowledged before the backup began are missing`);
    const partial =
      await sql`select w.id from works w left join chapters c on c.work_id = w.id group by w.id having count(c.id) = 0 or count(c.id) <> max(w.chapter_count)`.execute(
        db,
      );
    if (partial.rows.length > 0) fail(`${label}: ${partial.rows.length} partial works`);
    results.push({ label, sums, text: await workTextSha(db), missing });
  };

  const pgliteDir = path.join(root, 'restored');
  log('restoring into a fresh PGlite DATA_DIR');
  let t0 = Date.now();
  await fanfoldAsync(['restore', backupFile], { DATA_DIR: pgliteDir });
  const pgliteSeconds = (Date.now() - t0) / 1000;
  const restored = await openDatabase({ dataDir: pgliteDir });
  await check('PGlite restore', restored.db);
  await restored.close();

  let pgSeconds = 0;
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const name = `fanfold_restore_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    try {
      log(`restoring into a fresh PostgreSQL database (${name})`);
      t0 = Date.now();
      await fanfoldAsync(['restore', backupFile], { DATABASE_URL: url.toString() });
      pgSeconds = (Date.now() - t0) / 1000;
      const pgHandle = await openDatabase({ databaseUrl: url.toString() });
      try {
        await check('PostgreSQL restore', pgHandle.db);
      } finally {
        await pgHandle.close();
      }
    } catch (error) {
      fail(`PostgreSQL restore: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  } else {
    fail('no PostgreSQL server: run through npm run check:backup (scripts/with-postgres.sh)');
  }

  console.log('\ntable                          rows  backup        ' + results.map((r) => r.label.padEnd(20)).join(''));
  for (const t of manifest) {
    const cells = results.map((r) => {
      const a = r.sums.find((s) => s.name === t.name);
      return (
        a && a.sha256 === t.sha256 && a.rows === t.rows ? `${a.sha256.slice(0, 12)} ok` : `${a?.sha256.slice(0, 12) ?? 'missing'} DIFF`
      ).padEnd(20);
    });
    console.log(`${t.name.padEnd(28)} ${String(t.rows).padStart(7)}  ${t.sha256.slice(0, 12)}  ${cells.join('')}`);
  }
  const rows = manifest.reduce((n, t) => n + t.rows, 0);
  const worksRow = manifest.find((t) => t.name === 'works');
  console.log(`\nwork texts (all chapters) sha256: ${results.map((r) => `${r.label} ${r.text.slice(0, 16)}`).join(', ')}`);
  if (new Set(results.map((r) => r.text)).size !== 1) fail('work texts differ between restores');
  console.log(
    `source after the load (direct backup) ${sourceText.slice(0, 16)} — differs from the live backup by the works posted after its snapshot`,
  );
  console.log(
    `\ncheck:backup: ${worksRow?.rows ?? 0} works, ${rows} rows in ${manifest.length} tables; live backup ${backupSeconds.toFixed(1)} s while serving ${(servedDuring / backupSeconds).toFixed(0)} req/s; ` +
      `restore PGlite ${pgliteSeconds.toFixed(1)} s, PostgreSQL ${pgSeconds.toFixed(1)} s; ${failures === 0 ? 'every table identical' : `${failures} FAILURES`}; ${((Date.now() - started) / 1000).toFixed(0)} s in all`,
  );
} finally {
  fs.rmSync(root, { recursive: true, force: true });
}
process.exitCode = failures === 0 ? 0 : 1;
