import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { safeReturnPath } from './page-context.ts';

const SITE = 'http://archive.test';
const BASE = `${SITE}/works/7/chapters/3`;
const FALLBACK = '/works/7';

/** Pieces open redirects are made of, joined in any order. */
const attackPiece = fc.constantFrom(
  '/',
  '\\',
  '\t',
  '\n',
  '\r',
  ' ',
  '\u0000',
  '\u000b',
  '\u000c',
  '\u001f',
  '\u007f',
  '\u00a0',
  '\u2028',
  '\u3000',
  '\ufeff',
  'evil.example',
  'http:',
  'https:',
  'javascript:',
  ':',
  '@',
  '.',
  '..',
  '%2f',
  '%5c',
  '%09',
  '?',
  '#',
  'works',
  'é',
  '🌙',
  '\ud800',
  '\udc00',
);
const anyString = fc.oneof(
  fc.array(attackPiece, { maxLength: 8 }).map((pieces) => pieces.join('')),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n)) }),
  fc.string({ unit: 'binary' }).map((s) => `/${s}`),
);

describe('safeReturnPath', () => {
  it('never answers with another host, nor with a value a Location header cannot carry (property)', () => {
    fc.assert(
      fc.property(anyString, (raw) => {
        const path = safeReturnPath(raw, FALLBACK);
        assert.match(path, /^\/[\x21-\x7e]*$/, JSON.stringify(path));
        // Node's URL parser is the WHATWG one browsers use: it strips tab and newline and reads `\` as `/` as they do.
        const followed = new URL(path, BASE);
        assert.equal(followed.origin, SITE, `${JSON.stringify(raw)} → ${path} → ${followed.href}`);
        if (path !== FALLBACK) {
          // A kept path means what it meant: only its non-ASCII was percent-encoded, as a browser would.
          assert.equal(followed.href, new URL(raw, BASE).href, JSON.stringify(raw));
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('keeps ordinary paths on this site, with their query and fragment', () => {
    fc.assert(
      fc.property(fc.webPath(), fc.webQueryParameters(), fc.webFragments(), (p, q, f) => {
        const raw = `/${p.replace(/^\/+/, '')}?${q}#${f}`;
        if (/^\/[/\\]/.test(raw)) return;
        assert.equal(safeReturnPath(raw, FALLBACK), raw);
      }),
    );
    assert.equal(safeReturnPath('/'), '/');
    assert.equal(safeReturnPath('/tags/Caf%C3%A9/works?page=2#list'), '/tags/Caf%C3%A9/works?page=2#list');
    assert.equal(safeReturnPath('/tags/Café'), '/tags/Caf%C3%A9');
  });

  it('sends the visitor home for the known ways out', () => {
    for (const raw of [
      '//evil.example',
      '/\\evil.example',
      '/\t/evil.example/x',
      '/\n/evil.example',
      '\t//evil.example',
      ' /x',
      'https://evil.example',
      'evil.example',
      '',
      '/x\n',
      '/x y',
      '/\ud800',
      undefined,
      42,
      ['/x'],
    ]) {
      assert.equal(safeReturnPath(raw), '/', JSON.stringify(raw));
    }
    assert.equal(safeReturnPath(`/${'a'.repeat(500)}`), '/');
  });
});
