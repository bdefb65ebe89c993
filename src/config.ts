import path from 'node:path';
import { z } from 'zod';

/** Everything the archive reads from its environment, parsed once. */
export const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z.string().url().optional(),
  /** Streaming replicas for reads (docs/decisions/034): comma-separated postgres:// URLs; with DATABASE_URL only. */
  DATABASE_REPLICA_URLS: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const urls = (v ?? '')
        .split(',')
        .map((u) => u.trim())
        .filter((u) => u !== '');
      for (const url of urls) {
        if (!/^postgres(ql)?:\/\/./.test(url)) {
          ctx.addIssue({
            code: 'custom',
            message: `"${url.replace(/:[^:@/]*@/, ':***@')}" is not a postgres:// URL. List the replicas as postgres://USER:PASSWORD@HOST:PORT/DB, separated by commas.`,
          });
        }
      }
      return urls;
    }),
  /** A replica more than this many seconds behind the primary serves no reads until it catches up. */
  REPLICA_MAX_LAG_SECONDS: z.coerce.number().min(0).max(3600).default(5),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SITE_NAME: z.string().min(1).default('Fanfold'),
  /** Public base URL, used in API responses and feeds; defaults to http://HOST:PORT. */
  BASE_URL: z.string().url().optional(),
  TRUST_PROXY: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  /** Whether `fanfold serve` runs background jobs itself (set false when `fanfold worker` processes do). */
  RUN_JOBS: z
    .enum(['true', 'false', '1', '0'])
    .default('true')
    .transform((v) => v === 'true' || v === '1'),
  /** Cluster workers for `fanfold serve`; 0 means one process. */
  WORKERS: z.coerce.number().int().min(0).max(64).default(0),
  /**
   * Processes beside the archive's own that answer stored guest pages on its port (decision 050);
   * 0: none. One process (WORKERS=0) only; needs Node's reusePort (Linux, Node 22.12 or later).
   */
  DOOR_PROCESSES: z.coerce.number().int().min(0).max(16).default(0),
  /** Rendered work pages kept in memory for anonymous readers (docs/decisions/002). */
  PAGE_CACHE: z.enum(['on', 'off']).default('on'),
  /** Seconds a cached page may be served; the bound on staleness for writes made elsewhere. */
  PAGE_CACHE_TTL: z.coerce.number().int().min(1).max(3600).default(5),
  /** Search filters, counts and pages from the in-process facet index (docs/decisions/014); off: SQL only. */
  SEARCH_INDEX: z.enum(['on', 'off']).default('on'),
  /** Work-lexeme pairs the index's text postings may hold (4 bytes each at most); past it, free text comes from SQL. 0: none. */
  SEARCH_TEXT_POSTINGS: z.coerce.number().int().min(0).default(200_000_000),
  /** Outgoing mail (password resets, invitations): smtp://user:pass@host:port; unset logs the messages instead. */
  SMTP_URL: z.string().min(1).optional(),
  MAIL_FROM: z.string().min(3).default('Fanfold <noreply@localhost>'),
  /** Bearer token that lets other machines read /metrics; unset: only connections from this machine may. */
  METRICS_TOKEN: z
    .string()
    .min(16, 'METRICS_TOKEN must be at least 16 characters: use a long random value (openssl rand -hex 32).')
    .optional(),
});

export type Config = Readonly<{
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  replicaUrls: readonly string[];
  replicaMaxLagSeconds: number;
  logLevel: string;
  siteName: string;
  baseUrl: string;
  trustProxy: boolean;
  runJobs: boolean;
  workers: number;
  /** Door processes answering stored guest pages (decision 050); 0: none. */
  doorProcesses: number;
  pageCache: Readonly<{ enabled: boolean; ttlSeconds: number }>;
  searchIndex: boolean;
  searchTextPostings: number;
  smtpUrl: string | undefined;
  mailFrom: string;
  metricsToken: string | undefined;
}>;

/** Parses the environment into a frozen Config, or throws with every problem listed. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid configuration in the environment:\n${problems}`);
  }
  const e = parsed.data;
  const shownHost = ['0.0.0.0', '::', '127.0.0.1', '::1'].includes(e.HOST) ? 'localhost' : e.HOST;
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    replicaUrls: Object.freeze(e.DATABASE_REPLICA_URLS),
    replicaMaxLagSeconds: e.REPLICA_MAX_LAG_SECONDS,
    logLevel: e.LOG_LEVEL,
    siteName: e.SITE_NAME,
    baseUrl: (e.BASE_URL ?? `http://${shownHost}:${e.PORT}`).replace(/\/$/, ''),
    trustProxy: e.TRUST_PROXY,
    runJobs: e.RUN_JOBS,
    workers: e.WORKERS,
    doorProcesses: e.DOOR_PROCESSES,
    pageCache: Object.freeze({ enabled: e.PAGE_CACHE === 'on', ttlSeconds: e.PAGE_CACHE_TTL }),
    searchIndex: e.SEARCH_INDEX === 'on',
    searchTextPostings: e.SEARCH_TEXT_POSTINGS,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    metricsToken: e.METRICS_TOKEN,
  });
}
