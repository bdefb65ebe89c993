import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import staticFiles from '@fastify/static';
import type { AppDeps, RouteDeps } from './app-deps.ts';
import { JobRunner } from './jobs/runner.ts';
import { DoorProcesses } from './web/doors/door-processes.ts';
import { closeTaskPool } from './workers/task-pool.ts';
import { WorkPanels } from './works/work-panels.ts';
import { accountsRoutes } from './accounts/accounts.routes.tsx';
import { apiRoutes } from './api/api.routes.ts';
import { giftsRoutes } from './gifts/gifts.routes.tsx';
import { promptMemesRoutes } from './prompt-memes/prompt-memes.routes.tsx';
import { relatedWorksRoutes } from './related-works/related-works.routes.tsx';
import { oauthRoutes } from './oauth/oauth.routes.tsx';
import { browseRoutes } from './browse/browse.routes.tsx';
import { searchRoutes } from './search/search.routes.tsx';
import { tagsRoutes } from './tags/tags.routes.tsx';
import { downloadsRoutes } from './downloads/downloads.routes.tsx';
import { feedsRoutes } from './feeds/feeds.routes.ts';
import { opdsRoutes } from './opds/opds.routes.ts';
import { importsRoutes } from './imports/imports.routes.tsx';
import { worksRoutes } from './works/works.routes.tsx';
import { kudosRoutes } from './kudos/kudos.routes.tsx';
import { commentsRoutes } from './comments/comments.routes.tsx';
import { bookmarksRoutes } from './bookmarks/bookmarks.routes.tsx';
import { inboxRoutes } from './inbox/inbox.routes.tsx';
import { blockingRoutes } from './blocking/blocking.routes.tsx';
import { seriesRoutes } from './series/series.routes.tsx';
import { collectionsRoutes } from './collections/collections.routes.tsx';
import { exchangesRoutes } from './exchanges/exchanges.routes.tsx';
import { coCreatorsRoutes } from './co-creators/co-creators.routes.tsx';
import { subscriptionsRoutes } from './subscriptions/subscriptions.routes.tsx';
import { statsRoutes } from './stats/stats.routes.tsx';
import { readingPositionRoutes } from './reading-position/reading-position.routes.tsx';
import { moderationRoutes } from './moderation/moderation.routes.tsx';
import { auditRoutes } from './audit/audit.routes.tsx';
import { accountSecurityRoutes } from './accounts/account-security.routes.tsx';
import { backupRoutes } from './admin/backup.routes.ts';
import { adminRoutes } from './admin/admin.routes.tsx';
import { embedHostsRoutes } from './admin/embed-hosts.routes.tsx';
import { schedulingRoutes } from './scheduling/scheduling.routes.tsx';
import { exportRoutes } from './export/export.routes.tsx';
import { storyIntelligenceRoutes } from './story-intelligence/story-intelligence.routes.tsx';
import { readerPreferencesRoutes } from './accounts/reader-preferences.routes.tsx';
import { directoryRoutes } from './directory/directory.routes.tsx';
import { workSkinsRoutes } from './work-skins/work-skins.routes.tsx';
import { notificationsRoutes } from './notifications/notifications.routes.tsx';
import { emailVerificationRoutes } from './accounts/email-verification.routes.tsx';
import { registerCsrfProtection } from './web/csrf.ts';
import { registerHsts } from './web/security-headers.ts';
import { registerRouteList } from './web/route-list.ts';
import { registerErrorHandling } from './web/errors.tsx';
import { registerPageCache } from './web/page-cache.ts';
import { registerDownloadCache } from './downloads/download-cache.ts';
import { registerSessions } from './web/session.ts';
import { registerReaderPreferences } from './accounts/reader-preferences.hook.ts';
import { registerMetrics } from './web/metrics.ts';
import { registerReadRouting } from './db/replicas.ts';
import { registerViewerCache } from './web/viewer-cache.ts';
import { registerInputHygiene } from './web/input-hygiene.ts';
import { registerMultipart } from './web/multipart.ts';
import { FrontDoor } from './web/front-door.ts';

export type { AppDeps } from './app-deps.ts';

/** Largest request body: a long chapter pasted into a form, with room to spare. */
export const BODY_LIMIT = 8 * 1024 * 1024;

/**
 * A request must arrive whole within this (a slow-sending client holds a socket and memory
 * otherwise); generous enough for the largest upload on a slow line.
 */
const REQUEST_TIMEOUT = 120_000;

/** Fastify's defaults, for the server the front door makes in its place. */
const FASTIFY_KEEP_ALIVE_TIMEOUT = 72_000;
/** How long closing waits for door processes and the requests on connections they handed on. */
const DOORS_STOP_MS = 3_000;

export interface BuildAppOptions {
  /** pino options or false; tests pass false. */
  logger?: boolean | object;
}

/** Builds the archive's Fastify app: plugins in order, then every feature's routes. */
export async function buildApp(deps: AppDeps, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  // Stored pages are answered at the server's door, before Fastify (src/web/front-door.ts).
  const frontDoor = new FrontDoor({ trustProxy: deps.config.trustProxy });
  const timeouts = { keepAliveTimeout: FASTIFY_KEEP_ALIVE_TIMEOUT, requestTimeout: REQUEST_TIMEOUT, connectionTimeout: 0 };
  const app = Fastify({
    serverFactory: (handler) => frontDoor.createServer(handler, timeouts),
    logger: options.logger ?? { level: deps.config.logLevel },
    bodyLimit: BODY_LIMIT,
    trustProxy: deps.config.trustProxy,
    return503OnClosing: true,
    requestTimeout: REQUEST_TIMEOUT,
    // Ids and tag names in URLs are short; a long path segment is abuse.
    routerOptions: { maxParamLength: 500 },
  });

  registerRouteList(app);
  registerErrorHandling(app, deps.config.siteName);
  // First of all hooks: a cached guest page is answered before cookies, security headers
  // (replayed from the stored response) and sessions cost anything (docs/decisions/002).
  app.decorate('frontDoor', frontDoor);
  registerPageCache(app, { enabled: deps.config.pageCache.enabled, ttlMs: deps.config.pageCache.ttlSeconds * 1000, frontDoor });
  // While closing, Fastify answers 503 to every request, stored pages included.
  app.addHook('preClose', (done) => {
    frontDoor.close();
    done();
  });
  const logsRequests = ['trace', 'debug', 'info'].includes(app.log.level);
  // Door processes answer stored guest pages beside this one (decision 050; started by startServer).
  if (deps.config.doorProcesses > 0 && deps.config.pageCache.enabled && deps.config.workers === 0) {
    const doors = new DoorProcesses({
      count: deps.config.doorProcesses,
      server: app.server,
      pageCache: app.pageCache,
      frontDoor,
      trustProxy: deps.config.trustProxy,
      timeouts,
      logAnswers: logsRequests,
      log: app.log,
    });
    app.decorate('doors', doors);
    // A write's response waits until the doors dropped the pages it replaced.
    app.addHook('onSend', (request, _reply, payload, done) => {
      if (request.method === 'GET' || request.method === 'HEAD') return done(null, payload);
      doors.settled().then(() => done(null, payload), done);
    });
    app.addHook('preClose', async () => {
      await doors.stop(DOORS_STOP_MS);
    });
  } else if (deps.config.doorProcesses > 0) {
    app.log.warn(
      `DOOR_PROCESSES is ignored ${deps.config.pageCache.enabled ? 'with WORKERS: each worker answers its own stored pages' : 'with PAGE_CACHE=off: there are no stored pages to answer'}.`,
    );
  }
  // The door's answers go to the request log as Fastify's own do.
  if (logsRequests) {
    frontDoor.onAnswered((event) =>
      app.log.info(
        { req: { method: event.method, url: event.url }, res: { statusCode: event.status }, responseTime: event.seconds * 1000 },
        'request answered from memory',
      ),
    );
  }
  registerDownloadCache(app, { enabled: deps.config.pageCache.enabled, ttlMs: deps.config.pageCache.ttlSeconds * 1000 });
  // Signed-in viewers in memory, dropped on every write behind them (docs/decisions/045).
  await registerViewerCache(app, {
    enabled: deps.config.pageCache.enabled,
    factsTtlMs: deps.config.pageCache.ttlSeconds * 1000,
    databaseUrl: deps.config.databaseUrl,
  });
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'https:', 'http:', 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    // HSTS only on responses that came over TLS (src/web/security-headers.ts).
    strictTransportSecurity: false,
    crossOriginEmbedderPolicy: false,
  });
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: BODY_LIMIT });
  // Fields attached to the body, with our guards around the parser (src/web/multipart.ts).
  await registerMultipart(app, {
    limits: { fileSize: 5 * 1024 * 1024, files: 2, fields: 200, parts: 220, fieldSize: BODY_LIMIT },
    // Uploads are single chapters: read them into memory so routes see plain buffers.
    onFile: async (part) => {
      (part as unknown as { value: Buffer }).value = await part.toBuffer();
    },
  });
  await app.register(rateLimit, { global: false });
  await app.register(staticFiles, {
    root: path.join(import.meta.dirname, 'web', 'static'),
    prefix: '/static/',
    maxAge: '7d',
    immutable: true,
  });

  registerSessions(app, deps.db);
  registerReaderPreferences(app, deps.db);
  registerInputHygiene(app);
  registerCsrfProtection(app);
  registerHsts(app);

  registerMetrics(app, { db: deps.db, token: deps.config.metricsToken, replicas: deps.replicas, frontDoor });
  if (deps.replicas) registerReadRouting(app, deps.replicas, { maxLagSeconds: deps.config.replicaMaxLagSeconds });

  const jobs = new JobRunner(deps.db, { log: (message, error) => app.log.error({ err: error }, message) });
  app.decorate('jobs', jobs);
  // Both at once: ending the workers ends a job's task at once (the job is released, not failed),
  // so closing never waits for a slow analysis.
  app.addHook('onClose', () => Promise.all([jobs.stop(), closeTaskPool()]).then(() => undefined));
  const routeDeps: RouteDeps = { ...deps, jobs, workPanels: new WorkPanels(app.viewerCache), reads: deps.replicas?.reads ?? deps.db };

  accountsRoutes(app, routeDeps);
  worksRoutes(app, routeDeps);
  browseRoutes(app, routeDeps);
  kudosRoutes(app, routeDeps);
  commentsRoutes(app, routeDeps);
  bookmarksRoutes(app, routeDeps);
  inboxRoutes(app, routeDeps);
  blockingRoutes(app, routeDeps);
  seriesRoutes(app, routeDeps);
  collectionsRoutes(app, routeDeps);
  exchangesRoutes(app, routeDeps);
  giftsRoutes(app, routeDeps);
  promptMemesRoutes(app, routeDeps);
  relatedWorksRoutes(app, routeDeps);
  coCreatorsRoutes(app, routeDeps);
  subscriptionsRoutes(app, routeDeps);
  statsRoutes(app, routeDeps);
  readingPositionRoutes(app, routeDeps);
  searchRoutes(app, routeDeps);
  tagsRoutes(app, routeDeps);
  downloadsRoutes(app, routeDeps);
  feedsRoutes(app, routeDeps);
  opdsRoutes(app, routeDeps);
  importsRoutes(app, routeDeps);
  apiRoutes(app, routeDeps);
  oauthRoutes(app, routeDeps);
  moderationRoutes(app, routeDeps);
  auditRoutes(app, routeDeps);
  accountSecurityRoutes(app, routeDeps);
  backupRoutes(app, routeDeps);
  adminRoutes(app, routeDeps);
  embedHostsRoutes(app, routeDeps);
  schedulingRoutes(app, routeDeps);
  exportRoutes(app, routeDeps);
  storyIntelligenceRoutes(app, routeDeps);
  readerPreferencesRoutes(app, routeDeps);
  directoryRoutes(app, routeDeps);
  workSkinsRoutes(app, routeDeps);
  notificationsRoutes(app, routeDeps);
  emailVerificationRoutes(app, routeDeps);
  return app;
}
