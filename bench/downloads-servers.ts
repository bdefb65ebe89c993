// Helpers for bench:downloads: tracked child processes (all stopped on exit or Ctrl-C), nginx
// serving one file on loopback, and wrk runs with bounded time.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export const NGINX = process.env.NGINX ?? '/usr/sbin/nginx';
const children = new Set<ChildProcess>();

export function stopAllChildren(signal: NodeJS.Signals = 'SIGTERM'): void {
  for (const child of children) {
    if (child.exitCode !== null || child.signalCode !== null || !child.pid) continue;
    try {
      process.kill(-child.pid, signal); // each child leads its own group: nginx's workers too
    } catch {
      child.kill(signal);
    }
  }
}

process.on('exit', () => stopAllChildren('SIGKILL'));
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    stopAllChildren('SIGKILL');
    process.exit(130);
  });
}

export async function waitForExit(): Promise<void> {
  const exits = [...children].map(
    (c) => new Promise<void>((resolve) => (c.exitCode !== null || c.signalCode !== null ? resolve() : c.once('exit', () => resolve()))),
  );
  stopAllChildren('SIGTERM');
  const timer = setTimeout(() => stopAllChildren('SIGKILL'), 5000);
  await Promise.all(exits);
  clearTimeout(timer);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export function startChild(logDir: string, name: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  const out = fs.openSync(path.join(logDir, `${name}.log`), 'a');
  const merged = { ...process.env, ...env };
  delete merged.DATABASE_URL; // the bench's server runs on PGlite in its own data directory
  const child = spawn(command, args, {
    env: merged,
    stdio: ['ignore', out, out],
    detached: true,
    cwd: path.resolve(import.meta.dirname, '..'),
  });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

export async function waitForHttp(url: string, child: ChildProcess, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`the server for ${url} exited with ${child.exitCode}`);
    try {
      const r = await fetch(url);
      await r.arrayBuffer();
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000}s`);
}

/** nginx serving `file` at /file.ext from a folder in `dir`; returns its URL. */
export async function startNginx(dir: string, file: string, mediaType: string): Promise<string> {
  const www = path.join(dir, 'www');
  // nginx's workers may run as another user (nobody, when started as root): let them read.
  fs.mkdirSync(dir, { recursive: true });
  fs.chmodSync(path.dirname(dir), 0o755);
  fs.chmodSync(dir, 0o755);
  fs.mkdirSync(www, { recursive: true, mode: 0o755 });
  const name = `file${path.extname(file)}`;
  fs.copyFileSync(file, path.join(www, name));
  fs.chmodSync(path.join(www, name), 0o644);
  const port = await freePort();
  const conf = path.join(dir, 'nginx.conf');
  const temp = (n: string) => path.join(dir, `nginx-${n}`);
  fs.writeFileSync(
    conf,
    `worker_processes auto;
daemon off;
pid ${path.join(dir, 'nginx.pid')};
error_log ${path.join(dir, 'nginx-error.log')} warn;
events { worker_connections 1024; }
http {
  types { ${mediaType} ${path.extname(file).slice(1)}; }
  default_type application/octet-stream;
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path ${temp('body')}; proxy_temp_path ${temp('proxy')}; fastcgi_temp_path ${temp('fastcgi')};
  uwsgi_temp_path ${temp('uwsgi')}; scgi_temp_path ${temp('scgi')};
  server { listen 127.0.0.1:${port}; root ${www}; }
}
`,
  );
  const child = startChild(dir, 'nginx', NGINX, ['-e', path.join(dir, 'nginx-error.log'), '-p', dir, '-c', conf]);
  const url = `http://127.0.0.1:${port}/${name}`;
  await waitForHttp(url, child);
  return url;
}

export interface WrkResult {
  rps: number;
  mbps: number;
  p50ms: number;
  non2xx: number;
}

function toMs(value: string, unit: string): number {
  const n = Number(value);
  return unit === 'us' ? n / 1000 : unit === 'ms' ? n : unit === 's' ? n * 1000 : n * 60_000;
}

/** One wrk run against a URL on loopback (killed if it overruns by 30 s). */
export function runWrk(url: string, seconds: number, connections: number): Promise<WrkResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', url], {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    children.add(child);
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), (seconds + 30) * 1000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      children.delete(child);
      const rps = /Requests\/sec:\s+([\d.]+)/.exec(output);
      const transfer = /Transfer\/sec:\s+([\d.]+)(KB|MB|GB|B)/.exec(output);
      const p50 = /^\s+50%\s+([\d.]+)(us|ms|s|m)\s*$/m.exec(output);
      if (code !== 0 || !rps || !p50) return reject(new Error(`wrk failed:\n${output}`));
      const scale = { B: 1 / 2 ** 20, KB: 1 / 1024, MB: 1, GB: 1024 }[transfer?.[2] ?? 'MB'] ?? 1;
      resolve({
        rps: Number(rps[1]),
        mbps: transfer ? Number(transfer[1]) * scale : 0,
        p50ms: toMs(p50[1]!, p50[2]!),
        non2xx: Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(output)?.[1] ?? 0),
      });
    });
  });
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
