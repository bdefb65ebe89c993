// Runs `fanfold` commands and a `fanfold serve` process for the check scripts (loopback only).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

export const REPO = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(REPO, 'bin/fanfold.js');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The environment for a child: the archive the caller names, never a DATABASE_URL it did not give. */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const full: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', ...env };
  if (!env.DATABASE_URL) delete full.DATABASE_URL;
  return full;
}

/** Runs a fanfold command to completion; throws with its stderr when it fails. */
export function fanfold(args: string[], env: Record<string, string>, options: { quiet?: boolean } = {}): string {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: REPO,
    env: childEnv(env),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', options.quiet ? 'pipe' : 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`fanfold ${args.join(' ')} failed (${result.status}): ${result.stderr ?? ''}${result.stdout}`);
  return result.stdout;
}

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  stop(): Promise<void>;
  kill(): Promise<void>;
}

/** Starts `fanfold serve` on a free loopback port and waits until /healthz answers. */
export async function startServer(env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, 'serve'], {
    cwd: REPO,
    env: childEnv({ HOST: '127.0.0.1', PORT: String(port), ...env }),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`fanfold serve exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (i > 600) throw new Error('fanfold serve did not start within 60 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    child,
    url,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
    kill: async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** A browser-like client: a cookie jar and the CSRF token from the cookie. */
export class HttpVisitor {
  private readonly cookies = new Map<string, string>();
  constructor(private readonly base: string) {}

  private remember(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (value === '' || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  private header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async get(pathname: string): Promise<Response> {
    const response = await fetch(this.base + pathname, { headers: { cookie: this.header() }, redirect: 'manual' });
    this.remember(response);
    return response;
  }

  async post(pathname: string, form: Record<string, string | string[]>): Promise<Response> {
    if (!this.cookies.has('ff_csrf')) await (await this.get('/login')).arrayBuffer();
    const body = new URLSearchParams();
    body.append('_csrf', this.cookies.get('ff_csrf') ?? '');
    for (const [k, v] of Object.entries(form)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
    const response = await fetch(this.base + pathname, {
      method: 'POST',
      headers: { cookie: this.header(), 'content-type': 'application/x-www-form-urlencoded' },
      body,
      redirect: 'manual',
    });
    this.remember(response);
    return response;
  }
}

export function workForm(title: string, body: string): Record<string, string | string[]> {
  return {
    title,
    summary: 'A summary.',
    rating: 'General Audiences',
    warnings: ['No Archive Warnings Apply'],
    categories: ['Gen'],
    fandoms: 'Check Fandom',
    characters: 'Alice, Bob',
    freeforms: 'Testing',
    language: 'en',
    expected_chapters: '1',
    text_format: 'plain',
    body,
    action: 'post',
  };
}
