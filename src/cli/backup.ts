import fs from 'node:fs';
import { fileSink, writeBackup } from '../backup/backup.ts';
import { loadConfig } from '../config.ts';
import { openConfiguredDatabase } from '../main.ts';
import { parseCliArgs, printProgress } from './args.ts';

const HELP = `Usage: fanfold backup --out FILE [--from URL --token TOKEN] [--json]

Writes a consistent snapshot of the whole archive (every table, and stored files under
DATA_DIR) to FILE, a zip of one NDJSON file a table plus a manifest with row counts and
SHA-256 checksums. The archive keeps serving while it runs.

  On PostgreSQL (DATABASE_URL): reads the server directly, whether or not Fanfold is running.
  On the embedded database (DATA_DIR): only one process may open it, so
    - with the server stopped: run as is;
    - with the server running: --from http://127.0.0.1:3000 --token <an admin's API token>
      (or FANFOLD_TOKEN) asks the server for the backup (GET /admin/backup).`;

/** fanfold backup: a snapshot of the archive into one file, with progress on stderr. */
export async function run(argv: string[]): Promise<number> {
  const { values } = parseCliArgs(argv, {
    out: { type: 'string' },
    from: { type: 'string' },
    token: { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (!values.out) {
    console.error(`--out FILE is required.\n\n${HELP}`);
    return 2;
  }
  const progress = (m: string) => console.error(m);
  const started = Date.now();
  if (values.from) {
    const token = values.token ?? process.env.FANFOLD_TOKEN;
    if (!token) {
      console.error('--from needs --token (or FANFOLD_TOKEN): an API token of an admin account.');
      return 2;
    }
    const response = await fetch(new URL('/admin/backup', values.from), { headers: { authorization: `Bearer ${token}` } });
    if (!response.ok || !response.body) {
      console.error(`The server refused the backup: ${response.status} ${(await response.text()).slice(0, 300)}`);
      return 1;
    }
    const sink = fileSink(values.out);
    let bytes = 0;
    let shown = 0;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      await sink.write(chunk);
      bytes += chunk.length;
      if (bytes - shown > 4 * 1024 * 1024) {
        progress(`backup: ${(bytes / 1024 / 1024).toFixed(1)} MB received`);
        shown = bytes;
      }
    }
    await sink.end();
    const summary = { ok: true, out: values.out, bytes, seconds: (Date.now() - started) / 1000, via: values.from };
    console.log(values.json ? JSON.stringify(summary) : `Backup written to ${values.out} (${bytes} bytes, from ${values.from}).`);
    return 0;
  }
  const config = loadConfig();
  const handle = await openConfiguredDatabase(config, { progress: printProgress });
  try {
    const manifest = await writeBackup(handle.db, fileSink(values.out), { engine: handle.kind, dataDir: config.dataDir, progress });
    const rows = manifest.tables.reduce((n, t) => n + t.rows, 0);
    const bytes = fs.statSync(values.out).size;
    const summary = {
      ok: true,
      out: values.out,
      bytes,
      tables: manifest.tables.length,
      rows,
      files: manifest.files.length,
      seconds: (Date.now() - started) / 1000,
    };
    console.log(
      values.json
        ? JSON.stringify(summary)
        : `Backup written to ${values.out}: ${manifest.tables.length} tables, ${rows} rows, ${manifest.files.length} files, ${bytes} bytes.`,
    );
    return 0;
  } finally {
    await handle.close();
  }
}
