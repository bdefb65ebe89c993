import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerErrorHandling } from './errors.tsx';
import { registerMultipart, STALLED_UPLOAD_MESSAGE } from './multipart.ts';

/*
 * The backstop under the part counting: a multipart body that stops arriving (a client gone
 * quiet, or a parser that stopped reading) is refused once nothing has come for the idle time.
 * A real socket would wait on Fastify's requestTimeout, which this app leaves off; app.inject
 * has no timeout at all.
 */
describe('a multipart body that stops arriving', () => {
  let app: FastifyInstance;
  before(async () => {
    app = Fastify({ logger: false });
    registerErrorHandling(app, 'Test archive');
    await registerMultipart(app, {
      limits: { fileSize: 1024 * 1024, files: 2, fields: 20, parts: 30 },
      onFile: async (part) => {
        (part as unknown as { value: Buffer }).value = await part.toBuffer();
      },
      idleMs: 50,
    });
    app.post('/echo', async (request) => ({ fields: Object.keys(request.body as object) }));
    await app.ready();
  });
  after(() => app.close());

  it('is refused with a 400 that asks for the file again, and a whole one still goes through', async () => {
    const headers = { 'content-type': 'multipart/form-data; boundary=XX', accept: 'application/json' };
    const payload = new PassThrough();
    payload.write('--XX\r\nContent-Disposition: form-data; name="text_file"; filename="a.txt"\r\n\r\nthe first lines of a chap');
    const stalled = await app.inject({ method: 'POST', url: '/echo', headers, payload });
    payload.destroy();
    assert.equal(stalled.statusCode, 400, stalled.body);
    assert.equal(JSON.parse(stalled.body).error.message, STALLED_UPLOAD_MESSAGE);

    const whole = await app.inject({
      method: 'POST',
      url: '/echo',
      headers,
      payload: '--XX\r\nContent-Disposition: form-data; name="title"\r\n\r\nA title\r\n--XX--\r\n',
    });
    assert.equal(whole.statusCode, 200, whole.body);
    assert.deepEqual(JSON.parse(whole.body), { fields: ['title'] });
  });
});
