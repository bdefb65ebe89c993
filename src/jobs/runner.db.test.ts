import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DatabaseHandle } from '../db/connection.ts';
import { createTestDatabase } from '../../test/database.ts';
import { enqueueJob } from './jobs.repo.ts';
import { JobGiveUpError, JobRunner } from './runner.ts';

describe('job runner', () => {
  let handle: DatabaseHandle;
  before(async () => {
    handle = await createTestDatabase();
  });
  after(() => handle.close());

  it('runs due jobs once, in order, and skips future ones', async () => {
    const seen: unknown[] = [];
    const runner = new JobRunner(handle.db).register('record', async (_db, payload) => {
      seen.push(payload);
    });
    await enqueueJob(handle.db, { kind: 'record', payload: { n: 1 } });
    await enqueueJob(handle.db, { kind: 'record', payload: { n: 2 } });
    await enqueueJob(handle.db, { kind: 'record', payload: { n: 3 }, runAt: new Date(Date.now() + 3600_000) });
    assert.equal(await runner.drain(), 2);
    assert.deepEqual(seen, [{ n: 1 }, { n: 2 }]);
    assert.equal(await runner.drain(), 0);
  });

  it('enqueues a deduplicated job only once', async () => {
    let runs = 0;
    const runner = new JobRunner(handle.db).register('once', async () => {
      runs++;
    });
    await enqueueJob(handle.db, { kind: 'once', dedupeKey: 'event-42' });
    await enqueueJob(handle.db, { kind: 'once', dedupeKey: 'event-42' });
    await runner.drain();
    assert.equal(runs, 1);
  });

  it('retries a failing job with backoff and gives up after its last attempt', async () => {
    const runner = new JobRunner(handle.db).register('flaky', async () => {
      throw new Error('mail server down');
    });
    await enqueueJob(handle.db, { kind: 'flaky', maxAttempts: 2 });
    assert.equal(await runner.drain(), 1);
    let job = await handle.db.selectFrom('jobs').selectAll().where('kind', '=', 'flaky').executeTakeFirstOrThrow();
    assert.equal(job.attempts, 1);
    assert.equal(job.last_error, 'mail server down');
    assert.ok(job.run_at.getTime() > Date.now(), 'retried later, not at once');
    await handle.db
      .updateTable('jobs')
      .set({ run_at: new Date(0) })
      .where('id', '=', job.id)
      .execute();
    await runner.drain();
    job = await handle.db.selectFrom('jobs').selectAll().where('id', '=', job.id).executeTakeFirstOrThrow();
    assert.ok(job.failed_at, 'failed for good after max attempts');
  });

  it('calls the failure handler once, after the last attempt only, and survives a failing one', async () => {
    const failures: Array<{ payload: unknown; error: string }> = [];
    const logged: string[] = [];
    const runner = new JobRunner(handle.db, { log: (message) => logged.push(message) })
      .register(
        'doomed',
        async () => {
          throw new Error('cannot be done');
        },
        { onFailure: async (_db, payload, error) => void failures.push({ payload, error }) },
      )
      .register(
        'doomed-loudly',
        async () => {
          throw new Error('nor this');
        },
        {
          onFailure: async () => {
            throw new Error('the hook broke');
          },
        },
      );
    await enqueueJob(handle.db, { kind: 'doomed', payload: { n: 7 }, maxAttempts: 2 });
    await enqueueJob(handle.db, { kind: 'doomed-loudly', maxAttempts: 1 });
    assert.equal(await runner.drain(), 2);
    assert.deepEqual(failures, [], 'not after an attempt that will be retried');
    assert.ok(
      logged.some((m) => m.startsWith('the failure handler of job') && m.includes('doomed-loudly')),
      logged.join('\n'),
    );
    const loud = await handle.db.selectFrom('jobs').select('failed_at').where('kind', '=', 'doomed-loudly').executeTakeFirstOrThrow();
    assert.ok(loud.failed_at, 'the job is marked failed even when its failure handler throws');

    await handle.db
      .updateTable('jobs')
      .set({ run_at: new Date(0) })
      .where('kind', '=', 'doomed')
      .execute();
    assert.equal(await runner.drain(), 1);
    assert.deepEqual(failures, [{ payload: { n: 7 }, error: 'cannot be done' }]);
    await handle.db
      .updateTable('jobs')
      .set({ run_at: new Date(0) })
      .where('kind', '=', 'doomed')
      .execute();
    assert.equal(await runner.drain(), 0, 'a job failed for good is not run again');
    assert.equal(failures.length, 1);
  });

  it('never gives one job to two runners', async () => {
    let runs = 0;
    const make = () =>
      new JobRunner(handle.db).register('single', async () => {
        runs++;
        await new Promise((r) => setTimeout(r, 5));
      });
    for (let i = 0; i < 10; i++) await enqueueJob(handle.db, { kind: 'single' });
    await Promise.all([make().drain(), make().drain(), make().drain()]);
    assert.equal(runs, 10);
  });

  it('fails a job at once, without retries, when its handler gives up (the input itself is the problem)', async () => {
    const failures: string[] = [];
    let runs = 0;
    const runner = new JobRunner(handle.db).register(
      'hopeless',
      async () => {
        runs++;
        throw new JobGiveUpError('Reading this chapter took longer than 60 seconds, so it was stopped.');
      },
      { onFailure: async (_db, _payload, error) => void failures.push(error) },
    );
    await enqueueJob(handle.db, { kind: 'hopeless', maxAttempts: 3 });
    assert.equal(await runner.drain(), 1);
    const job = await handle.db.selectFrom('jobs').selectAll().where('kind', '=', 'hopeless').executeTakeFirstOrThrow();
    assert.ok(job.failed_at, 'failed for good on its first attempt');
    assert.equal(runs, 1);
    assert.deepEqual(failures, ['Reading this chapter took longer than 60 seconds, so it was stopped.']);
  });

  it('never runs again a job whose process stopped mid-run as often as it may be attempted', async () => {
    // Three earlier processes each claimed it and died holding it (kill -9, or an endless task).
    await enqueueJob(handle.db, { kind: 'killer', maxAttempts: 3 });
    await handle.db
      .updateTable('jobs')
      .set({ attempts: 3, locked_at: new Date(Date.now() - 3_600_000), locked_by: 'a-dead-process' })
      .where('kind', '=', 'killer')
      .execute();
    const failures: string[] = [];
    let runs = 0;
    const runner = new JobRunner(handle.db).register('killer', async () => void runs++, {
      onFailure: async (_db, _payload, error) => void failures.push(error),
    });
    assert.equal(await runner.drain(), 1);
    assert.equal(runs, 0, 'the handler is not called');
    const job = await handle.db.selectFrom('jobs').selectAll().where('kind', '=', 'killer').executeTakeFirstOrThrow();
    assert.ok(job.failed_at);
    assert.match(job.last_error ?? '', /stopped 3 times/);
    assert.equal(failures.length, 1, 'whoever waits for it is told');
    assert.equal(await runner.drain(), 0);
  });

  it('gives a job back, its attempt not counted, when the runner is stopped mid-task', async () => {
    let release!: () => void;
    const started = new Promise<void>((resolve) => (release = resolve));
    const runner = new JobRunner(handle.db, { pollMs: 10 }).register('interrupted', async () => {
      release();
      await new Promise((_resolve, reject) => setTimeout(() => reject(new Error('worker terminated')), 50));
    });
    await enqueueJob(handle.db, { kind: 'interrupted', maxAttempts: 1 });
    runner.start();
    await started;
    await runner.stop();
    const job = await handle.db.selectFrom('jobs').selectAll().where('kind', '=', 'interrupted').executeTakeFirstOrThrow();
    assert.equal(job.failed_at, null);
    assert.equal(job.locked_at, null);
    assert.equal(job.attempts, 0);
  });
});
