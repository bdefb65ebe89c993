// `fanfold serve` with WORKERS: several processes on one PostgreSQL database, and a stop that ends
// them all before the primary. On the embedded database (the unit run) WORKERS is refused instead.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import pg from 'pg';

const REPO = path.resolve(import.meta.dirname, '../..');
const SERVER_URL = process.env.TEST_DATABASE_URL;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** The process ids of a process's children (Linux). */
function childrenOf(pid: number): number[] {
  const text = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
  return text === '' ? [] : text.split(/\s+/).map(Number);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function serve(env: Record<string, string>) {
  const child = spawn(process.execPath, ['bin/fanfold.js', 'serve'], {
    cwd: REPO,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}

describe('fanfold serve with WORKERS', () => {
  if (!SERVER_URL) {
    it('refuses WORKERS on the embedded database, saying what to change', async () => {
      const { exited, stderr } = serve({ WORKERS: '2', DATA_DIR: 'memory://', PORT: String(await freePort()) });
      assert.notEqual(await exited, 0);
      assert.match(stderr(), /WORKERS needs DATABASE_URL/);
    });
    return;
  }

  const name = `fanfold_test_${randomBytes(6).toString('hex')}`;
  const databaseUrl = new URL(SERVER_URL);
  databaseUrl.pathname = `/${name}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: SERVER_URL });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  after(() => admin(`drop database if exists ${name} with (force)`));

  it('stops every worker before the primary ends, each closing cleanly', async () => {
    await admin(`create database ${name}`);
    const port = await freePort();
    const { child, exited, stderr } = serve({ WORKERS: '2', DATABASE_URL: databaseUrl.toString(), PORT: String(port) });
    try {
      let workers: number[] = [];
      for (const deadline = Date.now() + 90_000; Date.now() < deadline; ) {
        const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
          (r) => r.ok,
          () => false,
        );
        workers = childrenOf(child.pid!);
        if (ok && workers.length === 2) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      assert.equal(workers.length, 2, `two workers serve: ${stderr()}`);
      child.kill('SIGTERM');
      assert.equal(await exited, 0, stderr());
      for (const pid of workers) assert.equal(isRunning(pid), false, `worker ${pid} ended with the primary`);
      assert.doesNotMatch(stderr(), /EPIPE|starting another|closing failed/);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
