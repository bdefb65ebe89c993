import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { TaskInputError, TaskLimitError, TaskPool, taskPool, closeTaskPool } from './task-pool.ts';

const BUSY = new URL('../../test/busy-tasks.worker.js', import.meta.url).href;

describe('the worker pool', () => {
  const pool = new TaskPool({ filename: BUSY, maxThreads: 1, memoryMb: 48 });
  after(() => pool.close());

  it('stops a task that never yields at its time limit, and answers the next task from a new worker', async () => {
    await assert.rejects(pool.runExport('spin', { ms: -1 }, 300), (error: unknown) => {
      assert.ok(error instanceof TaskLimitError);
      assert.equal(error.limit, 'time');
      assert.equal(error.statusCode, 422);
      return true;
    });
    assert.equal(await pool.runExport('echo', 7, 5_000), 7);
    assert.equal(pool.stats().limitKills, 1);
  });

  it('keeps the event loop free while a task spins', async () => {
    const order: string[] = [];
    const task = pool.runExport('spin', { ms: 400 }, 5_000).then(() => order.push('task'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    order.push('timer');
    await task;
    assert.deepEqual(order, ['timer', 'task']);
  });

  it('stops a task that passes the memory limit', async () => {
    await assert.rejects(
      pool.runExport('hoard', {}, 30_000),
      (error: unknown) => error instanceof TaskLimitError && error.limit === 'memory',
    );
    assert.equal(await pool.runExport('echo', 'still here', 5_000), 'still here');
  });

  it('reports a worker that cannot start instead of letting the failure end the process', async () => {
    const failures: unknown[] = [];
    const broken = new TaskPool({
      filename: new URL('../../test/broken.worker.js', import.meta.url).href,
      maxThreads: 1,
      onWorkerError: (error) => failures.push(error),
    });
    try {
      // The task fails or ends at its time limit: it never waits forever.
      await assert.rejects(
        broken.runExport('echo', 1, 500),
        (error: unknown) => error instanceof TaskLimitError || /cannot start/.test(String(error)),
      );
      await assert.rejects(broken.runExport('echo', 2, 500));
      assert.ok(failures.length >= 1, 'reported, not thrown');
    } finally {
      await broken.close();
    }
  });

  it('passes an error meant for a person back with its message', async () => {
    await assert.rejects(pool.runExport('refuse', { message: 'No chapter text was found.' }, 5_000), (error: unknown) => {
      assert.ok(error instanceof TaskInputError);
      assert.equal(error.kind, 'ImportError');
      assert.equal(error.message, 'No chapter text was found.');
      return true;
    });
  });
});

describe("the archive's tasks in the shared pool", () => {
  after(() => closeTaskPool());

  it('formats a chapter in a worker exactly as in-process', async () => {
    const text = 'First line.\n\nSecond "quoted" <b>bold</b> paragraph.';
    const { convertChapterNow } = await import('../works/chapter-text.ts');
    assert.deepEqual(await taskPool().run('convertChapter', { text, format: 'plain' }, 30_000), convertChapterNow(text, 'plain'));
  });

  it('turns a file the import cannot read into a TaskInputError with the import message', async () => {
    await assert.rejects(
      taskPool().run('recognizeImport', { bytes: new Uint8Array([0x50, 0x4b, 1, 2]), fileName: 'broken.epub' }, 30_000),
      TaskInputError,
    );
  });
});
