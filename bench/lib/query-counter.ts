// Counts the statements an in-process app sends, as src/works/work-page-queries.routes.test.ts
// does: a Kysely plugin on the handle given to buildApp, recording only while asked to.
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';

/** A Kysely plugin that counts statements while `recording` is on. */
export class QueryCounter implements KyselyPlugin {
  recording = false;
  count = 0;
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (this.recording) this.count++;
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
  /** The statements `action` sends. */
  async countDuring(action: () => Promise<unknown>): Promise<number> {
    this.count = 0;
    this.recording = true;
    try {
      await action();
    } finally {
      this.recording = false;
    }
    return this.count;
  }
}
