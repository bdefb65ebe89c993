// One pool of worker threads for CPU-heavy work on untrusted input (docs/decisions/024): the event
// loop that answers requests never parses, sanitizes, analyses or builds a book itself. Each task
// runs under a time limit (the worker is terminated and replaced when it is passed) and every
// worker under a heap limit (resourceLimits), so one hostile story costs one task, not the archive.
import os from 'node:os';
import { Piscina } from 'piscina';
import type { HeavyTaskName, HeavyTasks } from './heavy-tasks.ts';

/** What ended a task early. */
export type TaskLimit = 'time' | 'memory';

/** A task passed its time or memory limit and was stopped; its worker was replaced. */
export class TaskLimitError extends Error {
  /** Where it reaches a request: the input was too much, not the server at fault. */
  readonly statusCode = 422;

  constructor(
    readonly limit: TaskLimit,
    readonly task: string,
    readonly limitValue: number,
  ) {
    super(
      limit === 'time'
        ? `${task} took longer than ${limitValue / 1000} s and was stopped`
        : `${task} needed more than ${limitValue} MB of memory and was stopped`,
    );
    this.name = 'TaskLimitError';
  }
}

/**
 * What stopped a task, for the person who was waiting: "Reading this file took longer than 15
 * seconds, so it was stopped." (`doing` starts the sentence).
 */
export function describeLimit(error: TaskLimitError, doing: string): string {
  return error.limit === 'time'
    ? `${doing} took longer than ${error.limitValue / 1000} seconds, so it was stopped.`
    : `${doing} needed more than ${error.limitValue} MB of memory, so it was stopped.`;
}

/** A task's own error meant for a person (an import the file cannot give, too deep nesting): its class name and message. */
export class TaskInputError extends Error {
  readonly statusCode = 422;

  constructor(
    readonly kind: string,
    message: string,
  ) {
    super(message);
    this.name = 'TaskInputError';
  }
}

export interface TaskPoolOptions {
  /** Worker threads at most; default: the cores less one, at least 2. */
  maxThreads?: number;
  /** Heap limit of each worker, in MB (old generation). */
  memoryMb?: number;
  /** The worker module (tests give one of their own); default: the archive's heavy tasks. */
  filename?: string;
  /** Told of a worker that failed outside any task; default: a line on stderr. */
  onWorkerError?: (error: unknown) => void;
}

function logWorkerError(error: unknown): void {
  console.error(
    `fanfold: a worker thread failed outside a task and was replaced: ${error instanceof Error ? error.message : String(error)}`,
  );
}

/** A task someone is waiting for (a posted chapter, an upload): past this they get a 422 saying so. */
export const REQUEST_TASK_MS = 15_000;
/** A background task (a chapter's analysis, a download being built). */
export const BACKGROUND_TASK_MS = 60_000;

/** The heap a worker may use: enough for a 500,000-word chapter's analysis, far below the machine. */
export const DEFAULT_TASK_MEMORY_MB = 768;

/** How a task's outcome crosses the thread boundary: a value, or an error meant for a person. */
export type TaskOutcome<T> = { ok: true; value: T } | { ok: false; kind: string; message: string };

export interface TaskPoolStats {
  threads: number;
  queued: number;
  running: number;
  completed: number;
  /** Tasks stopped at their time or memory limit since start. */
  limitKills: number;
  /** Share of the pool's capacity in use since start, 0..1 (piscina's figure). */
  utilization: number;
}

const WORKER_FILE = new URL('./heavy-tasks.worker.js', import.meta.url).href;

export class TaskPool {
  private readonly piscina: Piscina;
  private readonly memoryMb: number;
  private limitKills = 0;
  private running = 0;
  private closed = false;

  constructor(options: TaskPoolOptions = {}) {
    this.memoryMb = options.memoryMb ?? DEFAULT_TASK_MEMORY_MB;
    const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
    this.piscina = new Piscina({
      filename: options.filename ?? WORKER_FILE,
      // Two at least, so a chapter someone is posting never queues behind a minute-long analysis.
      maxThreads: options.maxThreads ?? Math.max(2, cores - 1),
      // Workers start lazily (loading the text libraries takes a moment) and leave when idle.
      minThreads: 0,
      idleTimeout: 60_000,
      resourceLimits: { maxOldGenerationSizeMb: this.memoryMb, maxYoungGenerationSizeMb: 64, stackSizeMb: 4 },
      // Lower scheduling priority: when the cores are busy, the thread answering requests goes first.
      niceIncrement: 10,
    });
    // A worker that dies with no task in flight (its heap limit, say, reached while tidying up)
    // is reported here; unheard, the event would end the server. The pool replaces the worker.
    this.piscina.on('error', (error: unknown) => {
      (options.onWorkerError ?? logWorkerError)(error);
    });
  }

  /**
   * Runs a task in a worker within `timeMs`. Throws TaskLimitError when it is stopped at a limit,
   * TaskInputError when the task refused its input with a message for a person.
   */
  run<K extends HeavyTaskName>(name: K, input: Parameters<HeavyTasks[K]>[0], timeMs: number): Promise<Awaited<ReturnType<HeavyTasks[K]>>> {
    return this.runExport(name, input, timeMs) as Promise<Awaited<ReturnType<HeavyTasks[K]>>>;
  }

  /** `run` for any export of the worker module (one that answers TaskOutcome envelopes). */
  async runExport(name: string, input: unknown, timeMs: number): Promise<unknown> {
    if (this.closed) throw new Error('the task pool is closed');
    let outcome: TaskOutcome<unknown>;
    this.running++;
    // A timer of our own rather than AbortSignal.timeout, whose timer does not keep the process
    // alive: a task stuck in a pool whose workers cannot start must still end at its limit.
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), timeMs);
    try {
      outcome = await this.piscina.run(input, { name, signal: abort.signal });
    } catch (error) {
      const limit = limitOf(error);
      if (limit) {
        this.limitKills++;
        throw new TaskLimitError(limit, name, limit === 'time' ? timeMs : this.memoryMb);
      }
      throw error;
    } finally {
      clearTimeout(timer);
      this.running--;
    }
    if (!outcome.ok) throw new TaskInputError(outcome.kind, outcome.message);
    return outcome.value;
  }

  stats(): TaskPoolStats {
    const p = this.piscina;
    return {
      threads: p.threads.length,
      queued: p.queueSize,
      running: Math.max(0, this.running - p.queueSize),
      completed: p.completed,
      limitKills: this.limitKills,
      utilization: p.utilization,
    };
  }

  /** Ends every worker, even mid-task (shutdown must not wait for a slow analysis). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.piscina.destroy();
  }
}

function limitOf(error: unknown): TaskLimit | undefined {
  if (!(error instanceof Error)) return undefined;
  if (error.name === 'AbortError') return 'time';
  if ((error as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY') return 'memory';
  return undefined;
}

let shared: TaskPool | undefined;

/** The process's pool, made on first use. */
export function taskPool(): TaskPool {
  shared ??= new TaskPool();
  return shared;
}

/** Ends the process's pool (server shutdown, the end of a CLI command); the next use makes a new one. */
export async function closeTaskPool(): Promise<void> {
  const pool = shared;
  shared = undefined;
  await pool?.close();
}

/** The process pool's figures for /metrics (zeros before first use). */
export function taskPoolStats(): TaskPoolStats {
  return shared?.stats() ?? { threads: 0, queued: 0, running: 0, completed: 0, limitKills: 0, utilization: 0 };
}
