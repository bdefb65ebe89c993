import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import type { DatabaseHandle } from '../db/connection.ts';
import { createTestDatabase } from '../../test/database.ts';
import { TestVisitor } from '../../test/app.ts';
import { buildWorkForm } from '../../test/factories.ts';
import type { FastifyInstance } from 'fastify';

/** The tables a statement reads, in order: enough to tell the statements apart in a failure message. */
function describeQuery(node: RootOperationNode): string {
  const json = JSON.stringify(node);
  if (node.kind === 'RawNode') return `raw: ${json.slice(0, 80)}`;
  const tables = [
    ...json.matchAll(
      /"kind":"TableNode","table":\{"kind":"SchemableIdentifierNode","identifier":\{"kind":"IdentifierNode","name":"(\w+)"/g,
    ),
  ].map((m) => m[1]);
  return `${node.kind.replace('QueryNode', '')} ${tables.join(',')}`;
}

/** Counts the statements the app sends, with their SQL, while `recording` is on. */
class QueryCounter implements KyselyPlugin {
  recording = false;
  readonly statements: string[] = [];
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (this.recording) this.statements.push(describeQuery(args.node));
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

describe('work page queries', () => {
  let handle: DatabaseHandle;
  let app: FastifyInstance;
  const counter = new QueryCounter();
  let reader: TestVisitor;
  let workId: number;

  before(async () => {
    handle = await createTestDatabase();
    const config = loadConfig({ LOG_LEVEL: 'silent', BASE_URL: 'http://archive.test', PAGE_CACHE: 'off' });
    app = await buildApp({ db: handle.db.withPlugin(counter), config }, { logger: false });
    await app.ready();
    const author = await new TestVisitor(app).signUp('qauthor');
    reader = await new TestVisitor(app).signUp('qreader');
    const posted = await author.post('/works', buildWorkForm({ title: 'Counted', rating: 'General Audiences' }));
    workId = Number(/\/works\/(\d+)/.exec(String(posted.headers.location))![1]);
    await reader.post(`/works/${workId}/comments`, { comment: 'Lovely.', return_to: `/works/${workId}` });
  });
  after(async () => {
    await app.close();
    await handle.close();
  });

  const count = async (visitor: TestVisitor, url: string) => {
    counter.statements.length = 0;
    counter.recording = true;
    const page = await visitor.get(url);
    counter.recording = false;
    assert.equal(page.statusCode, 200, page.body.slice(0, 300));
    return [...counter.statements];
  };

  // 28 (27 + the collections panel) after the panels shared what the page had already loaded (33 before: the work row, its
  // creators, the chapter list and the block check were each read again by the panels).
  it('renders a signed-in reader’s work page in at most 28 queries, a guest’s in at most 15', async () => {
    const signedIn = await count(reader, `/works/${workId}`);
    assert.ok(signedIn.length <= 28, `a signed-in work page made ${signedIn.length} queries:\n${signedIn.join('\n')}`);
    const guest = await count(new TestVisitor(app), `/works/${workId}`);
    assert.ok(guest.length <= 15, `a guest's work page made ${guest.length} queries:\n${guest.join('\n')}`);
  });
});
