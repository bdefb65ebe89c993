import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Kysely } from 'kysely';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import type { Database } from '../src/db/schema.ts';
import { createTestDatabase } from './database.ts';

export interface TestApp {
  app: FastifyInstance;
  db: Kysely<Database>;
  close(): Promise<void>;
}

/** The real app on a fresh database (PGlite, or the server in TEST_DATABASE_URL); no port. */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const handle = await createTestDatabase();
  const config = loadConfig({ LOG_LEVEL: 'silent', BASE_URL: 'http://archive.test', ...env });
  const app = await buildApp({ db: handle.db, config }, { logger: false });
  await app.ready();
  return {
    app,
    db: handle.db,
    close: async () => {
      await app.close();
      await handle.close();
    },
  };
}

type Form = Record<string, string | string[]>;

/** A visitor with a cookie jar who fills in forms like a browser (CSRF token included). */
export class TestVisitor {
  readonly cookies = new Map<string, string>();
  constructor(private readonly app: FastifyInstance) {}

  get csrfToken(): string {
    return this.cookies.get('ff_csrf') ?? '';
  }

  private remember(response: LightMyRequestResponse): LightMyRequestResponse {
    for (const c of response.cookies as Array<{ name: string; value: string; maxAge?: number; expires?: Date }>) {
      const expired = c.maxAge === 0 || (c.expires !== undefined && c.expires.getTime() < Date.now()) || c.value === '';
      if (expired) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return response;
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return this.remember(await this.app.inject({ method: 'GET', url, headers: { cookie: this.cookieHeader(), ...headers } }));
  }

  /** Posts a url-encoded form; the CSRF token is added unless the form sets `_csrf` itself. */
  async post(url: string, form: Form = {}): Promise<LightMyRequestResponse> {
    if (!this.cookies.has('ff_csrf')) await this.get('/login');
    const body = new URLSearchParams();
    if (!('_csrf' in form)) body.append('_csrf', this.csrfToken);
    for (const [key, value] of Object.entries(form)) {
      for (const v of Array.isArray(value) ? value : [value]) body.append(key, v);
    }
    return this.remember(
      await this.app.inject({
        method: 'POST',
        url,
        headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
        payload: body.toString(),
      }),
    );
  }

  /** Posts a multipart form with files, as a browser does for uploads. */
  async postMultipart(
    url: string,
    form: Form,
    files: Record<string, { filename: string; content: Buffer | string; type?: string }>,
  ): Promise<LightMyRequestResponse> {
    if (!this.cookies.has('ff_csrf')) await this.get('/login');
    const data = new FormData();
    data.append('_csrf', this.csrfToken);
    for (const [key, value] of Object.entries(form)) {
      for (const v of Array.isArray(value) ? value : [value]) data.append(key, v);
    }
    for (const [key, file] of Object.entries(files)) {
      data.append(
        key,
        new Blob([typeof file.content === 'string' ? file.content : new Uint8Array(file.content)], { type: file.type ?? 'text/plain' }),
        file.filename,
      );
    }
    const request = new Request('http://x/', { method: 'POST', body: data });
    const payload = Buffer.from(await request.arrayBuffer());
    return this.remember(
      await this.app.inject({
        method: 'POST',
        url,
        headers: { cookie: this.cookieHeader(), 'content-type': request.headers.get('content-type')! },
        payload,
      }),
    );
  }

  /** Signs up (and so logs in) as a new user. */
  async signUp(login: string, password = 'correct horse battery'): Promise<this> {
    const response = await this.post('/signup', {
      login,
      email: `${login}@example.org`,
      password,
      password_confirmation: password,
    });
    if (response.statusCode !== 303) throw new Error(`sign-up of ${login} failed: ${response.statusCode} ${response.body.slice(0, 500)}`);
    return this;
  }
}
