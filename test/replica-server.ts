import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import { parseLsn } from '../src/db/replicas.ts';
import type { Database } from '../src/db/schema.ts';

const run = promisify(execFile);

export interface ReplicaServer {
  /** The replica's URL for `database` (the primary's user and password). */
  urlFor(database: string): string;
  /** Stops the server, leaving its files (a replica that went down). */
  stopServer(): Promise<void>;
  /** Stops it if running, drops its replication slot on the primary, deletes its files. */
  remove(): Promise<void>;
}

const SLOT_PREFIX = 'fanfold_test_replica_';

/** The newest PostgreSQL server binaries of the Debian `postgresql` package. */
function findBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).sort((a, b) => Number(a) - Number(b)) : [];
  for (const v of versions.reverse()) {
    const bin = path.join(root, v, 'bin');
    if (fs.existsSync(path.join(bin, 'pg_basebackup')) && fs.existsSync(path.join(bin, 'pg_ctl'))) return bin;
  }
  throw new Error(
    'No PostgreSQL server binaries in /usr/lib/postgresql/*/bin: install them (sudo apt-get install postgresql) to test read replicas.',
  );
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A streaming replica of the primary at `primaryUrl` (a superuser's URL: TEST_DATABASE_URL),
 * made with `pg_basebackup -R` into a temporary directory and started with `pg_ctl` on a free
 * port. As root the server runs as `postgres` (it refuses root), like scripts/with-postgres.sh.
 * A replication slot holds the WAL it needs between the copy and its start.
 */
export async function startReplica(primaryUrl: string): Promise<ReplicaServer> {
  const bin = findBinDir();
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot ? ['runuser', '-u', 'postgres', '--'] : [];
  const exec = (command: string, args: string[], cwd: string) => {
    const [file, ...rest] = [...owner, command, ...args];
    return run(file!, rest, { cwd, env: { ...process.env, PGAPPNAME: 'fanfold-test-replica' } });
  };

  const admin = new pg.Client({ connectionString: primaryUrl });
  await admin.connect();
  let settings: Record<string, string>;
  try {
    // Slots of earlier runs that died before removing their replica keep WAL forever: drop them.
    await admin.query(
      `select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name like '${SLOT_PREFIX}%' and not active`,
    );
    // A hot standby refuses to start with less of these than its primary has.
    const names = ['max_connections', 'max_worker_processes', 'max_wal_senders', 'max_prepared_transactions', 'max_locks_per_transaction'];
    const rows = await admin.query<{ name: string; setting: string }>('select name, setting from pg_settings where name = any($1)', [
      names,
    ]);
    settings = Object.fromEntries(rows.rows.map((r) => [r.name, r.setting]));
  } finally {
    await admin.end();
  }

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fanfold-replica-'));
  fs.chmodSync(tmp, 0o700);
  if (asRoot) await run('chown', ['postgres:', tmp]);
  const data = path.join(tmp, 'data');
  const slot = `${SLOT_PREFIX}${process.pid}_${Date.now()}`;
  let started = false;
  let removed = false;

  const stopServer = async () => {
    if (!started) return;
    started = false;
    await exec(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop'], tmp).catch(() => undefined);
  };
  const remove = async () => {
    if (removed) return;
    removed = true;
    await stopServer();
    const client = new pg.Client({ connectionString: primaryUrl });
    await client.connect();
    try {
      await client.query('select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = $1', [slot]);
    } finally {
      await client.end();
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  };

  try {
    await exec(
      path.join(bin, 'pg_basebackup'),
      ['-d', primaryUrl, '-D', data, '-R', '-X', 'stream', '-c', 'fast', '--no-sync', '-C', '-S', slot],
      tmp,
    );
    // A Debian cluster keeps its configuration in /etc/postgresql: the copy has none of it.
    const conf = path.join(data, 'postgresql.conf');
    if (!fs.existsSync(conf)) fs.writeFileSync(conf, '');
    const hba = path.join(data, 'pg_hba.conf');
    if (!fs.existsSync(hba)) fs.writeFileSync(hba, 'local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\n');
    if (asRoot) await run('chown', ['postgres:', conf, hba]);

    let port = 0;
    for (let attempt = 0; attempt < 5 && !started; attempt++) {
      port = await freePort();
      const options = [
        `-p ${port}`,
        '-c listen_addresses=127.0.0.1',
        `-c unix_socket_directories='${tmp}'`,
        '-c hot_standby=on',
        '-c fsync=off',
        ...Object.entries(settings).map(([name, value]) => `-c ${name}=${value}`),
      ].join(' ');
      try {
        await exec(
          path.join(bin, 'pg_ctl'),
          ['-D', data, '-l', path.join(tmp, 'server.log'), '-w', '-t', '60', '-o', options, 'start'],
          tmp,
        );
        started = true;
      } catch {
        // Another process took the port between asking and listening: try another.
      }
    }
    if (!started) {
      const log = fs.existsSync(path.join(tmp, 'server.log')) ? fs.readFileSync(path.join(tmp, 'server.log'), 'utf8') : '';
      throw new Error(`The replica did not start from ${bin}:\n${log.slice(-2000)}`);
    }
    return {
      urlFor: (database) => {
        const url = new URL(primaryUrl);
        url.hostname = '127.0.0.1';
        url.port = String(port);
        url.pathname = `/${database}`;
        return url.toString();
      },
      stopServer,
      remove,
    };
  } catch (error) {
    await remove().catch(() => undefined);
    throw error;
  }
}

/**
 * Waits until `replica` has replayed `target`, by default every commit the primary has made so
 * far (a condition, not a time). With synchronous_commit=off (scripts/with-postgres.sh) a commit
 * returns before its record is flushed, and only flushed WAL reaches a replica (the WAL writer
 * may take its time): one commit that waits for its flush flushes every commit before it.
 */
export async function replicaCaughtUp(primary: Kysely<Database>, replica: pg.Client, target?: string): Promise<void> {
  if (target === undefined) {
    await primary.transaction().execute(async (trx) => {
      await sql`set local synchronous_commit = on`.execute(trx);
      // A commit that wrote nothing else is never waited for: this one writes a WAL message.
      await sql`select pg_logical_emit_message(true, 'fanfold-test', 'flush')`.execute(trx);
    });
    target = (await sql<{ lsn: string }>`select pg_current_wal_flush_lsn()::text as lsn`.execute(primary)).rows[0]!.lsn;
  }
  const wanted = parseLsn(target)!;
  for (;;) {
    const row = await replica.query<{ lsn: string }>('select pg_last_wal_replay_lsn()::text as lsn');
    if (parseLsn(row.rows[0]!.lsn)! >= wanted) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
