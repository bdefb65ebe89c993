import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { cleanRequestValue, stripUnstorableCharacters } from './input-hygiene.ts';

/** Any UTF-16 code unit, so lone surrogates and broken pairs come up as often as whole ones. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n));
const anyText = fc.string({
  unit: fc.oneof(
    codeUnit,
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
    fc.constantFrom('\u0000', '\t', '\n', '\r', '\u007f', '\ud83d', '\ude00'),
  ),
});

/** The rule written a second way, one code unit at a time: the oracle the regexes are checked against. */
function stripByHand(text: string): string {
  let kept = '';
  for (const unit of text.split('')) {
    const code = unit.charCodeAt(0);
    if (!((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0x7f)) kept += unit;
  }
  const isHigh = (i: number) => i < kept.length && kept.charCodeAt(i) >= 0xd800 && kept.charCodeAt(i) <= 0xdbff;
  const isLow = (i: number) => i < kept.length && kept.charCodeAt(i) >= 0xdc00 && kept.charCodeAt(i) <= 0xdfff;
  let out = '';
  for (let i = 0; i < kept.length; i += 1) {
    if (isHigh(i) && isLow(i + 1)) {
      out += kept.slice(i, i + 2);
      i += 1;
    } else if (!isHigh(i) && !isLow(i)) out += kept[i];
  }
  return out;
}

/** True when PostgreSQL can store the text as it is: valid UTF-8 once encoded, and no NUL. */
function isStorable(text: string): boolean {
  return Buffer.from(text, 'utf8').toString('utf8') === text && !text.includes('\u0000');
}

describe('stripUnstorableCharacters', () => {
  it('removes exactly the unstorable characters, whatever the text (property)', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const clean = stripUnstorableCharacters(text);
        assert.equal(clean, stripByHand(text));
        assert.ok(isStorable(clean), JSON.stringify(clean));
        assert.equal(stripUnstorableCharacters(clean), clean, 'cleaning twice changes nothing');
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps tabs, line breaks, emoji and every script as they are', () => {
    const text = 'Tab\there,\r\nnew line, 🌙 moon, café, 日本語, עברית, \u00a0no-break, \u200bzero width';
    assert.equal(stripUnstorableCharacters(text), text);
  });

  it('removes NUL, escape, DEL and surrogate halves', () => {
    assert.equal(stripUnstorableCharacters('a\u0000b\u001bc\u007fd\ud800e\udc00f'), 'abcdef');
    assert.equal(stripUnstorableCharacters('\udc00\ud83d\ude00\ud83d'), '\ud83d\ude00');
    // Controls go first: an emoji split by one is whole again.
    assert.equal(stripUnstorableCharacters('\ud83d\u0000\ude00'), '\ud83d\ude00');
  });
});

describe('cleanRequestValue', () => {
  it('cleans every string and key of a parsed JSON body, and keeps its shape (property)', () => {
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        anyText,
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(anyText, tie('value'), { maxKeys: 4 }),
      ),
    })).value;
    const cleanByHand = (value: unknown): unknown => {
      if (typeof value === 'string') return stripByHand(value);
      if (Array.isArray(value)) return value.map(cleanByHand);
      if (value && typeof value === 'object') {
        const out: Record<string, unknown> = {};
        const entries = Object.entries(value);
        const original = new Set(entries.map(([k]) => k));
        for (const [key, item] of entries) {
          const cleanKey = stripByHand(key);
          if (
            cleanKey !== key &&
            (['__proto__', 'constructor', 'prototype'].includes(cleanKey) || original.has(cleanKey) || cleanKey in out)
          )
            continue;
          Object.defineProperty(out, cleanKey, { value: cleanByHand(item), enumerable: true, writable: true, configurable: true });
        }
        return out;
      }
      return value;
    };
    fc.assert(
      fc.property(json, (value) => {
        const expected = cleanByHand(structuredClone(value));
        const cleaned = cleanRequestValue(structuredClone(value));
        assert.deepEqual(cleaned, expected);
        assert.ok(isStorable(JSON.stringify(cleaned)));
      }),
      { numRuns: 500 },
    );
  });

  it('cleans the objects the form and query parsers make (an empty prototype without one)', () => {
    function Empty() {}
    Empty.prototype = Object.create(null);
    const query = new (Empty as unknown as new () => Record<string, unknown>)();
    query.q = 'a\u0000b';
    query.tags = ['x\u0000', 'y'];
    cleanRequestValue(query);
    assert.equal(query.q, 'ab');
    assert.deepEqual(query.tags, ['x', 'y']);
  });

  it('cleans multipart fields, which point back at the whole body, and leaves file bytes alone', () => {
    const body: Record<string, unknown> = {};
    const bytes = Buffer.from('raw\u0000bytes');
    body.title = { type: 'field', fieldname: 'title', value: 'Ti\u0000tle', fields: body };
    body.file = { type: 'file', fieldname: 'file', filename: 'a\u0000.txt', value: bytes, fields: body };
    cleanRequestValue(body);
    assert.equal((body.title as { value: string }).value, 'Title');
    assert.equal((body.file as { filename: string }).filename, 'a.txt');
    assert.equal((body.file as { value: Buffer }).value, bytes);
    assert.equal(bytes.toString(), 'raw\u0000bytes');
  });

  it('never lets a key become a way into the prototype', () => {
    const body = JSON.parse('{"__pro\\u0000to__": {"polluted": true}, "con\\u0000structor": 1, "ok\\u0000": 2}') as Record<string, unknown>;
    cleanRequestValue(body);
    assert.equal(Object.getPrototypeOf(body), Object.prototype);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.deepEqual(Object.keys(body), ['ok']);
  });

  it('walks a deeply nested body without running out of stack', () => {
    const depth = 200_000;
    const deep = JSON.parse(`${'['.repeat(depth)}"x\\u0000"${']'.repeat(depth)}`) as unknown;
    cleanRequestValue(deep);
    let inner: unknown = deep;
    while (Array.isArray(inner)) inner = inner[0];
    assert.equal(inner, 'x');
  });
});
