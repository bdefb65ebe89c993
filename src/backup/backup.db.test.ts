import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { createEmptyDatabase } from '../../test/empty-database.ts';
import { buildWorkForm, readFoundingStory } from '../../test/factories.ts';
import { makeAdmin, makeModerator, workIdOf } from '../../test/staff.ts';
import { checksumDatabase, fileSink, writeBackup } from './backup.ts';
import { readBackup, restoreBackup, RestoreError } from './restore.ts';

describe('backup and restore', () => {
  let t: TestApp;
  let dir: string;
  let admin: TestVisitor;
  let backupFile: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fanfold-backup-'));
    t = await createTestApp({ PAGE_CACHE: 'off', DATA_DIR: dir });
    admin = await new TestVisitor(t.app).signUp('keeper');
    await makeAdmin(t.db, 'keeper');
    const writer = await new TestVisitor(t.app).signUp('writer');
    await new TestVisitor(t.app).signUp('moddy');
    await makeModerator(t.db, 'moddy');
    const story = readFoundingStory();
    const first = workIdOf(
      (await writer.post('/works', buildWorkForm({ title: 'Founding', body: story, text_format: 'plain' }))).headers.location,
    );
    await writer.post(`/works/${first}/chapters`, { body: 'Chapter two, with “curly quotes” and émoji 🎉.', text_format: 'plain' });
    await writer.post('/works', buildWorkForm({ title: 'Draft', action: 'draft' }));
    await admin.post(`/moderation/works/${first}/hide`, { reason: 'Testing hidden state survives.' });
    await admin.post(`/moderation/works/${first}/unhide`, { reason: 'ok' });
    fs.mkdirSync(path.join(dir, 'downloads', String(first)), { recursive: true });
    fs.writeFileSync(path.join(dir, 'downloads', String(first), '1.html'), '<p>cached download</p>');
    backupFile = path.join(dir, 'archive.zip');
  });
  after(async () => {
    await t.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes a snapshot whose manifest counts and checksums every table and stored file', async () => {
    const manifest = await writeBackup(t.db, fileSink(backupFile), { engine: 'test', dataDir: dir });
    const byName = new Map(manifest.tables.map((m) => [m.name, m]));
    assert.equal(byName.get('works')?.rows, 2);
    assert.equal(byName.get('chapters')?.rows, 3);
    assert.equal(byName.get('users')?.rows, 3);
    assert.ok((byName.get('audit_log')?.rows ?? 0) >= 2);
    assert.ok(!byName.has('kysely_migration'));
    assert.ok(manifest.migrations.includes('0007_moderation'));
    assert.deepEqual(
      manifest.files.map((f) => f.path),
      ['downloads/1/1.html'],
    );
    assert.deepEqual(manifest.tables, await checksumDatabase(t.db), 'the backup matches the database it was taken from');
    assert.equal(fs.existsSync(`${backupFile}.partial`), false);
  });

  it('restores into an empty embedded database (and a PostgreSQL server when there is one) with every row identical', async () => {
    const source = await checksumDatabase(t.db);
    const targets = [undefined, ...(process.env.TEST_DATABASE_URL ? [process.env.TEST_DATABASE_URL] : [])];
    for (const server of targets) {
      const target = await createEmptyDatabase(server);
      const restoreDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fanfold-restore-'));
      try {
        const messages: string[] = [];
        const result = await restoreBackup(target.db, readBackup(fs.readFileSync(backupFile)), {
          dataDir: restoreDir,
          progress: (m) => messages.push(m),
        });
        assert.equal(result.files, 1);
        assert.ok(
          messages.some((m) => /table \d+\/\d+ works: 2 rows/.test(m)),
          'progress is reported per table',
        );
        assert.deepEqual(await checksumDatabase(target.db), source, `rows differ after restoring into ${target.kind}`);
        assert.equal(fs.readFileSync(path.join(restoreDir, 'downloads', '1', '1.html'), 'utf8'), '<p>cached download</p>');
        // Identity sequences moved on: new rows get new ids, and the append-only log stays append-only.
        const work = await target.db.insertInto('works').values({ title: 'After restore' }).returning('id').executeTakeFirstOrThrow();
        assert.equal(work.id, 3);
        await assert.rejects(target.db.deleteFrom('audit_log').execute(), /append-only/);
        // Restoring again over an archive is refused.
        await assert.rejects(restoreBackup(target.db, readBackup(fs.readFileSync(backupFile))), RestoreError);
      } finally {
        await target.close();
        fs.rmSync(restoreDir, { recursive: true, force: true });
      }
    }
  });

  it('refuses a damaged or foreign file before touching the database', async () => {
    const entries = unzipSync(fs.readFileSync(backupFile));
    entries['tables/works.ndjson'] = strToU8('{"id":1,"title":"tampered"}\n');
    assert.throws(() => readBackup(zipSync(entries)), /damaged: table works/);
    assert.throws(() => readBackup(strToU8('not a zip')), RestoreError);
    assert.throws(() => readBackup(zipSync({ 'x.txt': strToU8('x') })), /no manifest/);
  });

  it('serves a backup of the running archive to admins only (GET /admin/backup)', async () => {
    assert.equal((await new TestVisitor(t.app).get('/admin/backup')).statusCode, 401);
    const writer = new TestVisitor(t.app);
    await writer.post('/login', { login: 'writer', password: 'correct horse battery' });
    assert.equal((await writer.get('/admin/backup')).statusCode, 403);
    const response = await t.app.inject({
      method: 'GET',
      url: '/admin/backup',
      headers: { cookie: [...admin.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], 'application/zip');
    const backup = readBackup(response.rawPayload);
    assert.equal(backup.manifest.tables.find((m) => m.name === 'works')?.rows, 2);
  });
});
