// What an operator can watch: /healthz (is the database answering, is the event loop free) and
// /metrics (Prometheus text). One registry per app, not prom-client's global one, so that tests
// building several apps in one process do not register the same metric twice.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FrontDoor } from './front-door.ts';
import { monitorEventLoopDelay, performance, type EventLoopUtilization, type IntervalHistogram } from 'node:perf_hooks';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sql, type Kysely } from 'kysely';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Database } from '../db/schema.ts';
import { millisSinceLastAnswer } from '../db/connection.ts';
import type { ReplicaSet } from '../db/replicas.ts';
import { countJobs } from '../jobs/jobs.service.ts';
import { taskPoolStats } from '../workers/task-pool.ts';

/** The event-loop timer's period: finer costs wake-ups, coarser hides short stalls. */
export const EVENT_LOOP_RESOLUTION_MS = 10;
/** /healthz reports the event loop over the last half to whole of this. */
export const EVENT_LOOP_WINDOW_MS = 60_000;
/** A database that has not answered `select 1` by then is as good as down. */
const DATABASE_CHECK_MS = 5_000;
/** A database that completed a query this recently needs no probe. */
const RECENT_ANSWER_MS = 2_000;

export interface MetricsOptions {
  db: Kysely<Database>;
  /** Bearer token that opens /metrics to other machines (METRICS_TOKEN); unset: this machine only. */
  token: string | undefined;
  /** Read replicas, whose lag and rotation /metrics and /healthz report. */
  replicas?: ReplicaSet | undefined;
  /** The server's front door, whose answers (stored pages) never reach the onResponse hook. */
  frontDoor?: FrontDoor;
  /** Overrides for tests. */
  windowMs?: number;
}

export interface EventLoopReport {
  /** Delay past the timer's own period, in ms: how long a request arriving then would have waited. */
  delayMs: { p50: number; p99: number; max: number };
  /** Share of the window the loop spent running code rather than waiting, 0..1. */
  utilization: number;
  windowSeconds: number;
  samples: number;
}

/**
 * Event-loop delay over a sliding window: two monitors started half a window apart, each reset
 * in turn, and the older one read, so a report always covers between half and all of the window
 * (a single monitor reset on a timer would report on a second's worth just after each reset).
 */
export class EventLoopWindow {
  private readonly slots: Array<{ monitor: IntervalHistogram; since: number; elu: EventLoopUtilization }>;
  private readonly timer: NodeJS.Timeout;
  private next = 0;

  constructor(windowMs = EVENT_LOOP_WINDOW_MS) {
    const open = () => {
      const monitor = monitorEventLoopDelay({ resolution: EVENT_LOOP_RESOLUTION_MS });
      monitor.enable();
      return { monitor, since: performance.now(), elu: performance.eventLoopUtilization() };
    };
    this.slots = [open(), open()];
    // The first rotation comes at half a window, so from then on the slots are staggered.
    this.timer = setInterval(() => this.rotate(), windowMs / 2);
    this.timer.unref();
  }

  private rotate(): void {
    const slot = this.slots[this.next]!;
    slot.monitor.reset();
    slot.since = performance.now();
    slot.elu = performance.eventLoopUtilization();
    this.next = 1 - this.next;
  }

  report(): EventLoopReport {
    // The slot to be reset next is the older one.
    const slot = this.slots[this.next]!;
    const h = slot.monitor;
    // Each sample is the whole interval between timer ticks; what a request waited is the excess.
    const delay = (ns: number) => (h.count === 0 ? 0 : round(Math.max(0, ns / 1e6 - EVENT_LOOP_RESOLUTION_MS)));
    return {
      delayMs: { p50: delay(h.percentile(50)), p99: delay(h.percentile(99)), max: delay(h.max) },
      utilization: round(performance.eventLoopUtilization(slot.elu).utilization, 3),
      windowSeconds: round((performance.now() - slot.since) / 1000, 0),
      samples: h.count,
    };
  }

  stop(): void {
    clearInterval(this.timer);
    for (const slot of this.slots) slot.monitor.disable();
  }
}

function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** The prom-client registry with the archive's metrics; collectors read their figures at scrape time. */
export function createMetricsRegistry(
  db: Kysely<Database>,
  log: (message: string, error: unknown) => void,
  replicas?: ReplicaSet,
): { registry: Registry; requestDuration: Histogram<'method' | 'route' | 'status_code'> } {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: EVENT_LOOP_RESOLUTION_MS });

  const requestDuration = new Histogram({
    name: 'fanfold_http_request_duration_seconds',
    help: 'Time from receiving a request to finishing its response, by route pattern, method and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });

  new Counter({
    name: 'fanfold_event_loop_active_seconds_total',
    help: 'Time the event loop spent running code since the process started; its rate is the loop utilization (0..1).',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(performance.eventLoopUtilization().active / 1000);
    },
  });

  new Gauge({
    name: 'fanfold_jobs',
    help: 'Background jobs in the jobs table by state: pending (waiting or scheduled, not finished), failed (given up after their last attempt), done.',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      try {
        const counts = await countJobs(db);
        this.set({ state: 'pending' }, counts.pending);
        this.set({ state: 'failed' }, counts.failed);
        this.set({ state: 'done' }, counts.done);
      } catch (error) {
        // A scrape still answers with everything else; the missing series is the signal.
        log('could not count jobs for /metrics', error);
      }
    },
  });

  // The pool's figures are read once a scrape, by the first of these collectors.
  let pool = taskPoolStats();
  const poolGauge = (name: string, help: string, read: () => number, first = false) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        if (first) pool = taskPoolStats();
        this.set(read());
      },
    });
  poolGauge(
    'fanfold_task_pool_threads',
    'Worker threads alive in the pool for CPU-heavy work on untrusted input.',
    () => pool.threads,
    true,
  );
  poolGauge('fanfold_task_pool_queued', 'Tasks waiting for a free worker thread.', () => pool.queued);
  poolGauge('fanfold_task_pool_running', 'Tasks running on worker threads now.', () => pool.running);
  poolGauge(
    'fanfold_task_pool_utilization',
    "Share of the pool's capacity in use since it started, 0..1 (piscina's figure).",
    () => pool.utilization,
  );
  const poolCounter = (name: string, help: string, read: () => number) =>
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset();
        this.inc(read());
      },
    });
  poolCounter('fanfold_task_pool_completed_total', 'Tasks the pool has finished since it started.', () => pool.completed);
  poolCounter(
    'fanfold_task_pool_limit_kills_total',
    'Tasks stopped at their time or memory limit (the input was too much).',
    () => pool.limitKills,
  );

  if (replicas) {
    new Gauge({
      name: 'fanfold_replica_lag_seconds',
      help: 'How far each read replica is behind the primary, in seconds, as of the last check (about once a second); absent while it does not answer.',
      labelNames: ['replica'] as const,
      registers: [registry],
      collect() {
        this.reset();
        for (const r of replicas.status()) if (r.lagSeconds !== null) this.set({ replica: r.name }, r.lagSeconds);
      },
    });
    new Gauge({
      name: 'fanfold_replica_in_rotation',
      help: 'Whether each read replica serves reads (1) or is out: not answering, not in recovery, or lagging past REPLICA_MAX_LAG_SECONDS (0).',
      labelNames: ['replica'] as const,
      registers: [registry],
      collect() {
        this.reset();
        for (const r of replicas.status()) this.set({ replica: r.name }, r.inRotation ? 1 : 0);
      },
    });
  }

  return { registry, requestDuration };
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;
const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip'];

/**
 * Whether this request may read /metrics: a direct connection from this machine, or the bearer
 * token. The socket's address, not request.ip: behind a proxy on the same host every visitor's
 * socket is loopback and request.ip comes from a header the visitor can write, so a request that
 * came through a proxy (it carries forwarding headers) needs the token like any other.
 */
export function mayReadMetrics(request: FastifyRequest, token: string | undefined): boolean {
  const direct = FORWARDING_HEADERS.every((h) => request.headers[h] === undefined);
  if (direct && LOOPBACK.test(request.socket.remoteAddress ?? '')) return true;
  if (!token) return false;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  if (!match) return false;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(match[1]!), digest(token));
}

function refuseMetrics(reply: FastifyReply, token: string | undefined, request: FastifyRequest) {
  reply.type('text/plain; charset=utf-8');
  if (!token) {
    return reply
      .code(403)
      .send(
        'Metrics are served only to connections from this machine. To scrape from elsewhere, set METRICS_TOKEN and send it as "Authorization: Bearer <token>".\n',
      );
  }
  reply.header('www-authenticate', 'Bearer realm="metrics"');
  const sent = request.headers.authorization !== undefined;
  return reply
    .code(401)
    .send(
      sent
        ? 'The metrics token is wrong. Send the value of METRICS_TOKEN as "Authorization: Bearer <token>".\n'
        : 'Send the value of METRICS_TOKEN as "Authorization: Bearer <token>" to read the metrics.\n',
    );
}

/**
 * /healthz (database and event loop, public: it is what load balancers poll) and /metrics
 * (Prometheus, this machine or the token), plus the timing of every request.
 */
export function registerMetrics(app: FastifyInstance, options: MetricsOptions): void {
  const eventLoop = new EventLoopWindow(options.windowMs);
  const { registry, requestDuration } = createMetricsRegistry(
    options.db,
    (message, error) => app.log.error({ err: error }, message),
    options.replicas,
  );
  app.addHook('onClose', async () => {
    eventLoop.stop();
    registry.clear();
  });

  app.addHook('onResponse', async (request, reply) => {
    // The pattern, never the URL: one series a route however many works and users there are.
    const route = request.routeOptions.url ?? 'unmatched';
    requestDuration.observe({ method: request.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
  // The door answers tens of thousands a second: its few series are looked up once, not per answer.
  const doorSeries = new Map<string, { observe(seconds: number): void }>();
  options.frontDoor?.onAnswered((event) => {
    const key = `${event.method} ${event.status} ${event.route}`;
    let series = doorSeries.get(key);
    if (!series) {
      series = requestDuration.labels({ method: event.method, route: event.route, status_code: String(event.status) });
      doorSeries.set(key, series);
    }
    series.observe(event.seconds);
  });

  app.get('/healthz', async (_request, reply) => {
    reply.type('application/json').header('cache-control', 'no-store');
    const database = await checkDatabase(options.db);
    // Replicas out of rotation do not make the process unhealthy: their reads go to the primary.
    // By position, without hosts or errors: this endpoint is public (/metrics names them).
    const replicas = options.replicas
      ? { replicas: options.replicas.status().map((r) => ({ inRotation: r.inRotation, lagSeconds: r.lagSeconds })) }
      : {};
    if (database !== 'ok') {
      app.log.error({ err: database.error }, 'health check: the database did not answer');
      return reply.code(503).send({ status: 'unavailable', database: database.message, eventLoop: eventLoop.report(), ...replicas });
    }
    return reply.send({ status: 'ok', database: 'ok', eventLoop: eventLoop.report(), ...replicas });
  });

  app.get('/metrics', async (request, reply) => {
    if (!mayReadMetrics(request, options.token)) return refuseMetrics(reply, options.token, request);
    const body = await registry.metrics();
    return reply.type(registry.contentType).header('cache-control', 'no-store').send(body);
  });
}

async function checkDatabase(db: Kysely<Database>): Promise<'ok' | { message: string; error: unknown }> {
  // Completed a query a moment ago (a statement of a long import, say): alive. A probe would only
  // queue behind that transaction on PGlite's one connection, and a load balancer timing it out
  // would take a working archive out of service mid-import.
  const since = millisSinceLastAnswer(db);
  if (since !== undefined && since < RECENT_ANSWER_MS) return 'ok';
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${DATABASE_CHECK_MS / 1000} s`)), DATABASE_CHECK_MS);
    });
    await Promise.race([sql`select 1`.execute(db), timeout]);
    return 'ok';
  } catch (error) {
    // The cause goes to the log; a public endpoint says only what is wrong.
    const slow = error instanceof Error && error.message.startsWith('no answer within');
    return {
      message: slow ? `The database did not answer within ${DATABASE_CHECK_MS / 1000} s.` : 'The database did not answer a query.',
      error,
    };
  } finally {
    clearTimeout(timer);
  }
}
