import type { Migration } from 'kysely';
import * as m0001 from './0001_core.ts';
import * as m0002 from './0002_jobs.ts';

/** Every migration, in order. Add a file, then list it here; never edit a merged one. */
export const migrations: Record<string, Migration> = {
  '0001_core': m0001,
  '0002_jobs': m0002,
};
