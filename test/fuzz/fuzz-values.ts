// The hostile values the request fuzzer puts into fields, parameters and bodies: what a broken
// client, a confused script or an attacker sends where the archive expects a short string or a
// small number. Pure fast-check arbitraries; nothing here knows the app.
import fc from 'fast-check';

/** An overlong field: 100 KB, past every length limit of the forms and the API. */
export const OVERLONG_CHARS = 100 * 1024;
/** How deep the deep JSON and deep markup go. */
export const DEEP_NESTING = 10_000;

const repeatTo = (unit: string, length: number) => unit.repeat(Math.ceil(length / unit.length));

/** Every C0 control character (NUL included) and DEL. */
const C0_CONTROLS = [...Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)), '\u007f'];

/** Text with C0 controls mixed in (NUL above all, half the time: PostgreSQL refuses it in text columns). */
export const controlString: fc.Arbitrary<string> = fc
  .tuple(
    fc.array(fc.oneof(fc.constantFrom(...C0_CONTROLS), fc.string({ maxLength: 4 })), { minLength: 1, maxLength: 12 }),
    fc.boolean(),
    fc.nat(),
  )
  .map(([parts, nul, at]) => {
    if (nul) parts.splice(at % (parts.length + 1), 0, '\u0000');
    return parts.join('');
  });

/** Strings that are not well-formed UTF-16: a lone high or low surrogate somewhere. */
export const loneSurrogateString: fc.Arbitrary<string> = fc
  .tuple(fc.string({ maxLength: 6 }), fc.integer({ min: 0xd800, max: 0xdfff }), fc.string({ maxLength: 6 }))
  .map(([a, unit, b]) => `${a}${String.fromCharCode(unit)}${b}`);

/** 100 KB strings of one repeated unit: plain, accented, astral, markup, spaces, NULs. */
export const overlongString: fc.Arbitrary<string> = fc
  .constantFrom('a', 'é', '😀', '<b>x</b>', ' ', 'word ', '\n', '\u0000', '%', '\uD800')
  .map((unit) => repeatTo(unit, OVERLONG_CHARS));

/** Markup and Markdown nested far deeper than any story: stack depth for parsers and sanitizers. */
const veryDeepMarkup: fc.Arbitrary<string> = fc
  .constantFrom(
    () => '<div>'.repeat(DEEP_NESTING) + 'x' + '</div>'.repeat(DEEP_NESTING),
    () => '<blockquote>'.repeat(DEEP_NESTING),
    () => '<b><i>'.repeat(DEEP_NESTING / 2),
    () => '> '.repeat(DEEP_NESTING) + 'quoted',
    // A list nested 300 deep: two spaces more each line (90 KB).
    () => Array.from({ length: 300 }, (_, i) => `${'  '.repeat(i)}- item`).join('\n'),
    () => '['.repeat(DEEP_NESTING) + 'x' + ']'.repeat(DEEP_NESTING),
    () => '*'.repeat(DEEP_NESTING) + 'x' + '*'.repeat(DEEP_NESTING),
    () => '('.repeat(DEEP_NESTING) + 'a' + ')'.repeat(DEEP_NESTING),
    () => '"'.repeat(DEEP_NESTING),
  )
  .map((make) => make());

/** Nesting just past what the archive allows, in few characters: under every length limit. */
const shortDeepMarkup: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 150, max: 400 }), fc.constantFrom('<b>', '<div>', '<i><u>', '>', '> ', '* ', '1. ', '[', '<blockquote>'))
  .map(([depth, unit]) => unit.repeat(depth) + 'x');

/** Deep markup, far past the limits (100 KB) or just past them (a few hundred levels, short). */
export const deepMarkupString: fc.Arbitrary<string> = fc.oneof(veryDeepMarkup, shortDeepMarkup);

/** Strings that look like numbers to someone: huge, negative zero, not-a-number, 64-bit overflow. */
export const numberishString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '1e308',
    '1e309',
    '-1e308',
    '-0',
    '0',
    '-1',
    'NaN',
    'Infinity',
    '-Infinity',
    '9223372036854775808',
    '18446744073709551616',
    '2147483648',
    '2147483647',
    '4294967296',
    '1.5',
    '0.0000001',
    '0x10',
    '1e3',
    ' 1',
    '1 ',
    '01',
    '+1',
    '1_000',
    '١٢٣',
    '９',
    '',
    '99999999999999999999999999999999999999',
  ),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
  fc.double().map(String),
);

/** Dates that parse almost, or not at all. */
export const dateishString: fc.Arbitrary<string> = fc.constantFrom(
  '2026-02-30',
  '0000-00-00',
  '275760-09-14',
  '-000001-01-01',
  '2026-13-01',
  '2026-01-01T25:61',
  '2026-01-01T00:00Z',
  'yesterday',
  '1970-01-01',
  '9999-12-31T23:59',
  '2026-1-1',
  '',
);

/** Text that means something to some other interpreter: SQL, HTML, templates, paths, URLs, prototypes. */
export const injectionString: fc.Arbitrary<string> = fc.constantFrom(
  "' OR 1=1 --",
  '"; drop table works; --',
  '%s%s%n',
  '${7*7}',
  '{{7*7}}',
  '\\',
  '%',
  '%00',
  '%zz',
  '%C0%AF',
  '../../etc/passwd',
  '..%2F..%2F',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  'http://',
  '//evil.example',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  'toString',
  '\u202e',
  '\ufeff',
  '\u200b',
  '\u0085',
  'q=',
  '&',
  '=',
  '*',
  '"',
  "'",
  '`',
  ',',
  '^',
  'AND',
  'NOT',
  'OR',
  '"unclosed',
  '(',
  ')',
  '-',
  'fandom:',
  ':',
);

/** Any hostile string; ordinary short strings too, so the rest of a form can pass its checks. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.string({ maxLength: 30 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 20 }), weight: 1 },
  { arbitrary: controlString, weight: 3 },
  { arbitrary: loneSurrogateString, weight: 3 },
  { arbitrary: overlongString, weight: 2 },
  { arbitrary: deepMarkupString, weight: 2 },
  { arbitrary: numberishString, weight: 3 },
  { arbitrary: dateishString, weight: 1 },
  { arbitrary: injectionString, weight: 3 },
);

/** Ids that do not exist, or are not ids: zero, negative, past 32 and 64 bits, words, encodings. */
export const hostileIdString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '0',
    '-1',
    '999999999',
    '2147483647',
    '2147483648',
    '9223372036854775807',
    '9223372036854775808',
    '1e308',
    '-0',
    'NaN',
    '1.5',
    '0x1',
    '01',
    'abc',
    'null',
    '%00',
    '%2e%2e',
    '%FF',
    '%C0%80',
    '%ED%A0%80',
    '%E2%80%AE',
    '%20',
    '%',
  ),
  fc.integer({ min: 1_000_000, max: 2_147_483_647 }).map(String),
  fc.constant('9'.repeat(600)),
  fc.constant('a'.repeat(499)),
);

/** A placeholder for a token that is not JSON (NaN, 1e400): swapped for its text when the body is written. */
export class RawJson {
  constructor(readonly text: string) {}
}

/** Numbers JSON can and cannot carry: 1e308, -0, 2**63, NaN and Infinity as bare tokens, 1e400. */
export const hostileNumber: fc.Arbitrary<number | RawJson> = fc.oneof(
  fc.constantFrom(1e308, -1e308, -0, 2 ** 63, 2 ** 53 + 1, 2 ** 31, -(2 ** 31) - 1, 0, -1, 1.5, Number.MIN_VALUE, 999_999_999),
  fc
    .constantFrom('NaN', 'Infinity', '-Infinity', '1e400', '-1e400', '123456789012345678901234567890', '1.0e-400', '-0.0')
    .map((t) => new RawJson(t)),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** A JSON array nested `depth` deep, as text (building the value would only be stringified again). */
export function deepJsonArray(depth = DEEP_NESTING): RawJson {
  return new RawJson('['.repeat(depth) + ']'.repeat(depth));
}

/** A JSON object nested `depth` deep, as text. */
export function deepJsonObject(depth = DEEP_NESTING): RawJson {
  return new RawJson('{"a":'.repeat(depth) + '1' + '}'.repeat(depth));
}

/** Any JSON value of the wrong kind for whatever field it lands in. */
export const hostileJsonValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constant(null), weight: 2 },
  { arbitrary: fc.boolean(), weight: 1 },
  { arbitrary: hostileNumber, weight: 3 },
  { arbitrary: hostileString, weight: 4 },
  { arbitrary: fc.array(hostileString, { maxLength: 4 }), weight: 2 },
  { arbitrary: fc.array(fc.oneof(fc.integer(), fc.constant(null), fc.object({ maxDepth: 1 })), { maxLength: 3 }), weight: 1 },
  { arbitrary: fc.object({ maxDepth: 2, maxKeys: 3 }), weight: 1 },
  {
    arbitrary: fc.constantFrom(new RawJson('{"__proto__":{"polluted":true}}'), new RawJson('{"constructor":{"prototype":{"x":1}}}')),
    weight: 1,
  },
  {
    arbitrary: fc
      .constantFrom(
        () => deepJsonArray(),
        () => deepJsonObject(),
      )
      .map((f) => f()),
    weight: 1,
  },
  { arbitrary: fc.array(fc.constant('tag'), { minLength: 1000, maxLength: 1000 }), weight: 1 },
);

/** Writes a value as JSON text, putting each RawJson placeholder's text where it stands. */
export function toJsonText(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_key, v) => {
    if (v instanceof RawJson) {
      raws.push(v.text);
      return `\u0000raw${raws.length - 1}\u0000`;
    }
    return v;
  });
  if (text === undefined) return 'null';
  // JSON.stringify escapes the NULs of the marker as \u0000, so no hostile string can forge one.
  return text.replace(/"\\u0000raw(\d+)\\u0000"/g, (_m, i: string) => raws[Number(i)]!);
}

/** Bytes that are not UTF-8: stray continuation bytes, overlong forms, encoded surrogates, 0xFF. */
export const invalidUtf8Bytes: fc.Arbitrary<Buffer> = fc
  .constantFrom(
    [0xff],
    [0xc0, 0xaf],
    [0xe0, 0x80, 0xaf],
    [0xed, 0xa0, 0x80],
    [0x80],
    [0xf8, 0x88, 0x80, 0x80, 0x80],
    [0xc3],
    [0xfe, 0xff],
    [0xf4, 0x90, 0x80, 0x80],
  )
  .map((bytes) => Buffer.from(bytes));

/** Inserts invalid UTF-8 into a body's bytes at a few places (inside strings as often as not). */
export function spliceInvalidUtf8(text: string, cuts: Array<[position: number, bytes: Buffer]>): Buffer {
  const body = Buffer.from(text, 'utf8');
  const parts: Buffer[] = [];
  let last = 0;
  for (const [position, bytes] of [...cuts].sort((a, b) => a[0] - b[0])) {
    const at = Math.min(body.length, Math.max(last, Math.floor(position * body.length)));
    parts.push(body.subarray(last, at), bytes);
    last = at;
  }
  parts.push(body.subarray(last));
  return Buffer.concat(parts);
}

/** Content types that no route of the archive expects, or expects with other bodies. */
export const oddContentType: fc.Arbitrary<string> = fc.constantFrom(
  'text/plain',
  'text/html',
  'application/xml',
  'application/octet-stream',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'application/x-www-form-urlencoded; charset=utf-16',
  'multipart/form-data',
  'multipart/form-data; boundary=',
  'multipart/form-data; boundary=nothing-matches-this',
  'multipart/mixed; boundary=x',
  'application/vnd.api+json',
  'application/merge-patch+json',
  'image/png',
  '*/*',
  ';;;',
  'application/json\u0000',
  'a'.repeat(2000),
);

/**
 * Percent-encodes like a form does; a lone surrogate, which encodeURIComponent refuses, becomes
 * its three WTF-8 bytes (%ED%A0%80), which no UTF-8 decoder accepts: what a sloppy client sends.
 */
export function encodeFormComponent(value: string): string {
  if (!/[\uD800-\uDFFF]/.test(value)) return encodeURIComponent(value);
  return value.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]|[\s\S]/g, (ch) => {
    const unit = ch.charCodeAt(0);
    if (ch.length === 1 && unit >= 0xd800 && unit <= 0xdfff) {
      return [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
    }
    return encodeURIComponent(ch);
  });
}

/**
 * The classic breakers in one string, for the sweeps that try every field once: NUL and other
 * C0 controls, DEL, a byte-order mark, an RTL override. (No lone surrogate: in a URL or a form
 * body it becomes bytes that are not UTF-8, and parsers then leave the whole value undecoded,
 * NUL included; LONE_SURROGATE_HAZARD tries those on their own.)
 */
export const CONTROL_HAZARD = 'a\u0000b\u0001\u0008\u001b\u007f c\ufeff\u202e d';

/** A lone high and a lone low surrogate: half an emoji, from a broken paste. */
export const LONE_SURROGATE_HAZARD = 'a\uD800b\uDC00c';

/**
 * Long and deep at once (100 KB): Markdown quotes 5,000 deep, HTML 10,000 deep, brackets and
 * emphasis runs of 10,000, then plain words; whatever the field's parser, one part reaches it.
 */
export const DEEP_LONG_HAZARD = (
  '> '.repeat(5_000) +
  '<div>'.repeat(DEEP_NESTING) +
  '['.repeat(DEEP_NESTING) +
  '*'.repeat(DEEP_NESTING) +
  ' word'.repeat(4_000)
).slice(0, OVERLONG_CHARS);

/**
 * Deep but short (about 1,000 characters, under the length limits of summaries and notes, where
 * the 100 KB hazard is refused for its length before any parser sees it): 250 levels of
 * Markdown quotes, then 250 of HTML.
 */
export const DEEP_SHORT_HAZARD = '>'.repeat(250) + ' ' + '<b>'.repeat(250);

/** The sweeps' values for a text field: each is tried once in every field of every form. */
export const SWEEP_HAZARDS: ReadonlyArray<[label: string, value: string]> = [
  ['controls', CONTROL_HAZARD],
  ['lone surrogates', LONE_SURROGATE_HAZARD],
  ['deep and long', DEEP_LONG_HAZARD],
  ['deep and short', DEEP_SHORT_HAZARD],
];
