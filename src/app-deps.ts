import type { Kysely } from 'kysely';
import type { Config } from './config.ts';
import type { Database } from './db/schema.ts';

/** What the app is built from: routes receive these, never globals. */
export interface AppDeps {
  db: Kysely<Database>;
  config: Config;
}
