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
    const config = loadConfig({ LOG_LEVEL: 'silent', BASE_URL: 'http://archive.test' });
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

  const hasQuery = (statements: string[], table: string) => statements.some((q) => q.split(' ')[1]?.split(',').includes(table));

  // Counts as of this change (docs/decisions/033). A signed-in reader served from the shared part:
  // the session and preferences lookups, one query for every panel's "is this reader's panel
  // different" question, and the panels that have not said how they differ between readers yet
  // (series, collections, the hidden-work notice, story proposals: 5) plus reading history's hook.
  it('serves a second signed-in reader from the shared part in at most 9 queries, the viewer’s parts in one', async () => {
    const other = await new TestVisitor(app).signUp('qother');
    app.pageCache.clear();
    const miss = await count(reader, `/works/${workId}`);
    assert.ok(miss.length <= 40, `a signed-in reader's first render made ${miss.length} queries:\n${miss.join('\n')}`);
    const hit = await count(other, `/works/${workId}`);
    assert.ok(hit.length <= 9, `a signed-in reader's page from the shared part made ${hit.length} queries:\n${hit.join('\n')}`);
    assert.equal(hit.filter((q) => q.startsWith('raw: {"kind":"RawNode","sqlFragments":["select "')).length, 1, hit.join('\n'));
    // Nothing the shared part holds is read again: not the work, its tags, chapters, kudos or comments.
    for (const table of ['work_tags', 'chapters', 'kudos', 'comments', 'bookmarks', 'subscriptions', 'reading_positions']) {
      assert.ok(!hasQuery(hit, table), `${table} read again:\n${hit.join('\n')}`);
    }
  });

  it('renders a guest’s work page in at most 16 queries, and serves the next guest none', async () => {
    app.pageCache.clear();
    const guest = await count(new TestVisitor(app), `/works/${workId}`);
    assert.ok(guest.length <= 16, `a guest's work page made ${guest.length} queries:\n${guest.join('\n')}`);
    assert.deepEqual(await count(new TestVisitor(app), `/works/${workId}`), []);
  });

  it('renders the creator’s own page (never shared) without reading the same rows twice', async () => {
    const author = await new TestVisitor(app).signUp('qcreator');
    const posted = await author.post('/works', buildWorkForm({ title: 'Own', rating: 'General Audiences' }));
    const own = Number(/\/works\/(\d+)/.exec(String(posted.headers.location))![1]);
    const statements = await count(author, `/works/${own}`);
    const creators = statements.filter((q) => q.startsWith('Select work_creators'));
    // Once for the page, once by the story proposals' panel (its own access check).
    assert.equal(creators.length, 2, `creators read ${creators.length} times:\n${statements.join('\n')}`);
    assert.ok(statements.length <= 30, `the creator's page made ${statements.length} queries:\n${statements.join('\n')}`);
  });
});
