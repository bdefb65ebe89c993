import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Busboy } from '@fastify/busboy';
import fc from 'fast-check';
import { MultipartPartCounter, readMultipartBoundary } from './multipart-parts.ts';

function countParts(body: string | Buffer, boundary = 'XX', chunkSize = Infinity): number {
  const counter = new MultipartPartCounter(boundary);
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body, 'latin1');
  for (let i = 0; i < bytes.length; i += chunkSize) counter.push(bytes.subarray(i, Math.min(bytes.length, i + chunkSize)));
  return counter.parts;
}

/** What busboy hands over for a body, and whether it finished (with the high-water mark the app sets). */
function parseWithBusboy(body: Buffer, boundary: string): Promise<{ handed: number; finished: boolean }> {
  return new Promise((resolve) => {
    const bb = new Busboy({ headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, fileHwm: Number.MAX_SAFE_INTEGER });
    let handed = 0;
    bb.on('field', () => (handed += 1));
    bb.on('file', (_name, file) => {
      handed += 1;
      file.resume();
    });
    bb.on('finish', () => resolve({ handed, finished: true }));
    bb.on('error', () => resolve({ handed, finished: false }));
    bb.end(body);
  });
}

describe('readMultipartBoundary', () => {
  it('reads the boundaries browsers and HTTP libraries write', () => {
    assert.equal(readMultipartBoundary('multipart/form-data; boundary=----WebKitFormBoundaryAbC123'), '----WebKitFormBoundaryAbC123');
    assert.equal(readMultipartBoundary('multipart/form-data; charset=utf-8; Boundary="a b:c"'), 'a b:c');
    assert.equal(readMultipartBoundary('multipart/form-data;boundary=XX'), 'XX');
  });

  it('reads none where parsers could disagree about it', () => {
    for (const contentType of [
      'multipart/form-data',
      'multipart/form-data; boundary=',
      'multipart/form-data; boundary=a; boundary=b',
      "multipart/form-data; boundary*=utf-8''XX",
      'multipart/form-data; foo="x; boundary=evil"; boundary=real',
      'multipart/form-data; boundary="a\\"b"',
      'multipart/form-data; boundary="a;b"',
      'multipart/form-data; boundary=a b',
      'multipart/form-data; boundary=caf\u00e9',
    ]) {
      assert.equal(readMultipartBoundary(contentType), undefined, contentType);
    }
  });
});

describe('MultipartPartCounter', () => {
  it('counts the parts between the first delimiter and the closing one, ignoring preamble and epilogue', () => {
    assert.equal(countParts('--XX--\r\n'), 0);
    assert.equal(countParts('--XX\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--XX--\r\n'), 1);
    assert.equal(countParts('preamble\r\n--XX\r\n\r\na\r\n--XX\r\n\r\nb\r\n--XX--\r\n\r\n--XX\r\n\r\nepilogue'), 2);
    // Without CRLF before it, a delimiter is content; with it, one is a delimiter whatever follows
    // (a longer boundary too), as the parser reads it.
    assert.equal(countParts('--XX\r\n\r\nx--XX\r\n--XX--'), 1);
    assert.equal(countParts('--XX\r\n\r\nx\r\n--XXY\r\n\r\n\r\n--XX--'), 2);
    // One dash is not a close: a part begins (the parser sees one, with its headers unfinished).
    assert.equal(countParts('--XX\r\n\r\na\r\n--XX-\r\n--XX--'), 2);
  });

  it('counts the same however the body is cut into chunks', () => {
    const body = `pre\r\n--XX\r\nContent-Type: text/plain\r\n\r\n${'x'.repeat(50)}\r\n--XX\r\n\r\n-\r\n--XX-\r\n--XX--\r\n--XX\r\n`;
    const whole = countParts(body);
    assert.equal(whole, 3);
    for (let size = 1; size <= 12; size += 1) assert.equal(countParts(body, 'XX', size), whole, `chunks of ${size}`);
  });

  it('never counts fewer parts than busboy hands over, and agrees with it on well-formed forms', async () => {
    const part = fc.record({
      headers: fc.constantFrom(
        'Content-Disposition: form-data; name="a"',
        'Content-Disposition: form-data; name="f"; filename="a.txt"\r\nContent-Type: text/plain',
        'Content-Type: text/plain',
        'Content-Disposition: form-data; name="a\rb"',
        'Content-Disposition: form-data; name="f"; filename="a\nb"',
        'Content-Disposition: attachment; name="a"',
        '',
      ),
      content: fc.string({ maxLength: 40 }).map((s) => s.replace(/XX/g, 'xx')),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(part, { maxLength: 5 }), fc.integer({ min: 1, max: 64 }), async (parts, chunkSize) => {
        const body = Buffer.from(`${parts.map((p) => `--XX\r\n${p.headers}\r\n\r\n${p.content}\r\n`).join('')}--XX--\r\n`);
        const { handed, finished } = await parseWithBusboy(body, 'XX');
        const counted = countParts(body, 'XX', chunkSize);
        assert.ok(finished);
        assert.ok(counted >= handed, `counted ${counted}, busboy handed over ${handed}`);
        if (
          parts.every(
            (p) => p.headers.startsWith('Content-Disposition: form-data; name="') && !/[\r\n]/.test(p.headers.split('\r\n')[0]!.slice(20)),
          )
        ) {
          assert.equal(counted, handed);
        }
      }),
      { seed: 20261206, numRuns: 300 },
    );
  });
});
