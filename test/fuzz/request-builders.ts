// What one fuzzed request is, how its body is written (url-encoded, multipart, JSON, raw bytes),
// and how it is printed so that a failure can be sent again by hand.
import fc from 'fast-check';
import type { FixtureIds } from './fuzz-archive.ts';
import { encodeFormComponent, hostileJsonValue, invalidUtf8Bytes, oddContentType, spliceInvalidUtf8, toJsonText } from './fuzz-values.ts';

/** Who sends a request: nobody, a signed-in member who owns works, or an admin and moderator. */
export type Identity = 'guest' | 'member' | 'admin';

/** One request, complete but for the sender's cookies (added when it is sent). */
export interface FuzzRequest {
  /** The operation, form or route it was made for. */
  target: string;
  /** Which generator made it, for the report ("json: wrong types", "form: overlong"). */
  generator: string;
  as: Identity;
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
}

/** A field of a form body, in order; the same name may come more than once. */
export type Field = [name: string, value: string];

/** A file part of a multipart body. */
export interface FilePart {
  name: string;
  filename: string;
  type: string;
  bytes: Buffer;
}

/** A url-encoded body as a browser writes it (lone surrogates become bytes no decoder accepts). */
export function encodeUrlencoded(fields: readonly Field[]): string {
  return fields.map(([k, v]) => `${encodeFormComponent(k)}=${encodeFormComponent(v)}`).join('&');
}

const BOUNDARY = '----fanfold-fuzz-7MA4YWxkTrZu0gW';

/** A multipart body written by hand, so names, file names and bytes can be anything. */
export function encodeMultipart(fields: readonly Field[], files: readonly FilePart[] = []): { payload: Buffer; contentType: string } {
  const parts: Buffer[] = [];
  const quote = (s: string) => s.replace(/"/g, '%22').replace(/\r?\n/g, ' ');
  for (const [name, value] of fields) {
    parts.push(
      Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${quote(name)}"\r\n\r\n`),
      Buffer.from(value, 'utf8'),
      Buffer.from('\r\n'),
    );
  }
  for (const file of files) {
    parts.push(
      Buffer.from(
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${quote(file.name)}"; filename="${quote(file.filename)}"\r\nContent-Type: ${file.type}\r\n\r\n`,
      ),
      file.bytes,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${BOUNDARY}` };
}

/** The body and content type of a request, before it is given its method and address. */
export interface EncodedBody {
  encoding: string;
  contentType?: string;
  payload?: string | Buffer;
}

/**
 * Ways to send the same form fields: mostly as a browser would, then as JSON (strings where
 * the route expects form fields), multipart, with bytes that are not UTF-8, cut short, under
 * a content type that does not match, or with no body at all.
 */
export function formBodyEncodings(fields: readonly Field[], files: readonly FilePart[], multipart: boolean): fc.Arbitrary<EncodedBody> {
  const urlencoded = encodeUrlencoded(fields);
  // defineProperty, not assignment: a field named __proto__ must stay a field.
  const put = (body: Record<string, unknown>, key: string, value: unknown) =>
    Object.defineProperty(body, key, { value, enumerable: true, configurable: true, writable: true });
  const asObject = () => {
    const body: Record<string, unknown> = {};
    for (const [k, v] of fields) {
      const had = Object.hasOwn(body, k) ? body[k] : undefined;
      put(body, k, had === undefined ? v : Array.isArray(had) ? [...had, v] : [had, v]);
    }
    return body;
  };
  const native: fc.Arbitrary<EncodedBody> =
    multipart || files.length > 0
      ? fc.constant(null).map(() => ({ encoding: 'multipart', ...encodeMultipart(fields, files) }))
      : fc.constant({ encoding: 'urlencoded', contentType: 'application/x-www-form-urlencoded', payload: urlencoded });
  return fc.oneof(
    { arbitrary: native, weight: 30 },
    { arbitrary: fc.constant(null).map(() => ({ encoding: 'multipart', ...encodeMultipart(fields, files) })), weight: 2 },
    { arbitrary: fc.constant({ encoding: 'json', contentType: 'application/json', payload: toJsonText(asObject()) }), weight: 1 },
    {
      // JSON types where a form has strings: numbers, nulls, objects, deep arrays.
      arbitrary: fc.array(fc.option(hostileJsonValue, { freq: 2 }), { minLength: fields.length, maxLength: fields.length }).map((swaps) => {
        const body = asObject();
        fields.forEach(([name], i) => {
          if (swaps[i] !== null && name !== '_csrf') put(body, name, swaps[i]);
        });
        return { encoding: 'json with wrong types', contentType: 'application/json', payload: toJsonText(body) };
      }),
      weight: 2,
    },
    {
      arbitrary: fc
        .array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), invalidUtf8Bytes), { minLength: 1, maxLength: 3 })
        .map((cuts) => ({
          encoding: 'urlencoded with raw invalid UTF-8',
          contentType: 'application/x-www-form-urlencoded',
          payload: spliceInvalidUtf8(urlencoded, cuts),
        })),
      weight: 2,
    },
    {
      arbitrary: fc.double({ min: 0.05, max: 0.95, noNaN: true }).map((cut) => {
        const whole = encodeMultipart(fields, files);
        return {
          encoding: 'multipart cut short',
          contentType: whole.contentType,
          payload: whole.payload.subarray(0, Math.floor(whole.payload.length * cut)),
        };
      }),
      weight: 1,
    },
    { arbitrary: oddContentType.map((contentType) => ({ encoding: 'odd content type', contentType, payload: urlencoded })), weight: 2 },
    { arbitrary: fc.constant({ encoding: 'no body', contentType: 'application/x-www-form-urlencoded', payload: '' }), weight: 1 },
    { arbitrary: fc.constant({ encoding: 'no content type' as string, payload: urlencoded }), weight: 1 },
  );
}

/** JSON bodies: as given, under odd content types, with bytes that are not UTF-8, cut short. */
export function jsonBodyEncodings(jsonText: string): fc.Arbitrary<EncodedBody> {
  return fc.oneof(
    { arbitrary: fc.constant({ encoding: 'json', contentType: 'application/json', payload: jsonText }), weight: 12 },
    {
      arbitrary: fc.constant({
        encoding: 'json; charset=utf-8',
        contentType: 'application/json; charset=utf-8',
        payload: Buffer.from(jsonText),
      }),
      weight: 1,
    },
    {
      arbitrary: fc
        .array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), invalidUtf8Bytes), { minLength: 1, maxLength: 3 })
        .map((cuts) => ({
          encoding: 'json with raw invalid UTF-8',
          contentType: 'application/json',
          payload: spliceInvalidUtf8(jsonText, cuts),
        })),
      weight: 2,
    },
    { arbitrary: oddContentType.map((contentType) => ({ encoding: 'odd content type', contentType, payload: jsonText })), weight: 2 },
    {
      arbitrary: fc.constant({
        encoding: 'json cut short',
        contentType: 'application/json',
        payload: jsonText.slice(0, Math.floor(jsonText.length / 2)),
      }),
      weight: 1,
    },
    {
      arbitrary: fc.constant({ encoding: 'json as a form', contentType: 'application/x-www-form-urlencoded', payload: jsonText }),
      weight: 1,
    },
    { arbitrary: fc.constant({ encoding: 'empty json', contentType: 'application/json', payload: '' }), weight: 1 },
    {
      arbitrary: fc.constant({
        encoding: 'utf-16 json',
        contentType: 'application/json',
        payload: Buffer.from(`\ufeff${jsonText}`, 'utf16le'),
      }),
      weight: 1,
    },
  );
}

/** Query strings: well-formed, with arrays, broken escapes, bracket keys and stray separators. */
export function encodeQuery(fields: readonly Field[], tail = ''): string {
  const query = encodeUrlencoded(fields) + tail;
  return query === '' ? '' : `?${query}`;
}

/** Tails that make a query string malformed in one of the ways parsers disagree about. */
export const brokenQueryTail: fc.Arbitrary<string> = fc.constantFrom(
  '',
  '',
  '',
  '&%',
  '&q=%zz',
  '&&&=&=',
  '&a[b][c]=1',
  '&page[]=1',
  '&__proto__[x]=1',
  '&%00=%00',
  '&q=%ED%A0%80',
  '&q=%C0%AF',
  '&' + 'x=1&'.repeat(2000),
  '#fragment',
);

const EXCERPT = 300;

/** A short, escaped view of a body: enough to see what it was and to rebuild it. */
export function excerptOf(payload: string | Buffer | undefined): string {
  if (payload === undefined || payload.length === 0) return '(none)';
  if (Buffer.isBuffer(payload)) {
    const invalid = !isUtf8(payload);
    const text = payload.subarray(0, EXCERPT).toString('latin1');
    return `${payload.length} bytes${invalid ? ' (not UTF-8)' : ''}: ${JSON.stringify(text)}${payload.length > EXCERPT ? '…' : ''} hex head ${payload.subarray(0, 48).toString('hex')}`;
  }
  return `${payload.length} chars: ${JSON.stringify(payload.slice(0, EXCERPT))}${payload.length > EXCERPT ? '…' : ''}`;
}

function isUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** The request as lines a person can read and replay with app.inject() or curl. */
export function describeRequest(request: FuzzRequest): string {
  const url = request.url.length > 400 ? `${request.url.slice(0, 400)}… (${request.url.length} chars)` : request.url;
  const headers = Object.entries(request.headers)
    .map(([k, v]) => `${k}: ${v.length > 120 ? `${JSON.stringify(v.slice(0, 120))}… (${v.length} chars)` : JSON.stringify(v)}`)
    .join('; ');
  return [
    `${request.method} ${url}`,
    `  as ${request.as}; target ${request.target}; generator ${request.generator}`,
    `  headers ${headers || '(none)'}`,
    `  body ${excerptOf(request.payload)}`,
  ].join('\n');
}

/** What a target needs to make requests: the fixture's ids, tokens, and every field name seen. */
export interface FuzzContext {
  ids: FixtureIds;
  apiTokens: string[];
  password: string;
  csrf: Record<Identity, string>;
  /** Names of all fields of all crawled forms: extra fields for routes that have no form. */
  fieldNames: string[];
}

/** Something to fuzz: an API operation, a form, or a route; it makes requests for one context. */
export interface FuzzTarget {
  id: string;
  /** Requests relative to other targets (API operations and forms get more than bare routes). */
  weight: number;
  /** Deletes, hides, ends or revokes things: run after all the others. */
  destructive: boolean;
  requests(ctx: FuzzContext): fc.Arbitrary<FuzzRequest>;
  /** Requests tried once each, before the random ones: every field with each classic hazard. */
  sweep?(ctx: FuzzContext): FuzzRequest[];
}

/** Actions that destroy what other targets act on; their targets run last. */
export const DESTRUCTIVE_PATH =
  /\/(delete|hide|revoke|end|end_others|suspend|roles|clear|disable|remove|release|handled|unsubscribe|logout)$|^\/logout$/;
