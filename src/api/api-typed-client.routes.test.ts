import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import SwaggerParser from '@apidevtools/swagger-parser';
import openapiTS, { type OpenAPI3 } from 'openapi-typescript';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import type { HttpMethod, OpenApiDocument } from './openapi.ts';
import { checkSchema, documentedBody } from './openapi.test-helpers.ts';
import { answerReaders, type ApiClient, catchUp, postAWork, readAndRespond } from './typed-client/journeys.ts';
import type { paths } from './typed-client/openapi-paths.ts';
import { createClient } from './typed-client/typed-client.ts';

/** The library's own type for a document: ours is a narrower interface of the same JSON. */
type SwaggerDocument = Exclude<Parameters<typeof SwaggerParser.validate>[0], string>;

/*
 * Proof that the served document is enough to build an app: swagger-parser validates it,
 * openapi-typescript makes types of it, the repository's TypeScript compiles the typed client and
 * the journeys against those types in a folder of their own, and then the journeys run through
 * the client over HTTP against the app. Every answer is also checked against the documented
 * schema of its status, which the types alone cannot see at run time.
 */
const repo = resolve(import.meta.dirname, '../..');
const clientFolder = join(import.meta.dirname, 'typed-client');

/** The repository's compiler settings, for the generated types, the client and the files given. */
const tsconfigFor = (files: string[]) =>
  JSON.stringify({
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      noUncheckedIndexedAccess: true,
      allowImportingTsExtensions: true,
      noEmit: true,
      skipLibCheck: true,
      verbatimModuleSyntax: true,
      types: ['node'],
      typeRoots: [join(repo, 'node_modules', '@types')],
    },
    files,
  });

describe('a typed client generated from the served OpenAPI document', () => {
  let t: TestApp;
  let doc: OpenApiDocument;
  let baseUrl: string;

  before(async () => {
    t = await createTestApp();
    const served = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    assert.equal(served.statusCode, 200);
    doc = served.json();
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  after(() => t.close());

  it('is a valid OpenAPI document to swagger-parser', async () => {
    // validate() dereferences in place: give it a copy.
    await SwaggerParser.validate(structuredClone(doc) as unknown as SwaggerDocument);
  });

  it('gives types that the typed client and the journeys compile against', async () => {
    const types = await openapiTS(structuredClone(doc) as unknown as OpenAPI3);
    assert.match(types, /export interface paths/);
    const folder = await mkdtemp(join(tmpdir(), 'fanfold-typed-client-'));
    try {
      await writeFile(join(folder, 'openapi-paths.ts'), types);
      await writeFile(join(folder, 'package.json'), JSON.stringify({ type: 'module' }));
      await copyFile(join(clientFolder, 'typed-client.ts'), join(folder, 'typed-client.ts'));
      await copyFile(join(clientFolder, 'journeys.ts'), join(folder, 'journeys.ts'));
      await writeFile(join(folder, 'tsconfig.json'), tsconfigFor(['openapi-paths.ts', 'typed-client.ts', 'journeys.ts']));
      // The generated interface has to reach the journeys, not an `any` (which would compile anything).
      assert.doesNotMatch(types, /export type paths = any/);
      const tsc = join(repo, 'node_modules', '.bin', 'tsc');
      const run = await promisify(execFile)(tsc, ['--noEmit', '-p', join(folder, 'tsconfig.json')], { cwd: folder }).then(
        () => ({ code: 0, output: '' }),
        (error: { code?: number; stdout?: string; stderr?: string }) => ({
          code: error.code ?? 1,
          output: `${error.stdout ?? ''}${error.stderr ?? ''}`,
        }),
      );
      assert.equal(run.code, 0, `tsc refused the client or the journeys:\n${run.output}`);

      // And it does refuse what the document does not allow: a wrong body, an unknown path.
      await writeFile(
        join(folder, 'wrong.ts'),
        [
          "import type { paths } from './openapi-paths.ts';",
          "import { createClient } from './typed-client.ts';",
          "const client = createClient<paths>({ baseUrl: '' });",
          "export const a = client.post('/api/v1/works/{id}/kudos', { path: { id: 'seven' } });",
          "export const b = client.get('/api/v1/no-such-thing');",
          "export const c = client.put('/api/v1/works/{id}/position', { path: { id: 1 }, body: { chapter: 1 } });",
          '',
        ].join('\n'),
      );
      await writeFile(join(folder, 'tsconfig.json'), tsconfigFor(['openapi-paths.ts', 'typed-client.ts', 'wrong.ts']));
      const wrong = await promisify(execFile)(tsc, ['--noEmit', '-p', join(folder, 'tsconfig.json')], { cwd: folder }).then(
        () => '',
        (error: { stdout?: string }) => error.stdout ?? '',
      );
      assert.match(wrong, /wrong\.ts\(4,/, 'a string id is refused');
      assert.match(wrong, /wrong\.ts\(5,/, 'an undocumented path is refused');
      assert.match(wrong, /wrong\.ts\(6,/, 'a body of the wrong shape is refused');
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('drives a writer journey and a reader journey through the typed client', async () => {
    const clientFor = async (login: string): Promise<ApiClient> => {
      const visitor = await new TestVisitor(t.app).signUp(login);
      const token = /ff_[A-Za-z0-9_-]{43}/.exec((await visitor.post(`/users/${login}/api_tokens`, { name: 'typed client' })).body)![0];
      return createClient<paths>({
        baseUrl,
        token,
        onAnswer: ({ method, path, status, body }) => {
          const op = doc.paths[path]?.[method as HttpMethod];
          assert.ok(op, `${method.toUpperCase()} ${path} is documented`);
          if (status === 304) return;
          const documented = op.responses[String(status)];
          assert.ok(documented, `${op.operationId} answered ${status}, which the document lists (${JSON.stringify(body)?.slice(0, 200)})`);
          const media = documentedBody(documented.content);
          if (media)
            assert.deepEqual(checkSchema(doc, media.schema, body), [], `${op.operationId} ${status}: the answer matches the document`);
        },
      });
    };
    const writer = await clientFor('typed_writer');
    const reader = await clientFor('typed_reader');

    const work = await postAWork(writer, 'The Lighthouse Keeper');
    const { commentId } = await readAndRespond(reader, work, 'Lighthouse');
    await answerReaders(writer, work, commentId);
    await t.app.jobs.drain();
    await catchUp(reader);
  });
});
