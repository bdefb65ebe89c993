import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '../src/db/connection.ts';

/** A database with nothing in it, not even migrations: in-memory PGlite, or a new database on a PostgreSQL server (dropped on close). */
export async function createEmptyDatabase(serverUrl?: string, options: { poolSize?: number } = {}): Promise<DatabaseHandle> {
  if (!serverUrl) return openDatabase({ dataDir: 'memory://' });
  const name = `fanfold_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ databaseUrl: url.toString(), poolSize: options.poolSize ?? 3 });
  return {
    ...handle,
    close: async () => {
      await handle.close();
      const dropper = new pg.Client({ connectionString: serverUrl });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}
