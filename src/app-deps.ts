import type { Kysely } from 'kysely';
import type { Config } from './config.ts';
import type { Database } from './db/schema.ts';
import type { ReplicaSet } from './db/replicas.ts';
import type { JobRunner } from './jobs/runner.ts';
import type { WorkPanels } from './works/work-panels.ts';

/** What the app is built from: routes receive these, never globals. */
export interface AppDeps {
  db: Kysely<Database>;
  config: Config;
  /** Streaming replicas (DATABASE_REPLICA_URLS on PostgreSQL); absent: every read goes to `db`. */
  replicas?: ReplicaSet;
}

/** What feature routes receive: the app's dependencies plus the job runner to register handlers on. */
export interface RouteDeps extends AppDeps {
  jobs: JobRunner;
  /** Slices add their parts of the work page here (kudos, comments, downloads...). */
  workPanels: WorkPanels;
  /**
   * For listings, search, feeds, OPDS, downloads and the API's reads: a replica when one is in
   * rotation and has the session's own writes, else the primary; `db` itself without replicas.
   * A write request's reads through it go to the primary (docs/decisions/034).
   */
  reads: Kysely<Database>;
}

declare module 'fastify' {
  interface FastifyInstance {
    jobs: JobRunner;
  }
}
