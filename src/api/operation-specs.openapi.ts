// The community slices' API files (gifts, co-creators, prompt memes, gift exchanges) describe each
// operation as a short spec; this turns the specs into OpenAPI operations with the answers every
// operation shares (401, the scope's 403, 400/415 for a body, 422, 429), so each file says only
// what differs.
import { READS_PER_MINUTE, WRITES_PER_MINUTE } from './api.schema.ts';
import { IDEMPOTENCY_KEY } from './api-operations.openapi.ts';
import type { Scope } from './api-scopes.ts';
import type { JsonSchema, OperationObject, ParameterObject, PathItemObject, ResponseObject } from './openapi.ts';

/** Answers an operation may give besides its success and the shared ones, each with its reason. */
export type ExtraStatus = '201' | '403' | '404' | '409' | '422';

export interface OperationSpec {
  id: string;
  method: 'get' | 'post' | 'put' | 'delete';
  /** Under /api/v1, with `{name}` for each path parameter. */
  path: string;
  summary: string;
  description: string;
  scope: Scope;
  query?: ParameterObject[];
  body?: { schema: string; example: unknown };
  ok: { status: '200' | '201' | '202' | '204'; schema?: string; description: string };
  /** A '201' beside an ok of 200 is a PUT that creates or changes. */
  also: Partial<Record<ExtraStatus, string>>;
}

export const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

export const failure = (description: string): ResponseObject => ({
  description,
  content: { 'application/problem+json': { schema: ref('Error') } },
});

export const invalid = (description: string): ResponseObject => ({
  description,
  content: { 'application/problem+json': { schema: ref('ValidationError') } },
});

export const tooMany = (description: string): ResponseObject => ({
  description: `${description} The Retry-After and RateLimit-* headers say when to try again.`,
  headers: { 'Retry-After': { description: 'Seconds until the limit resets.', schema: { type: 'integer' } } },
  content: { 'application/problem+json': { schema: ref('Error') } },
});

function toOperation(spec: OperationSpec, tag: string, paramOf: (name: string, spec: OperationSpec) => ParameterObject): OperationObject {
  const params = [...spec.path.matchAll(/\{(\w+)\}/g)].map((m) => paramOf(m[1]!, spec));
  params.push(...(spec.query ?? []));
  if (spec.method === 'post') params.push(IDEMPOTENCY_KEY);
  const write = spec.scope !== 'read';
  const success = (description: string): ResponseObject => ({
    description,
    ...(spec.ok.schema ? { content: { 'application/json': { schema: ref(spec.ok.schema) } } } : {}),
  });
  const responses: Record<string, ResponseObject> = { [spec.ok.status]: success(spec.ok.description) };
  if (spec.also['201']) responses['201'] = success(spec.also['201']);
  if (spec.body) responses['400'] = failure('The body is not JSON, or not UTF-8.');
  responses['401'] = failure('No token, or one that is unknown, expired or revoked.');
  if (write || spec.also['403'])
    responses['403'] = failure(spec.also['403'] ?? `The app was not allowed “${spec.scope}” (WWW-Authenticate names it).`);
  if (spec.also['404']) responses['404'] = failure(spec.also['404']);
  if (spec.also['409']) responses['409'] = failure(spec.also['409']);
  if (spec.body) responses['415'] = failure('The body is not application/json.');
  if (spec.body || spec.also['422']) responses['422'] = invalid(spec.also['422'] ?? 'A field is not valid.');
  responses['429'] = tooMany(
    write
      ? `More than ${WRITES_PER_MINUTE} writes a minute from this token.`
      : `More than ${READS_PER_MINUTE} requests a minute from this token.`,
  );
  return {
    operationId: spec.id,
    summary: spec.summary,
    description: `${spec.description} Needs a token with the “${spec.scope}” scope (personal tokens hold every scope).`,
    tags: [tag],
    security: [{ bearerAuth: [] }, { oauth2: [spec.scope] }],
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(spec.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: ref(spec.body.schema), example: spec.body.example } } } }
      : {}),
    responses,
  };
}

/** The document's paths for these specs, every operation under one tag. */
export function pathsOfSpecs(
  specs: readonly OperationSpec[],
  tag: string,
  paramOf: (name: string, spec: OperationSpec) => ParameterObject,
): Record<string, PathItemObject> {
  const paths: Record<string, PathItemObject> = {};
  for (const spec of specs) (paths[`/api/v1${spec.path}`] ??= {})[spec.method] = toOperation(spec, tag, paramOf);
  return paths;
}
