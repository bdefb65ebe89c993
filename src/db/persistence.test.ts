import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { sql } from 'kysely';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { TestVisitor } from '../../test/app.ts';
import { buildWorkForm } from '../../test/factories.ts';
import { openDatabase } from './connection.ts';
import { migrateToLatest } from './migrate.ts';

const REPO = path.resolve(import.meta.dirname, '../..');
const dirs: string[] = [];
function tempDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fanfold-data-'));
  dirs.push(dir);
  return dir;
}
after(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

async function openApp(dataDir: string) {
  const handle = await openDatabase({ dataDir });
  await migrateToLatest(handle.db);
  const app = await buildApp({ db: handle.db, config: loadConfig({ LOG_LEVEL: 'silent' }) }, { logger: false });
  return {
    app,
    handle,
    close: async () => {
      await app.close();
      await handle.close();
    },
  };
}

/** Every work has at least one chapter and counts that match its chapters: no partial work. */
async function assertNoPartialWorks(db: Awaited<ReturnType<typeof openDatabase>>['db']) {
  const broken = await sql<{ id: number }>`
    select w.id from works w
    left join chapters c on c.work_id = w.id
    group by w.id
    having count(c.id) = 0 or count(c.id) <> max(w.chapter_count) or coalesce(sum(c.word_count), 0) <> max(w.word_count)
  `.execute(db);
  assert.deepEqual(broken.rows, [], 'works with missing chapters or wrong counts');
  const untagged = await sql<{
    id: number;
  }>`select id from works w where not exists (select 1 from work_tags t where t.work_id = w.id)`.execute(db);
  assert.deepEqual(untagged.rows, [], 'works without their tags');
}

describe('the embedded database', () => {
  it('keeps accounts and works across a restart', async () => {
    const dataDir = tempDataDir();
    const first = await openApp(dataDir);
    const author = await new TestVisitor(first.app).signUp('persistent');
    const posted = await author.post('/works', buildWorkForm({ title: 'Survives Restarts' }));
    assert.equal(posted.statusCode, 303);
    const url = String(posted.headers.location);
    await first.close();

    const second = await openApp(dataDir);
    try {
      const page = await new TestVisitor(second.app).get(url);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Survives Restarts/);
      const again = new TestVisitor(second.app);
      assert.equal((await again.post('/login', { login: 'persistent', password: 'correct horse battery' })).statusCode, 303);
    } finally {
      await second.close();
    }
  });

  it('refuses a second process on the same data directory', async () => {
    const dataDir = tempDataDir();
    const first = await openDatabase({ dataDir });
    try {
      fs.writeFileSync(path.join(dataDir, 'fanfold.lock'), String(process.ppid));
      await assert.rejects(openDatabase({ dataDir }), /in use by another Fanfold process/);
    } finally {
      await first.close();
    }
  });

  it('loses no acknowledged write and leaves no partial work after kill -9', async () => {
    const dataDir = tempDataDir();
    for (let round = 0; round < 3; round++) {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO, 'test/crash-writer.ts'), dataDir], {
        cwd: REPO,
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const committed: number[] = [];
      let buffer = '';
      await new Promise<void>((resolve, reject) => {
        const killAfter = 3 + Math.floor(Math.random() * 5);
        child.stdout.on('data', (chunk: Buffer) => {
          buffer += chunk.toString();
          const lines = buffer.split('\n');
          buffer = lines.pop()!;
          for (const line of lines) {
            const match = /^committed (\d+)$/.exec(line);
            if (match) committed.push(Number(match[1]));
          }
          // Kill in the middle of the next transaction, at a random moment.
          if (committed.length >= killAfter && !child.killed) setTimeout(() => child.kill('SIGKILL'), Math.random() * 30);
        });
        child.on('exit', () => resolve());
        child.on('error', reject);
      });
      assert.ok(committed.length > 0, 'the writer committed something before the kill');
      const handle = await openDatabase({ dataDir });
      try {
        await migrateToLatest(handle.db);
        const ids = new Set((await handle.db.selectFrom('works').select('id').execute()).map((r) => r.id));
        for (const id of committed) assert.ok(ids.has(id), `acknowledged work ${id} is missing after the crash`);
        await assertNoPartialWorks(handle.db);
      } finally {
        await handle.close();
      }
    }
  });
});
