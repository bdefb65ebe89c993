// Runs analyzeText in a worker thread under a deadline, for tests that must fail (not hang) when
// some input sends the analysis into an endless loop: a loop in the test's own thread would block
// the timer meant to stop it.
import { Worker } from 'node:worker_threads';
import type { StoryAnalysis } from './index.ts';

/** The worker: loads the analysis and answers texts, one message each. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  // an eval worker does not always inherit the TypeScript loader: register it here
  const { register } = await import(workerData.tsxUrl);
  register();
  const analysis = await import(workerData.moduleUrl);
  parentPort.on('message', ({ id, text }) => {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    try {
      const value = analysis.analyzeText(text);
      const ms = performance.now() - t0;
      const cpu = process.cpuUsage(c0);
      parentPort.postMessage({ id, ok: true, value, ms, cpuMs: (cpu.user + cpu.system) / 1000 });
    } catch (error) {
      parentPort.postMessage({ id, ok: false, message: String(error?.stack ?? error) });
    }
  });
  parentPort.postMessage({ ready: true });
})();
`;

/**
 * How one text went: the analysis with its wall time and the process's CPU time meanwhile (the
 * waiting main thread adds next to nothing; other processes on the machine add nothing), or a
 * thrown error, or the deadline passed.
 */
export type BoundedOutcome =
  | { kind: 'done'; analysis: StoryAnalysis; ms: number; cpuMs: number }
  | { kind: 'threw'; message: string }
  | { kind: 'timeout' };

/** One worker that analyses texts one at a time; a text past its deadline kills the worker and the next call starts another. */
export class BoundedAnalyzer {
  private worker: Worker | null = null;
  private ready: Promise<void> | null = null;
  private nextId = 0;

  private start(): Promise<void> {
    if (this.ready !== null) return this.ready;
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { moduleUrl: new URL('./index.ts', import.meta.url).href, tsxUrl: import.meta.resolve('tsx/esm/api') },
    });
    this.worker = worker;
    this.ready = new Promise((resolve, reject) => {
      const onMessage = (m: { ready?: boolean }): void => {
        if (m.ready === true) {
          worker.off('message', onMessage);
          worker.off('error', reject);
          resolve();
        }
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
    });
    return this.ready;
  }

  /** Analyses `text`, giving up after `deadlineMs` (the worker is then terminated). */
  async analyze(text: string, deadlineMs: number): Promise<BoundedOutcome> {
    await this.start();
    const worker = this.worker!;
    const id = this.nextId++;
    return new Promise<BoundedOutcome>((resolve) => {
      const timer = setTimeout(() => {
        worker.off('message', onMessage);
        void this.close();
        resolve({ kind: 'timeout' });
      }, deadlineMs);
      const onMessage = (m: { id?: number; ok: boolean; value?: StoryAnalysis; ms?: number; cpuMs?: number; message?: string }): void => {
        if (m.id !== id) return;
        clearTimeout(timer);
        worker.off('message', onMessage);
        resolve(m.ok ? { kind: 'done', analysis: m.value!, ms: m.ms!, cpuMs: m.cpuMs! } : { kind: 'threw', message: m.message! });
      };
      worker.on('message', onMessage);
      worker.postMessage({ id, text });
    });
  }

  /** Stops the worker (the next analyze starts a fresh one). */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.ready = null;
    if (worker !== null) await worker.terminate();
  }
}
