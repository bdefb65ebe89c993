// wrk as a tracked child: one URL or a Lua script of requests, its figures read from a JSON line
// the script's done() prints (requests, errors, latency percentiles), so per-request-type runs can
// be merged into an overall distribution.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { trackGroup } from './bench-processes.ts';

export interface WrkResult {
  requests: number;
  seconds: number;
  rps: number;
  p50ms: number;
  p99ms: number;
  /** Responses with a status of 400 or more (wrk counts 3xx as success: redirects after a form are answers). */
  non2xx: number;
  /** Connect, read, write errors and timeouts. */
  socketErrors: number;
  /** Latency (ms) at the percentiles in PERCENTILES, for merging runs. */
  curve: number[];
}

/** The percentiles each run reports: enough points to merge several runs' distributions. */
export const PERCENTILES = [...Array.from({ length: 98 }, (_, i) => i + 1), 99, 99.5, 99.9, 100];

/** Lua for done(): one line `WRKJSON {...}` with the counts and the latency curve in microseconds. */
export const DONE_LUA = `
done = function(summary, latency, requests)
  local points = {}
  for _, p in ipairs({${PERCENTILES.join(',')}}) do
    points[#points + 1] = string.format("%d", latency:percentile(p))
  end
  local e = summary.errors
  io.write(string.format('WRKJSON {"requests":%d,"duration":%d,"status":%d,"socket":%d,"curve":[%s]}\\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout, table.concat(points, ",")))
end
`;

/** A Lua string literal. */
export function luaString(value: string): string {
  return JSON.stringify(value).replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) => `\\u{${hex}}`);
}

/** A wrk script that requests `paths` in turn (GET), each thread starting at its own offset. */
export function cyclePathsScript(paths: string[]): string {
  return `local paths = {${paths.map(luaString).join(',')}}
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
${DONE_LUA}`;
}

/** Fails with a clear message when wrk is missing (Debian: apt-get install wrk). */
export function requireWrk(): void {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
  } catch (error) {
    // wrk --version exits 1 after printing; only a missing binary matters.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('wrk is not installed (Debian: apt-get install wrk)');
  }
}

export interface WrkOptions {
  /** Base URL (http://127.0.0.1:PORT) or the one URL to request. */
  url: string;
  seconds: number;
  connections: number;
  threads?: number;
  /** The script's text (cyclePathsScript, or one of the bench's own; it must include DONE_LUA). */
  script?: string;
  headers?: string[];
  /** Where to write the script (a temporary directory of the bench). */
  dir: string;
  timeoutSeconds?: number;
}

let scripts = 0;

/** Runs wrk and reads its figures; rejects on a non-zero exit or unreadable output. */
export function runWrk(options: WrkOptions): Promise<WrkResult> {
  const scriptFile = path.join(options.dir, `wrk-${process.pid}-${++scripts}.lua`);
  fs.writeFileSync(scriptFile, options.script ?? DONE_LUA);
  const args = [
    `-t${options.threads ?? 1}`,
    `-c${options.connections}`,
    `-d${options.seconds}s`,
    `--timeout`,
    `${options.timeoutSeconds ?? 10}s`,
    '-s',
    scriptFile,
    ...(options.headers ?? []).flatMap((h) => ['-H', h]),
    options.url,
  ];
  return new Promise((resolve, reject) => {
    const child = trackGroup(spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true }));
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), (options.seconds + 60) * 1000);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      fs.rmSync(scriptFile, { force: true });
      if (code !== 0) return reject(new Error(`wrk ended with ${signal ?? code}:\n${output}`));
      try {
        resolve(parseWrkJson(output));
      } catch (error) {
        reject(error);
      }
    });
  });
}

/** Reads the `WRKJSON` line DONE_LUA prints. */
export function parseWrkJson(output: string): WrkResult {
  const line = /^WRKJSON (.*)$/m.exec(output);
  if (!line) throw new Error(`wrk printed no WRKJSON line (is DONE_LUA in the script?):\n${output}`);
  const data = JSON.parse(line[1]!) as { requests: number; duration: number; status: number; socket: number; curve: number[] };
  const curve = data.curve.map((us) => us / 1000);
  const seconds = data.duration / 1e6;
  return {
    requests: data.requests,
    seconds,
    rps: data.requests / seconds,
    p50ms: curve[PERCENTILES.indexOf(50)]!,
    p99ms: curve[PERCENTILES.indexOf(99)]!,
    non2xx: data.status,
    socketErrors: data.socket,
    curve,
  };
}

/**
 * The percentile `p` of several runs taken together, each run's distribution given by its curve
 * and weighted by its request count (exact at the points of PERCENTILES, linear between).
 */
export function mergedPercentile(runs: WrkResult[], p: number): number {
  const samples: Array<{ ms: number; weight: number }> = [];
  for (const run of runs) {
    if (run.requests === 0) continue;
    // Each curve point stands for the share of requests between it and the previous point.
    let previous = 0;
    PERCENTILES.forEach((q, i) => {
      samples.push({ ms: run.curve[i]!, weight: ((q - previous) / 100) * run.requests });
      previous = q;
    });
  }
  samples.sort((a, b) => a.ms - b.ms);
  const total = samples.reduce((sum, s) => sum + s.weight, 0);
  let seen = 0;
  for (const s of samples) {
    seen += s.weight;
    if (seen >= (p / 100) * total - 1e-9) return s.ms;
  }
  return samples.at(-1)?.ms ?? Number.NaN;
}

/** The median of some numbers. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** "median (min–max)" of rounds, to the given decimals. */
export function spread(values: number[], decimals = 0): string {
  const f = (n: number) => n.toLocaleString('en', { maximumFractionDigits: decimals, minimumFractionDigits: decimals });
  return `${f(median(values))} (${f(Math.min(...values))}–${f(Math.max(...values))})`;
}
