import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { enqueueJob } from '../jobs/jobs.repo.ts';
import { createTestApp, type TestApp } from '../../test/app.ts';
import { createTestDatabase } from '../../test/database.ts';
import { EventLoopWindow } from './metrics.ts';

const TOKEN = 'a-metrics-token-long-enough-0123456789';

/** The value of one sample line of a Prometheus text page, or undefined when it is absent. */
function sample(page: string, series: string): number | undefined {
  const line = page.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('/healthz', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());

  it('answers ok with the database check and the event loop delay of the recent window', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/healthz' });
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /^application\/json/);
    const body = response.json();
    assert.equal(body.status, 'ok');
    assert.equal(body.database, 'ok');
    for (const key of ['p50', 'p99', 'max']) {
      assert.equal(typeof body.eventLoop.delayMs[key], 'number', `eventLoop.delayMs.${key}`);
      assert.ok(body.eventLoop.delayMs[key] >= 0);
    }
    assert.ok(body.eventLoop.delayMs.p50 <= body.eventLoop.delayMs.max);
    assert.ok(body.eventLoop.utilization >= 0 && body.eventLoop.utilization <= 1);
    assert.equal(typeof body.eventLoop.windowSeconds, 'number');
  });

  it('does not queue behind a long transaction of a database that is answering (one connection on PGlite)', async () => {
    const order: string[] = [];
    const transaction = t.db.transaction().execute(async (trx) => {
      await sql`select 1`.execute(trx);
      await sql`select pg_sleep(1.5)`.execute(trx);
      order.push('transaction');
    });
    const response = await t.app.inject({ method: 'GET', url: '/healthz' });
    order.push('healthz');
    await transaction;
    assert.equal(response.statusCode, 200);
    assert.deepEqual(order, ['healthz', 'transaction']);
  });

  it('answers 503 with a message, and no stack trace, when the database does not answer', async () => {
    const handle = await createTestDatabase();
    const app = await buildApp({ db: handle.db, config: loadConfig({ LOG_LEVEL: 'silent' }) }, { logger: false });
    await app.ready();
    await handle.close();
    try {
      const response = await app.inject({ method: 'GET', url: '/healthz' });
      assert.equal(response.statusCode, 503);
      const body = response.json();
      assert.equal(body.status, 'unavailable');
      assert.match(body.database, /database did not answer/);
      assert.doesNotMatch(response.body, /\bat .+:\d+:\d+|stack/i);
    } finally {
      await app.close();
    }
  });
});

describe('EventLoopWindow', () => {
  it('reports a stall of the event loop as its delay', async () => {
    const window = new EventLoopWindow();
    try {
      await new Promise((resolve) => setTimeout(resolve, 30));
      const start = Date.now();
      while (Date.now() - start < 120) {
        // Holds the loop, as a synchronous parse of a hostile input would.
      }
      await new Promise((resolve) => setTimeout(resolve, 30));
      // The timer tick after the stall measures the whole stall less at most one period.
      assert.ok(window.report().delayMs.max >= 100, `max ${window.report().delayMs.max} ms`);
    } finally {
      window.stop();
    }
  });
});

describe('/metrics', () => {
  let t: TestApp;
  let withToken: TestApp;
  before(async () => {
    t = await createTestApp();
    withToken = await createTestApp({ METRICS_TOKEN: TOKEN });
  });
  after(async () => {
    await t.close();
    await withToken.close();
  });

  it('serves Prometheus text to a connection from this machine', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/metrics' });
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    for (const name of [
      'nodejs_eventloop_lag_p99_seconds',
      'nodejs_eventloop_lag_max_seconds',
      'process_cpu_seconds_total',
      'fanfold_event_loop_active_seconds_total',
      'fanfold_task_pool_threads',
      'fanfold_task_pool_queued',
      'fanfold_task_pool_running',
      'fanfold_task_pool_utilization',
      'fanfold_task_pool_completed_total',
      'fanfold_task_pool_limit_kills_total',
    ]) {
      assert.notEqual(sample(response.body, name), undefined, `${name} is missing`);
    }
  });

  it('times requests by route pattern, method and status, never by the URL itself', async () => {
    for (const id of [1001, 1002, 1003]) await t.app.inject({ method: 'GET', url: `/works/${id}` });
    await t.app.inject({ method: 'GET', url: '/no/such/page/at/all' });
    const page = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    assert.equal(sample(page, 'fanfold_http_request_duration_seconds_count{method="GET",route="/works/:id",status_code="404"}'), 3);
    assert.equal(sample(page, 'fanfold_http_request_duration_seconds_count{method="GET",route="unmatched",status_code="404"}'), 1);
    assert.doesNotMatch(page, /\/works\/100\d|no\/such/);
  });

  it('reads the job queue at scrape time', async () => {
    const before = sample((await t.app.inject({ method: 'GET', url: '/metrics' })).body, 'fanfold_jobs{state="pending"}');
    assert.equal(typeof before, 'number');
    await enqueueJob(t.db, { kind: 'metrics.test', runAt: new Date(Date.now() + 3_600_000) });
    await enqueueJob(t.db, { kind: 'metrics.test', runAt: new Date(Date.now() + 3_600_000) });
    const page = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    assert.equal(sample(page, 'fanfold_jobs{state="pending"}'), before! + 2);
    assert.equal(typeof sample(page, 'fanfold_jobs{state="failed"}'), 'number');
  });

  it('keeps each app its own registry, so two apps in one process both answer', async () => {
    const other = await withToken.app.inject({ method: 'GET', url: '/metrics' });
    assert.equal(other.statusCode, 200);
    assert.equal(
      sample(other.body, 'fanfold_http_request_duration_seconds_count{method="GET",route="/works/:id",status_code="404"}'),
      undefined,
    );
  });

  it('refuses other machines when no token is configured, saying how to allow them', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '203.0.113.7' });
    assert.equal(response.statusCode, 403);
    assert.match(response.body, /METRICS_TOKEN/);
    assert.doesNotMatch(response.body, /nodejs_/);
  });

  it('treats a request through a proxy on this machine as coming from elsewhere', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/metrics', headers: { 'x-forwarded-for': '127.0.0.1' } });
    assert.equal(response.statusCode, 403);
  });

  it('lets other machines in with the bearer token, and only with it', async () => {
    const from = { remoteAddress: '203.0.113.7' };
    const none = await withToken.app.inject({ method: 'GET', url: '/metrics', ...from });
    assert.equal(none.statusCode, 401);
    assert.match(String(none.headers['www-authenticate']), /^Bearer/);
    const wrong = await withToken.app.inject({ method: 'GET', url: '/metrics', ...from, headers: { authorization: `Bearer ${TOKEN}x` } });
    assert.equal(wrong.statusCode, 401);
    assert.match(wrong.body, /wrong/);
    const right = await withToken.app.inject({ method: 'GET', url: '/metrics', ...from, headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(right.statusCode, 200);
    assert.match(right.body, /^# HELP /m);
  });

  it('refuses a metrics token too short to be a secret', () => {
    assert.throws(() => loadConfig({ METRICS_TOKEN: 'short' }), /METRICS_TOKEN must be at least 16 characters/);
  });
});
