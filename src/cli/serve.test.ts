import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/connection.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { TestVisitor } from '../../test/app.ts';
import { buildWorkForm, readFoundingStory } from '../../test/factories.ts';

const REPO = path.resolve(import.meta.dirname, '../..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fanfold-serve-'));
after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function waitForHealth(url: string, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`the server did not answer ${url} in time`);
}

describe('fanfold serve', () => {
  it('stops within 10 seconds of SIGTERM while a story is being read, and gives the job back', async () => {
    // A long story waiting to be read: the server's job runner starts on it at once.
    {
      const handle = await openDatabase({ dataDir });
      await migrateToLatest(handle.db);
      const app = await buildApp({ db: handle.db, config: loadConfig({ LOG_LEVEL: 'silent' }) }, { logger: false });
      const author = await new TestVisitor(app).signUp('long_writer');
      // 24 long chapters, each its own analysis job of a few hundred milliseconds: whenever the
      // signal comes, a chapter is most likely being read in a worker.
      const long = Array.from({ length: 40 }, readFoundingStory).join('\n\n');
      const posted = await author.post('/works', buildWorkForm({ body: long }));
      assert.equal(posted.statusCode, 303, posted.body.slice(0, 300));
      for (let i = 2; i <= 24; i++) {
        const added = await author.post(`${String(posted.headers.location)}/chapters`, { body: long, text_format: 'plain' });
        assert.equal(added.statusCode, 303, added.body.slice(0, 300));
      }
      await app.close();
      await handle.close();
    }
    const port = await freePort();
    const child = spawn(process.execPath, ['bin/fanfold.js', 'serve'], {
      cwd: REPO,
      env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<{ code: number | null; at: number }>((resolve) =>
      child.on('exit', (code) => resolve({ code, at: Date.now() })),
    );
    try {
      await waitForHealth(`http://127.0.0.1:${port}/healthz`, Date.now() + 60_000);
      // Long enough for the runner to claim the job and hand the chapter to a worker.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const signalled = Date.now();
      child.kill('SIGTERM');
      const { code, at } = await exited;
      assert.equal(code, 0, stderr);
      assert.ok(at - signalled < 10_000, `stopped ${at - signalled} ms after SIGTERM`);
    } finally {
      child.kill('SIGKILL');
    }

    // The database was closed cleanly (it opens), and the interrupted job will run again: not failed.
    const handle = await openDatabase({ dataDir });
    try {
      const jobs = await handle.db
        .selectFrom('jobs')
        .select(['kind', 'failed_at', 'locked_at', 'done_at'])
        .where('kind', '=', 'analysis.chapter')
        .execute();
      assert.equal(jobs.length, 24);
      assert.ok(
        jobs.some((job) => job.done_at === null),
        'stopped before reading every chapter',
      );
      for (const job of jobs) {
        assert.equal(job.failed_at, null, 'not failed by the shutdown');
        assert.equal(job.locked_at, null, 'not left locked');
      }
    } finally {
      await handle.close();
    }
  });
});
