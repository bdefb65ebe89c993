// The main thread's side of the embedded database's thread (pglite-thread.worker.js): queries go
// over a message port and come back as rows, so the event loop only waits, never computes.
import { Worker } from 'node:worker_threads';

/** What the Kysely dialect needs of PGlite, wherever it runs. */
export interface PGliteClient {
  query<R>(sql: string, params: readonly unknown[]): Promise<{ rows: R[]; affectedRows?: number | undefined }>;
  close(): Promise<void>;
}

type Reply = { id: number; rows?: unknown[]; affectedRows?: number; error?: Record<string, unknown> & { message: string } };

/** An error of the database, with PostgreSQL's fields (code, detail, constraint, ...) as PGlite gave them. */
function toError(plain: Record<string, unknown> & { message: string }): Error {
  const error = new Error(plain.message);
  for (const [key, value] of Object.entries(plain)) if (key !== 'message' && key !== 'stack') Object.assign(error, { [key]: value });
  return error;
}

/** PGlite in a worker thread of its own. */
export class PGliteThread implements PGliteClient {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (reply: Reply) => void; reject: (error: Error) => void }>();
  private failure: Error | undefined;
  private closing: Promise<void> | undefined;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (reply: Reply) => {
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      waiter.resolve(reply);
    });
    const fail = (error: Error) => {
      this.failure ??= error;
      for (const waiter of this.pending.values()) waiter.reject(error);
      this.pending.clear();
    };
    worker.on('error', (error) => fail(new Error(`The embedded database stopped: ${error.message}`)));
    worker.on('exit', (code) => fail(new Error(`The embedded database stopped (its thread exited with code ${code}).`)));
  }

  /**
   * Starts the thread and opens PGlite in `dataDir` (in memory when undefined); a new database is
   * made from `imageFile` (a gzipped data directory, see dumpImage) when one is given.
   */
  static async open(dataDir: string | undefined, options: { imageFile?: string | undefined } = {}): Promise<PGliteThread> {
    const worker = new Worker(new URL('./pglite-thread.worker.js', import.meta.url), {
      workerData: { dataDir, imageFile: options.imageFile },
    });
    await new Promise<void>((resolve, reject) => {
      const onMessage = (message: { ready?: boolean; error?: Record<string, unknown> & { message: string } }) => {
        if (message.ready === undefined) return;
        worker.off('message', onMessage);
        worker.off('error', reject);
        if (message.ready) resolve();
        else reject(toError(message.error ?? { message: 'The embedded database could not be opened.' }));
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
    });
    // Like PGlite in-process, an idle database does not keep the process alive; a query does.
    worker.unref();
    return new PGliteThread(worker);
  }

  async query<R>(sql: string, params: readonly unknown[]): Promise<{ rows: R[]; affectedRows?: number | undefined }> {
    const reply = await this.send({ op: 'query', sql, params });
    if (reply.error) throw toError(reply.error);
    return { rows: (reply.rows ?? []) as R[], affectedRows: reply.affectedRows };
  }

  /** Writes the whole data directory, gzipped, to `file`: an image a new database can start from. */
  async dumpImage(file: string): Promise<void> {
    const reply = await this.send({ op: 'dump', file });
    if (reply.error) throw toError(reply.error);
  }

  /** Closes PGlite (its files flushed) and ends the thread; again, it does nothing. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      try {
        if (!this.failure) {
          const reply = await this.send({ op: 'close' });
          if (reply.error) throw toError(reply.error);
        }
      } finally {
        await this.worker.terminate();
      }
    })();
    return this.closing;
  }

  private send(message: Record<string, unknown>): Promise<Reply> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, ...message });
    });
  }
}
