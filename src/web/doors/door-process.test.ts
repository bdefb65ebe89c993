import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { afterRequestHead } from './door-process.ts';

describe('afterRequestHead', () => {
  it('finds what follows a bodiless request’s head, whatever its headers hold', () => {
    const line = fc.string({ unit: 'binary', maxLength: 40 }).map((s) => s.replace(/[\r\n]/g, ''));
    fc.assert(
      fc.property(
        fc.array(line, { maxLength: 8 }),
        fc.constantFrom('', '\r\n', '\r\n\r\n'),
        fc.uint8Array({ maxLength: 64 }),
        (headers, leading, rest) => {
          const head = Buffer.from(`${leading}GET /works/1 HTTP/1.1\r\n${headers.map((h) => `x-h: ${h}\r\n`).join('')}\r\n`);
          const after = afterRequestHead(Buffer.concat([head, rest]));
          assert.deepEqual(after && [...after], [...rest]);
        },
      ),
    );
  });

  it('finds nothing before the head is complete', () => {
    assert.equal(afterRequestHead(Buffer.from('GET / HTTP/1.1\r\nHost: a\r\n')), undefined);
    assert.equal(afterRequestHead(Buffer.from('')), undefined);
  });
});
