// The HTTP conventions API clients expect, applied to every /api/v1 answer in one place:
// validators on reads (ETag, and 304 for If-None-Match: an e-reader polling its inbox or a work
// pays one hash, not a download), RFC 9457 problem details for errors, and the RateLimit header
// fields (draft-ietf-httpapi-ratelimit-headers) instead of the X-RateLimit-* ones.
import { STATUS_CODES } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { etagMatches, etagOf } from '../web/page-cache.ts';

/** @fastify/rate-limit's header names for the standard fields (its `enableDraftSpec` names, per route). */
export const RATE_LIMIT_HEADERS = {
  labels: { rateLimit: 'ratelimit-limit', rateRemaining: 'ratelimit-remaining', rateReset: 'ratelimit-reset', retryAfter: 'retry-after' },
  addHeaders: { 'ratelimit-limit': true, 'ratelimit-remaining': true, 'ratelimit-reset': true, 'retry-after': true },
  addHeadersOnExceeding: { 'ratelimit-limit': true, 'ratelimit-remaining': true, 'ratelimit-reset': true },
} as const;

export const PROBLEM_TYPE = 'application/problem+json; charset=utf-8';

/**
 * An error body `{"error": {status, message, fields?}}` as problem details: `title` the status's
 * phrase (type about:blank), `detail` the message, `errors` the per-field messages; the
 * `error` member stays, so clients written against it keep working.
 */
export function toProblem(status: number, body: unknown): Record<string, unknown> | null {
  const error = (body as { error?: { status?: unknown; message?: unknown; fields?: unknown } } | null)?.error;
  if (!error || typeof error.message !== 'string') return null;
  return {
    type: 'about:blank',
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail: error.message,
    ...(error.fields && typeof error.fields === 'object' ? { errors: error.fields } : {}),
    error,
  };
}

/** onSend for the API's scope. */
export async function applyApiConventions(request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
  // Answers depend on the token: no shared cache may keep them; a client's own may, asking again each time.
  reply.header('cache-control', 'private, no-cache');
  reply.header('vary', 'Authorization');
  // The quota behind the RateLimit-* fields: this many requests a 60-second window.
  const max = (request.routeOptions.config as { rateLimit?: { max?: unknown } } | undefined)?.rateLimit?.max;
  if (typeof max === 'number') reply.header('ratelimit-policy', `${max};w=60`);
  const text = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : null;
  if (text === null) return payload;
  const status = reply.statusCode;
  if ((request.method === 'GET' || request.method === 'HEAD') && status === 200) {
    const etag = etagOf(Buffer.from(text));
    reply.header('etag', etag);
    if (etagMatches(request.headers['if-none-match'], etag)) {
      reply.code(304);
      reply.removeHeader('content-type');
      return null;
    }
    return payload;
  }
  if (status >= 400 && String(reply.getHeader('content-type') ?? '').startsWith('application/json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return payload;
    }
    const problem = toProblem(status, parsed);
    if (!problem) return payload;
    reply.header('content-type', PROBLEM_TYPE);
    return JSON.stringify(problem);
  }
  return payload;
}
