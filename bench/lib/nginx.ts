// nginx serving static files on loopback, configured as bench:pages does (worker_processes auto,
// access_log off, sendfile, keep-alive): the baseline a bench measures Fanfold's pages against.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { trackGroup } from './bench-processes.ts';
import { freePort } from './archive-process.ts';

export const NGINX = process.env.NGINX ?? '/usr/sbin/nginx';

/** nginx's version, or "?" when it cannot say. */
export function nginxVersion(): string {
  const run = spawnSync(NGINX, ['-v'], { encoding: 'utf8' });
  return /nginx\/([\d.]+)/.exec(`${run.stdout}${run.stderr}`)?.[1] ?? '?';
}

/** Fails with a clear message when nginx is missing (Debian: apt-get install nginx-light). */
export function requireNginx(): void {
  if (spawnSync(NGINX, ['-v']).error)
    throw new Error(`nginx is not installed at ${NGINX} (Debian: apt-get install nginx-light; or set NGINX)`);
}

/**
 * Writes `files` (name → content) under `dir/www` and starts nginx on a free loopback port;
 * returns its base URL once it answers. It stops with the bench (bench-processes).
 */
export async function startNginx(dir: string, files: Record<string, string | Buffer>): Promise<string> {
  // nginx's workers may run as another user (nobody, when started as root): let them read.
  const www = path.join(dir, 'www');
  fs.chmodSync(dir, 0o755);
  fs.mkdirSync(www, { recursive: true, mode: 0o755 });
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(www, name), content, { mode: 0o644 });
  const port = await freePort();
  const conf = path.join(dir, 'nginx.conf');
  const temp = (name: string) => path.join(dir, `nginx-${name}`);
  fs.writeFileSync(
    conf,
    `worker_processes auto;
daemon off;
pid ${path.join(dir, 'nginx.pid')};
error_log ${path.join(dir, 'nginx-error.log')} warn;
events { worker_connections 1024; }
http {
  types { text/html html; }
  default_type application/octet-stream;
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path ${temp('body')};
  proxy_temp_path ${temp('proxy')};
  fastcgi_temp_path ${temp('fastcgi')};
  uwsgi_temp_path ${temp('uwsgi')};
  scgi_temp_path ${temp('scgi')};
  server {
    listen 127.0.0.1:${port};
    root ${www};
  }
}
`,
  );
  const child = trackGroup(
    spawn(NGINX, ['-e', path.join(dir, 'nginx-error.log'), '-p', dir, '-c', conf], { stdio: 'ignore', detached: true }),
  );
  const base = `http://127.0.0.1:${port}`;
  const first = Object.keys(files)[0]!;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`nginx exited (${child.exitCode}); see ${path.join(dir, 'nginx-error.log')}`);
    try {
      const response = await fetch(`${base}/${first}`);
      await response.arrayBuffer();
      if (response.ok) return base;
    } catch {
      // not listening yet
    }
    if (i > 100) throw new Error('nginx did not answer within 10 s');
    await new Promise((r) => setTimeout(r, 100));
  }
}
