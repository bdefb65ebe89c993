import type { DatabaseHandle } from '../src/db/connection.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { createEmptyDatabase } from './empty-database.ts';

/**
 * A fresh, migrated database for one test file: in-memory PGlite by default, or a new
 * database on the PostgreSQL server named by TEST_DATABASE_URL (dropped on close), so the
 * same suite runs on both engines.
 */
export async function createTestDatabase(): Promise<DatabaseHandle> {
  const handle = await createEmptyDatabase(process.env.TEST_DATABASE_URL, { poolSize: 5 });
  try {
    await migrateToLatest(handle.db);
  } catch (error) {
    await handle.close();
    throw error;
  }
  return handle;
}
