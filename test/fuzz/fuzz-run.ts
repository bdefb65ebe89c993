// Gathers the targets (the OpenAPI document, the forms of a crawl as each visitor, every
// registered route), sends each its share of requests, and checks every answer: no 5xx, no
// stack trace in a body. Used by the bounded test and by the long run in bench/.
import fc from 'fast-check';
import type { OpenApiDocument } from '../../src/api/openapi.ts';
import type { FuzzArchive } from './fuzz-archive.ts';
import { crawlForms, type FoundForm } from './form-crawler.ts';
import { endsTheAccount, formTarget } from './form-requests.ts';
import { openApiTargets } from './openapi-requests.ts';
import { describeRequest, type FuzzContext, type FuzzRequest, type FuzzTarget, type Identity } from './request-builders.ts';
import { existingParamValues, fillRoute, headerAndMethodTargets, paramsOf, routeTargets } from './route-requests.ts';

export interface FuzzPlan {
  targets: FuzzTarget[];
  context: FuzzContext;
  /** Pages read and forms found by each visitor's crawl. */
  crawl: Record<Identity, { pages: number; forms: number }>;
}

const IDENTITIES: Identity[] = ['guest', 'member', 'admin'];

/** Crawls the site as each visitor and builds every target. */
export async function planFuzz(archive: FuzzArchive, crawlPages = 150): Promise<FuzzPlan> {
  const { app, ids, visitors } = archive;
  const doc = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as OpenApiDocument;
  // Every GET route, filled with things that exist, starts the crawl: forms behind pages no link reaches are found too.
  const start = [
    '/',
    ...app.routeList
      .filter((r) => r.method === 'GET')
      .map((r) =>
        fillRoute(
          r.url,
          paramsOf(r.url).map((p) => existingParamValues(r.url, p, ids)[0]!),
        ),
      ),
  ];
  const crawl = {} as FuzzPlan['crawl'];
  const forms: Array<[FoundForm, Identity]> = [];
  for (const as of IDENTITIES) {
    const visitor = visitors[as];
    const result = await crawlForms(
      async (url) => {
        const r = await visitor.get(url);
        return { status: r.statusCode, contentType: String(r.headers['content-type'] ?? ''), body: r.body };
      },
      { start, maxPages: crawlPages, perPattern: 2 },
    );
    crawl[as] = { pages: result.pages.length, forms: result.forms.length };
    for (const form of result.forms) forms.push([form, as]);
  }
  const context: FuzzContext = {
    ids,
    apiTokens: archive.apiTokens,
    password: archive.password,
    csrf: { guest: visitors.guest.csrfToken, member: visitors.member.csrfToken, admin: visitors.admin.csrfToken },
    fieldNames: [...new Set(forms.flatMap(([f]) => f.fields.map((x) => x.name)))].sort(),
  };
  const targets = [
    ...openApiTargets(doc),
    ...forms
      .filter(([form, as]) => as === 'guest' || !endsTheAccount(form.action.split('?')[0]!, context))
      .map(([form, as]) => formTarget(form, as)),
    ...routeTargets(app.routeList),
    ...headerAndMethodTargets(app.routeList),
  ];
  return { targets, context, crawl };
}

export interface FuzzFailure {
  request: FuzzRequest;
  status: number | 'threw';
  reason: string;
  body: string;
  /** The server's log of the error: its message and stack. */
  serverLog: string[];
}

export interface FuzzSummary {
  seed: number;
  requests: number;
  /** Of which the sweeps' (every field, parameter and property with each classic hazard). */
  swept: number;
  targets: number;
  seconds: number;
  byStatus: Record<string, number>;
  failures: FuzzFailure[];
  /** Requests slower than a second, slowest first. */
  slow: Array<{ ms: number; request: string }>;
  /** The targets that took longest in all, longest first. */
  costliest: Array<{ ms: number; target: string; requests: number }>;
  /** Times a fuzzed request ended a visitor's session and it signed in again. */
  signIns: number;
  healthz: number;
}

export interface FuzzOptions {
  seed: number;
  /** Random requests in all, shared among the targets by weight (the sweeps come on top). */
  requests: number;
  /** Only targets whose id contains this. */
  only?: string;
  /** Called every 100 requests: requests sent so far (sweeps included), random requests planned, failures. */
  onProgress?: (done: number, randomPlanned: number, failures: number) => void;
}

// A stack frame ("    at fn (file:line:col)") or a source path with a line number. Bounded
// repetitions only: bodies echo 100 KB of newlines or spaces, on which `\s*` goes quadratic.
const STACK_TRACE =
  /\n {1,12}at (?:async )?[^\s()]{1,200} \((?:file:\/\/|node:|\/)[^)\n]{1,400}:\d+:\d+\)|(?:node_modules|\/src)\/[\w.-]{1,100}(?:\/[\w.-]{1,100}){0,12}\.(?:ts|tsx|js|mjs|cjs):\d+/;

/** How long a request may go unanswered before it is reported (not a timing assertion: a hang). */
const ANSWER_TIMEOUT_MS = 15_000;

/** A 5xx, a stack trace in the body, or no answer at all. */
export function checkResponse(status: number, body: string): string | null {
  if (status >= 500) return `status ${status}`;
  if (STACK_TRACE.test(body)) return 'stack trace in the body';
  return null;
}

function hashString(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** How many requests each target gets: its share of the total by weight, at least one. */
export function allocate(targets: readonly FuzzTarget[], total: number): number[] {
  const weight = targets.reduce((sum, t) => sum + t.weight, 0);
  return targets.map((t) => Math.max(1, Math.round((total * t.weight) / weight)));
}

/** Sends every target its requests, in a fixed order (destructive targets last), and checks each answer. */
export async function runFuzz(archive: FuzzArchive, plan: FuzzPlan, options: FuzzOptions): Promise<FuzzSummary> {
  const started = performance.now();
  const chosen = plan.targets.filter((t) => !options.only || t.id.includes(options.only));
  const ordered = [...chosen.filter((t) => !t.destructive), ...chosen.filter((t) => t.destructive)];
  const counts = allocate(ordered, options.requests);
  // The sweeps' requests come on top; they are made target by target (a total would mean making them twice).
  const total = counts.reduce((a, b) => a + b, 0);
  const summary: FuzzSummary = {
    seed: options.seed,
    requests: 0,
    swept: 0,
    targets: ordered.length,
    seconds: 0,
    byStatus: {},
    failures: [],
    slow: [],
    costliest: [],
    signIns: 0,
    healthz: 0,
  };
  archive.takeErrorLog();
  let address = 0;
  for (const [t, target] of ordered.entries()) {
    const context = {
      ...plan.context,
      csrf: { guest: archive.visitors.guest.csrfToken, member: archive.visitors.member.csrfToken, admin: archive.visitors.admin.csrfToken },
    };
    // Each target draws from its own seed, so one target's requests do not change when others are added.
    const swept = target.sweep?.(context) ?? [];
    summary.swept += swept.length;
    const requests = [
      ...swept,
      ...fc.sample(target.requests(context), { seed: (options.seed ^ hashString(target.id)) | 0, numRuns: counts[t]! }),
    ];
    const identities = new Set<Identity>();
    const targetStarted = performance.now();
    for (const request of requests) {
      // Visitors keep their accounts: a request that could delete or lock one goes as a guest.
      const path = request.url.split('?')[0]!;
      if (request.as !== 'guest' && endsTheAccount(path, plan.context)) request.as = 'guest';
      identities.add(request.as);
      const visitor = archive.visitors[request.as];
      // A request's own cookie header (a hostile one) goes after the visitor's cookies.
      const cookie = [[...visitor.cookies].map(([k, v]) => `${k}=${v}`).join('; '), request.headers.cookie].filter(Boolean).join('; ');
      address++;
      const began = performance.now();
      let status: number | 'threw';
      let body = '';
      let timer: NodeJS.Timeout | undefined;
      try {
        const answered = archive.app.inject({
          method: request.method as 'GET' | 'POST',
          url: request.url,
          headers: { ...request.headers, ...(cookie ? { cookie } : {}) },
          // Rate limits are per address: each request comes from one of its own.
          remoteAddress: `127.${(address >> 16) & 255}.${(address >> 8) & 255}.${address & 255}`,
          ...(request.payload !== undefined ? { payload: request.payload } : {}),
        });
        // A request the app never answers would otherwise end the run silently (nothing left on the event loop).
        const unanswered = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer in ${ANSWER_TIMEOUT_MS / 1000} s`)), ANSWER_TIMEOUT_MS);
        });
        const response = await Promise.race([answered, unanswered]);
        status = response.statusCode;
        body = response.body;
      } catch (error) {
        status = 'threw';
        body = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      } finally {
        clearTimeout(timer);
      }
      const ms = performance.now() - began;
      if (ms > 1000)
        summary.slow.push({
          ms: Math.round(ms),
          request: `${request.method} ${request.url.slice(0, 120)} (${request.target}; ${request.generator})`,
        });
      summary.requests++;
      summary.byStatus[String(status)] = (summary.byStatus[String(status)] ?? 0) + 1;
      const serverLog = archive.takeErrorLog();
      const reason = status === 'threw' ? (body.includes('no answer in') ? 'no answer' : 'app.inject threw') : checkResponse(status, body);
      if (reason) summary.failures.push({ request, status, reason, body: body.slice(0, 600), serverLog: serverLog.map(summarizeLogLine) });
      if (summary.requests % 100 === 0) options.onProgress?.(summary.requests, total, summary.failures.length);
    }
    summary.costliest.push({ ms: Math.round(performance.now() - targetStarted), target: target.id, requests: requests.length });
    for (const as of identities) if (await archive.ensureSignedIn(as)) summary.signIns++;
  }
  summary.healthz = (await archive.app.inject({ method: 'GET', url: '/healthz' })).statusCode;
  summary.seconds = (performance.now() - started) / 1000;
  summary.slow.sort((a, b) => b.ms - a.ms).splice(10);
  summary.costliest.sort((a, b) => b.ms - a.ms).splice(10);
  return summary;
}

/** A pino line reduced to the error's type, message and first frames. */
function summarizeLogLine(line: string): string {
  try {
    const entry = JSON.parse(line) as { msg?: string; err?: { type?: string; message?: string; stack?: string; code?: string } };
    const stack = (entry.err?.stack ?? '').split('\n').slice(0, 8).join('\n    ');
    return `${entry.msg ?? ''}: ${entry.err?.type ?? ''}${entry.err?.code ? ` ${entry.err.code}` : ''}\n    ${stack || entry.err?.message || ''}`;
  } catch {
    return line.slice(0, 500);
  }
}

/** A failure as the report prints it: the request to replay, what came back, the server's stack. */
export function formatFailure(failure: FuzzFailure): string {
  return [
    `${failure.reason}:`,
    describeRequest(failure.request),
    `  answer ${failure.status}: ${JSON.stringify(failure.body.slice(0, 300))}`,
    ...failure.serverLog.map((l) => `  server log: ${l}`),
  ].join('\n');
}

/** Failures grouped by route and cause, so a thousand requests hitting one bug read as one line. */
export function groupFailures(failures: readonly FuzzFailure[]): Array<{ key: string; count: number; first: FuzzFailure }> {
  const groups = new Map<string, { key: string; count: number; first: FuzzFailure }>();
  for (const f of failures) {
    const frame = /\n\s+at [^\n]*/.exec(f.serverLog[0] ?? '')?.[0]?.trim() ?? '';
    const key = `${f.request.target} | ${f.reason} | ${(f.serverLog[0] ?? '').split('\n')[0]} ${frame}`;
    const group = groups.get(key) ?? { key, count: 0, first: f };
    group.count++;
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}

/** The summary as lines: counts, statuses, slow requests, and each group of failures with one example. */
export function formatSummary(summary: FuzzSummary): string {
  const lines = [
    `fuzz: seed ${summary.seed}, ${summary.requests} requests (${summary.swept} of them sweeps) to ${summary.targets} targets in ${summary.seconds.toFixed(1)} s; /healthz ${summary.healthz} afterwards`,
    `  statuses: ${Object.entries(summary.byStatus)
      .sort()
      .map(([s, n]) => `${s}×${n}`)
      .join(' ')}`,
    `  visitors signed in again: ${summary.signIns}`,
  ];
  if (summary.slow.length > 0) lines.push('  slowest requests:', ...summary.slow.map((s) => `    ${s.ms} ms ${s.request}`));
  lines.push('  costliest targets:', ...summary.costliest.map((c) => `    ${c.ms} ms ${c.target} (${c.requests} requests)`));
  const groups = groupFailures(summary.failures);
  lines.push(`  failures: ${summary.failures.length} in ${groups.length} groups`);
  for (const g of groups) lines.push(`\n[${g.count}×] ${g.key}`, formatFailure(g.first));
  return lines.join('\n');
}
