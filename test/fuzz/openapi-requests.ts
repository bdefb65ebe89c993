// Requests made from the archive's own OpenAPI document: for each operation, its path and query
// parameters and its JSON body filled with values of the right type, the wrong type, missing,
// or hostile, sent with a good token, a wrong one, a malformed header or none.
import fc from 'fast-check';
import type { JsonSchema, OpenApiDocument, OperationObject, ParameterObject } from '../../src/api/openapi.ts';
import {
  deepJsonArray,
  encodeFormComponent,
  deepJsonObject,
  hostileIdString,
  hostileJsonValue,
  hostileString,
  numberishString,
  RawJson,
  toJsonText,
  CONTROL_HAZARD,
  SWEEP_HAZARDS,
} from './fuzz-values.ts';
import {
  brokenQueryTail,
  DESTRUCTIVE_PATH,
  encodeQuery,
  jsonBodyEncodings,
  type Field,
  type FuzzContext,
  type FuzzRequest,
  type FuzzTarget,
  type Identity,
} from './request-builders.ts';

type Doc = Pick<OpenApiDocument, 'paths' | 'components'>;

function resolve(doc: Doc, schema: JsonSchema): JsonSchema {
  let s = schema;
  for (let i = 0; s.$ref && i < 10; i++) s = doc.components.schemas[s.$ref.replace('#/components/schemas/', '')] ?? {};
  return s;
}

const word = fc.constantFrom('Alice', 'Bob', 'Fluff', 'Angst', 'A title', 'en', 'Test Fandom', 'x');

/** A value the schema accepts (within reason: short strings, small numbers). */
export function validValue(doc: Doc, raw: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolve(doc, raw);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : ['string'];
  return fc.oneof(
    ...types.map((type): fc.Arbitrary<unknown> => {
      switch (type) {
        case 'null':
          return fc.constant(null);
        case 'boolean':
          return fc.boolean();
        case 'integer':
          return fc.integer({ min: schema.minimum ?? 0, max: Math.min(schema.maximum ?? 1000, 1000) });
        case 'number':
          return fc.double({ min: schema.minimum ?? 0, max: Math.min(schema.maximum ?? 1000, 1000), noNaN: true });
        case 'array':
          return depth > 3
            ? fc.constant([])
            : fc.array(validValue(doc, schema.items ?? {}, depth + 1), {
                minLength: schema.minItems ?? 0,
                maxLength: Math.min(schema.maxItems ?? 3, 3),
              });
        case 'object': {
          if (depth > 3) return fc.constant({});
          const props = Object.entries(schema.properties ?? {});
          const required = new Set(schema.required ?? []);
          return fc.record(Object.fromEntries(props.map(([k, v]) => [k, validValue(doc, v, depth + 1)])), {
            requiredKeys: props.map(([k]) => k).filter((k) => required.has(k)),
          });
        }
        default:
          if (schema.format === 'date') return fc.constantFrom('2024-01-01', '2020-02-29');
          if (schema.format === 'integer') return fc.integer({ min: 0, max: 100_000 }).map(String);
          if (schema.format === 'uri') return fc.constant('http://archive.test/works/1');
          return schema.minLength && schema.minLength > 8 ? fc.constant('x'.repeat(schema.minLength)) : word;
      }
    }),
  );
}

/**
 * An object body for the schema: each property valid, of a wrong type, or missing; sometimes
 * properties nobody asked for; sometimes no object at all (an array, a string, deep nesting).
 */
export function fuzzedBody(doc: Doc, raw: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolve(doc, raw);
  const props = Object.entries(schema.properties ?? {});
  if (!(schema.type === 'object' || props.length > 0)) {
    return fc.oneof({ arbitrary: validValue(doc, schema), weight: 2 }, { arbitrary: hostileJsonValue, weight: 1 });
  }
  const field = (propSchema: JsonSchema) =>
    fc.oneof(
      { arbitrary: validValue(doc, propSchema, depth + 1).map((v) => ({ v })), weight: 5 },
      { arbitrary: hostileJsonValue.map((v) => ({ v })), weight: 3 },
      // Objects inside objects (a work's chapter) get the same treatment, one level down.
      ...(depth < 2 && resolve(doc, propSchema).type === 'object'
        ? [{ arbitrary: fuzzedBody(doc, propSchema, depth + 1).map((v) => ({ v })), weight: 3 }]
        : []),
      { arbitrary: fc.constant(null), weight: 1 },
    );
  const object = fc
    .tuple(
      fc.tuple(...props.map(([name, s]) => field(s).map((slot) => [name, slot] as const))),
      fc.array(
        fc.tuple(
          fc.oneof(
            hostileString.filter((k) => k.length < 200),
            fc.constantFrom('__proto__', 'constructor', ''),
          ),
          hostileJsonValue,
        ),
        { maxLength: 2 },
      ),
    )
    .map(([slots, extra]) => {
      const body: Record<string, unknown> = {};
      for (const [name, slot] of slots) if (slot) body[name] = slot.v;
      for (const [k, v] of extra) Object.defineProperty(body, k, { value: v, enumerable: true, configurable: true, writable: true });
      return body;
    });
  if (depth > 0) return object;
  return fc.oneof(
    { arbitrary: object, weight: 12 },
    {
      arbitrary: fc.constantFrom(
        deepJsonArray(),
        deepJsonObject(),
        new RawJson('[]'),
        new RawJson('"text"'),
        new RawJson('null'),
        new RawJson('1e308'),
      ),
      weight: 2,
    },
    { arbitrary: hostileJsonValue, weight: 1 },
  );
}

/** A fixture value for a path parameter of the API: something that exists, so the handler runs. */
function existingValue(ctx: FuzzContext, path: string, name: string): string[] {
  const { ids } = ctx;
  if (name === 'login') return [ids.logins.member, ids.logins.admin, 's1_writer0'];
  if (name === 'name') return [ids.tag, 'General Audiences', 'Fluff'];
  if (path.startsWith('/api/v1/series')) return [String(ids.series)];
  return [ids.work, ids.draft, ids.restricted, ids.hidden, ids.seededWork].map(String);
}

function paramValue(ctx: FuzzContext, path: string, p: ParameterObject): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(...existingValue(ctx, path, p.name)), weight: 5 },
    { arbitrary: hostileIdString, weight: 3 },
    { arbitrary: hostileString.filter((s) => s.length < 2000), weight: 2 },
  );
}

/** Query fields for an operation: some parameters set (right type, wrong type, repeated), some unknown. */
function queryFields(doc: Doc, params: ParameterObject[]): fc.Arbitrary<Field[]> {
  const one = (p: ParameterObject) =>
    fc.option(
      fc.oneof(
        {
          arbitrary: validValue(doc, p.schema).map((v) =>
            Array.isArray(v) ? v.map((x) => [p.name, String(x)] as Field) : [[p.name, String(v)] as Field],
          ),
          weight: 4,
        },
        { arbitrary: fc.oneof(hostileString, numberishString).map((v) => [[p.name, v] as Field]), weight: 3 },
        {
          arbitrary: fc
            .array(
              hostileString.filter((s) => s.length < 500),
              { minLength: 2, maxLength: 40 },
            )
            .map((vs) => vs.map((v) => [p.name, v] as Field)),
          weight: 1,
        },
      ),
      { freq: 2 },
    );
  return fc
    .tuple(
      fc.tuple(...params.map(one)),
      fc.array(fc.tuple(fc.constantFrom('page', 'q', 'sort', 'x', '__proto__', 'page[]'), hostileString), { maxLength: 2 }),
    )
    .map(([chosen, extra]) => [...chosen.flatMap((c) => c ?? []), ...(extra as Field[])]);
}

/** How the request says who it is: a good token, a wrong one, a malformed header, or nothing. */
function authorization(ctx: FuzzContext, secured: boolean): fc.Arbitrary<{ label: string; header?: string }> {
  const token = ctx.apiTokens[0]!;
  return fc.oneof(
    { arbitrary: fc.constantFrom(...ctx.apiTokens).map((t) => ({ label: 'token', header: `Bearer ${t}` })), weight: secured ? 8 : 3 },
    { arbitrary: fc.constant({ label: 'no token' }), weight: secured ? 1 : 4 },
    {
      arbitrary: fc
        .constantFrom(
          'Bearer ff_' + 'A'.repeat(43),
          'Bearer ' + token.slice(0, -1),
          'Bearer ' + token + '\u0000',
          'Bearer',
          'Bearer ',
          'Basic Zm9vOmJhcg==',
          'bearer ' + token,
          'Bearer ' + 'x'.repeat(10_000),
          'Bearer ' + token + ', Bearer other',
          'Bearer \u00ff\u00fe',
        )
        .map((header) => ({ label: 'bad token', header })),
      weight: 2,
    },
  );
}

function operationTarget(doc: Doc, path: string, method: string, op: OperationObject): FuzzTarget {
  const params = op.parameters ?? [];
  const pathParams = params.filter((p) => p.in === 'path');
  const queryParams = params.filter((p) => p.in === 'query');
  const secured = !op.security.some((s) => Object.keys(s).length === 0);
  const bodySchema = op.requestBody?.content['application/json']?.schema;
  const id = `api ${method.toUpperCase()} ${path}`;
  return {
    id,
    weight: 3,
    destructive: DESTRUCTIVE_PATH.test(path),
    // Each parameter and each body property once with each hazard, the rest valid, with a good token.
    sweep: (ctx) => {
      const requests: FuzzRequest[] = [];
      const basePath = pathParams.map((p) => existingValue(ctx, path, p.name)[0]!);
      const [baseBody] = bodySchema
        ? (fc.sample(validValue(doc, bodySchema), { seed: 1, numRuns: 1 }) as [Record<string, unknown>])
        : [undefined];
      const send = (label: string, pathValues: string[], query: Field[], body: unknown) => {
        let url = path;
        for (const [i, p] of pathParams.entries()) url = url.replace(`{${p.name}}`, pathValues[i]!);
        const headers: Record<string, string> = { authorization: `Bearer ${ctx.apiTokens[requests.length % ctx.apiTokens.length]}` };
        if (body !== undefined) headers['content-type'] = 'application/json';
        requests.push({
          target: id,
          generator: `sweep, ${label}`,
          as: 'guest',
          method: method.toUpperCase(),
          url: url + encodeQuery(query),
          headers,
          ...(body !== undefined ? { payload: toJsonText(body) } : {}),
        });
      };
      pathParams.forEach((p, i) => {
        for (const value of ['9223372036854775808', encodeFormComponent(CONTROL_HAZARD)]) {
          send(
            `${value.slice(0, 20)} in ${p.name}`,
            basePath.map((v, j) => (j === i ? value : encodeFormComponent(v))),
            [],
            baseBody,
          );
        }
      });
      for (const q of queryParams)
        for (const [hazard, value] of SWEEP_HAZARDS)
          send(`${hazard} in ${q.name}`, basePath.map(encodeFormComponent), [[q.name, value]], baseBody);
      if (bodySchema && baseBody && typeof baseBody === 'object') {
        // undefined leaves the property out of the JSON: the request without it.
        const values: Array<[string, unknown]> = [
          ...SWEEP_HAZARDS,
          ['an array', ['a', 'b']],
          ['1e400', new RawJson('1e400')],
          ['deep JSON', deepJsonArray()],
          ['an object', { a: 1 }],
          ['null', null],
          ['nothing', undefined],
        ];
        const schema = resolve(doc, bodySchema);
        for (const [name, propSchema] of Object.entries(schema.properties ?? {})) {
          for (const [hazard, value] of values)
            send(`${hazard} in ${name}`, basePath.map(encodeFormComponent), [], { ...baseBody, [name]: value });
          // One level down: the chapter of a new work.
          const inner = resolve(doc, propSchema);
          const innerBase = baseBody[name];
          if (inner.type !== 'object' || !innerBase || typeof innerBase !== 'object') continue;
          for (const innerName of Object.keys(inner.properties ?? {})) {
            for (const [hazard, value] of values.slice(0, 3)) {
              send(`${hazard} in ${name}.${innerName}`, basePath.map(encodeFormComponent), [], {
                ...baseBody,
                [name]: { ...innerBase, [innerName]: value },
              });
            }
          }
        }
      }
      return requests;
    },
    requests: (ctx) =>
      fc
        .record({
          pathValues: fc.tuple(...pathParams.map((p) => paramValue(ctx, path, p))),
          query: queryFields(doc, queryParams),
          tail: brokenQueryTail,
          auth: authorization(ctx, secured),
          accept: fc.constantFrom(undefined, 'application/json', 'text/html', '*/*', 'application/xml'),
          // A browser session on the API: no authority of its own, and a write needs the CSRF token.
          as: fc.constantFrom<Identity[]>('guest', 'guest', 'guest', 'guest', 'guest', 'member'),
          body: bodySchema ? fuzzedBody(doc, bodySchema).chain((b) => jsonBodyEncodings(toJsonText(b))) : fc.constant(undefined),
        })
        .map(({ pathValues, query, tail, auth, accept, as, body }): FuzzRequest => {
          let url = path;
          for (const [i, p] of pathParams.entries()) {
            // Already percent-encoded hostile ids (%00, %ED%A0%80) go in as they are.
            const value = pathValues[i]!;
            url = url.replace(`{${p.name}}`, /%[0-9A-Fa-f]{2}/.test(value) ? value : encodeFormComponent(value));
          }
          const headers: Record<string, string> = {};
          if (auth.header !== undefined) headers.authorization = auth.header;
          if (accept) headers.accept = accept;
          if (body?.contentType) headers['content-type'] = body.contentType;
          return {
            target: id,
            generator: [auth.label, body ? body.encoding : 'no body'].join(', '),
            as,
            method: method.toUpperCase(),
            url: url + encodeQuery(query, tail),
            headers,
            ...(body?.payload !== undefined ? { payload: body.payload } : {}),
          };
        }),
  };
}

/** One target for each operation of the document. */
export function openApiTargets(doc: Doc): FuzzTarget[] {
  const targets: FuzzTarget[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) if (op) targets.push(operationTarget(doc, path, method, op));
  }
  return targets;
}
