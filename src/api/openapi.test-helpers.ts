// Checking answers against the OpenAPI document, shared by openapi.test.ts and the operation tests.
import assert from 'node:assert/strict';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { HttpMethod, JsonSchema, OpenApiDocument, OperationObject } from './openapi.ts';

/** Validates a value against the subset of JSON Schema the document uses; returns the problems. */
export function checkSchema(doc: OpenApiDocument, schema: JsonSchema, value: unknown, at = '$'): string[] {
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = doc.components.schemas[name];
    return target ? checkSchema(doc, target, value, at) : [`${at}: unresolved ${schema.$ref}`];
  }
  const problems: string[] = [];
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    const actual = value === null ? 'null' : Array.isArray(value) ? 'array' : Number.isInteger(value) ? 'integer' : typeof value;
    const ok = types.some((t) => t === actual || (t === 'number' && actual === 'integer'));
    if (!ok) return [`${at}: expected ${types.join('|')}, got ${actual}`];
  }
  if (schema.enum && !schema.enum.includes(value as string))
    problems.push(`${at}: ${JSON.stringify(value)} is not one of the documented values`);
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    for (const key of schema.required ?? []) if (!(key in record)) problems.push(`${at}: missing required "${key}"`);
    for (const [key, sub] of Object.entries(schema.properties ?? {})) {
      if (key in record) problems.push(...checkSchema(doc, sub, record[key], `${at}.${key}`));
    }
    if (schema.additionalProperties === false) {
      for (const key of Object.keys(record)) if (!(key in (schema.properties ?? {}))) problems.push(`${at}: undocumented "${key}"`);
    }
  }
  if (Array.isArray(value) && schema.items)
    value.forEach((item, i) => problems.push(...checkSchema(doc, schema.items!, item, `${at}[${i}]`)));
  return problems;
}

/** The documented body schema of an answer: JSON, or problem details (RFC 9457) for errors. */
export function documentedBody(media: OperationObject['responses'][string]['content']) {
  return media?.['application/json'] ?? media?.['application/problem+json'];
}

/**
 * Sends requests for documented operations and checks each answer against the document: the
 * status is listed, the body matches its schema, the documented headers are there. Remembers
 * which statuses were seen, so a test can require every documented one.
 */
export class DocumentedCaller {
  readonly operations = new Map<string, { method: HttpMethod; path: string; op: OperationObject }>();
  readonly seen = new Map<string, Set<string>>();

  constructor(
    private readonly app: FastifyInstance,
    readonly doc: OpenApiDocument,
  ) {
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item) as Array<[HttpMethod, OperationObject]>)
        this.operations.set(op.operationId, { method, path, op });
    }
  }

  async call(operationId: string, request: InjectOptions): Promise<LightMyRequestResponse> {
    const entry = this.operations.get(operationId);
    assert.ok(entry, `${operationId} is documented`);
    const response = await this.app.inject({ method: entry.method.toUpperCase() as 'GET', ...request });
    const status = String(response.statusCode);
    const documented = entry.op.responses[status];
    assert.ok(documented, `${operationId} answered ${status}, which the document does not list (${response.body.slice(0, 200)})`);
    const media = documentedBody(documented.content);
    if (media) {
      assert.match(String(response.headers['content-type']), /^application\/(problem\+)?json/);
      assert.deepEqual(checkSchema(this.doc, media.schema, response.json()), [], `${operationId} ${status} body matches the document`);
    }
    for (const header of Object.keys(documented.headers ?? {})) {
      assert.ok(response.headers[header.toLowerCase()], `${operationId} ${status} sends ${header}`);
    }
    if (!this.seen.has(operationId)) this.seen.set(operationId, new Set());
    this.seen.get(operationId)!.add(status);
    if (await revalidate(this.app, entry, request, response, this.seen.get(operationId)!)) this.seen.get(operationId)!.add('304');
    return response;
  }

  /** Documented statuses of these operations that no request produced. */
  unseen(operationIds: Iterable<string>): string[] {
    const missing: string[] = [];
    for (const id of operationIds) {
      const entry = this.operations.get(id);
      if (!entry) {
        missing.push(`${id}: not documented`);
        continue;
      }
      for (const status of Object.keys(entry.op.responses)) if (!this.seen.get(id)?.has(status)) missing.push(`${id} ${status}`);
    }
    return missing;
  }
}

/**
 * The first 200 of a documented GET is asked for again with its ETag as If-None-Match: the
 * answer must be the documented 304 with no body. Once per operation, so the reads a test makes
 * stay within the rate limit it may be counting on. True when a 304 was produced.
 */
export async function revalidate(
  app: FastifyInstance,
  entry: { method: HttpMethod; op: OperationObject },
  request: InjectOptions,
  response: LightMyRequestResponse,
  seen: ReadonlySet<string>,
): Promise<boolean> {
  const etag = response.headers.etag;
  if (entry.method !== 'get' || response.statusCode !== 200 || seen.has('304')) return false;
  assert.ok(typeof etag === 'string', `${entry.op.operationId} 200 sends an ETag`);
  assert.ok(entry.op.responses['304'], `${entry.op.operationId} documents 304 Not Modified`);
  const again = await app.inject({
    method: 'GET',
    ...request,
    headers: { ...(request.headers ?? {}), 'if-none-match': etag },
  });
  if (again.statusCode !== 304) return false;
  assert.equal(again.body, '', `${entry.op.operationId} 304 has no body`);
  assert.equal(again.headers.etag, etag, `${entry.op.operationId} 304 repeats the ETag`);
  return true;
}
