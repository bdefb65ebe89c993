import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { claimNextJob, markJobDone, markJobFailed, releaseJob, type JobRow } from './jobs.repo.ts';

/** Does one job's work. Throwing means "retry later"; the runner records the message. */
export type JobHandler = (db: Kysely<Database>, payload: unknown) => Promise<void>;

/**
 * Called once when a job of this kind has failed for good (its last attempt threw), after the
 * job row is marked failed, with the job's payload and the last error message. For work that must
 * say so somewhere (a status users see). If it throws, the runner logs the error and moves on.
 */
export type JobFailureHandler = (db: Kysely<Database>, payload: unknown, error: string) => Promise<void>;

/** Thrown by a handler when trying again cannot help (the input itself is the problem): fails the job for good now. */
export class JobGiveUpError extends Error {
  override name = 'JobGiveUpError';
}

export interface JobKindOptions {
  onFailure?: JobFailureHandler;
}

export interface JobRunnerOptions {
  /** How often an idle runner looks for due jobs (scheduled ones, or ones other processes added). */
  pollMs?: number;
  log?: (message: string, error?: unknown) => void;
}

/**
 * Runs jobs from the jobs table, one at a time, until stopped. In the embedded mode it runs
 * inside the server process; with a PostgreSQL server, `fanfold worker` processes run more.
 */
export class JobRunner {
  private readonly handlers = new Map<string, { run: JobHandler; onFailure: JobFailureHandler | undefined }>();
  private readonly workerId = `${process.pid}-${randomBytes(3).toString('hex')}`;
  private running = false;
  private draining = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: JobRunnerOptions = {},
  ) {}

  /** Sets the handler of a kind of job (registering a kind again replaces its handler and options). */
  register(kind: string, handler: JobHandler, options: JobKindOptions = {}): this {
    this.handlers.set(kind, { run: handler, onFailure: options.onFailure });
    return this;
  }

  get kinds(): string[] {
    return [...this.handlers.keys()];
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Tells an idle runner that a job was just enqueued, so it need not wait for the next poll. */
  wake(): void {
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
  }

  /** Runs every due job now and returns how many ran (for tests and the CLI). */
  async drain(): Promise<number> {
    let count = 0;
    this.draining = true;
    try {
      while (await this.runOne()) count++;
    } finally {
      this.draining = false;
    }
    return count;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let didWork = false;
      try {
        didWork = await this.runOne();
      } catch (error) {
        this.options.log?.('job runner could not claim a job', error);
      }
      if (!didWork && this.running) await this.sleep(this.options.pollMs ?? 1000);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wakeUp = () => {
        clearTimeout(this.timer);
        this.wakeUp = undefined;
        resolve();
      };
      this.timer = setTimeout(() => this.wakeUp?.(), ms);
      this.timer.unref();
    });
  }

  private async runOne(): Promise<boolean> {
    const job = await claimNextJob(this.db, this.workerId, this.kinds);
    if (!job) return false;
    const handler = this.handlers.get(job.kind)!;
    // Claimed more often than it may run: each earlier claim ended with its process (killed, or
    // stopped while the job held it). Running it again could stop this process too.
    if (job.attempts > job.max_attempts) {
      const message = `The process running this job stopped ${job.max_attempts} times before it finished, so it is not run again.`;
      this.options.log?.(`job ${job.id} (${job.kind}) given up: ${message}`);
      await this.fail(job, handler, message, true);
      return true;
    }
    try {
      await handler.run(this.db, job.payload);
      await markJobDone(this.db, job.id);
    } catch (error) {
      if (!this.running && !this.draining) {
        // Stopped mid-task (shutdown ended its worker): not the job's fault, it runs again later.
        await releaseJob(this.db, job.id);
        return false;
      }
      this.options.log?.(`job ${job.id} (${job.kind}) failed on attempt ${job.attempts}`, error);
      await this.fail(job, handler, error instanceof Error ? error.message : String(error), error instanceof JobGiveUpError);
    }
    return true;
  }

  private async fail(job: JobRow, handler: { onFailure: JobFailureHandler | undefined }, message: string, giveUp: boolean): Promise<void> {
    const { final } = await markJobFailed(this.db, job, message, { giveUp });
    if (!final || !handler.onFailure) return;
    try {
      await handler.onFailure(this.db, job.payload, message);
    } catch (hookError) {
      this.options.log?.(`the failure handler of job ${job.id} (${job.kind}) failed`, hookError);
    }
  }
}
