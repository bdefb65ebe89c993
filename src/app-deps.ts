import type { Kysely } from 'kysely';
import type { Config } from './config.ts';
import type { Database } from './db/schema.ts';
import type { JobRunner } from './jobs/runner.ts';
import type { WorkPanels } from './works/work-panels.ts';

/** What the app is built from: routes receive these, never globals. */
export interface AppDeps {
  db: Kysely<Database>;
  config: Config;
}

/** What feature routes receive: the app's dependencies plus the job runner to register handlers on. */
export interface RouteDeps extends AppDeps {
  jobs: JobRunner;
  /** Slices add their parts of the work page here (kudos, comments, downloads...). */
  workPanels: WorkPanels;
}

declare module 'fastify' {
  interface FastifyInstance {
    jobs: JobRunner;
  }
}
