// The embedded database's own thread: PGlite runs each query synchronously in WebAssembly, so in
// the server's thread a slow query (a search over the whole archive, a trigger building a long
// chapter's search vector) would stop every request meanwhile. Plain JavaScript: no loader needed.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';

/** What of a database error crosses back: its message and PostgreSQL's fields (code, detail, ...). */
function toPlainError(error) {
  if (!(error instanceof Error)) return { message: String(error) };
  const plain = { message: error.message, name: error.name };
  for (const [key, value] of Object.entries(error)) {
    if (value === undefined || typeof value === 'function' || (typeof value === 'object' && value !== null)) continue;
    plain[key] = value;
  }
  return plain;
}

let db;
try {
  // A new database from a prepared image (src/db/pglite-image.ts) skips initdb's seconds.
  const options = workerData.imageFile ? { loadDataDir: new Blob([readFileSync(workerData.imageFile)]) } : undefined;
  db = await PGlite.create(workerData.dataDir ?? undefined, options);
} catch (error) {
  parentPort.postMessage({ ready: false, error: toPlainError(error) });
  process.exit(1);
}

parentPort.on('message', async (message) => {
  const { id, op } = message;
  try {
    if (op === 'query') {
      const result = await db.query(message.sql, message.params);
      parentPort.postMessage({ id, rows: result.rows, affectedRows: result.affectedRows });
    } else if (op === 'dump') {
      // Written whole under its final name or not at all: other processes may be reading images.
      const image = await db.dumpDataDir('gzip');
      const temporary = `${message.file}.${process.pid}-${threadId}.tmp`;
      writeFileSync(temporary, Buffer.from(await image.arrayBuffer()));
      renameSync(temporary, message.file);
      parentPort.postMessage({ id });
    } else if (op === 'close') {
      await db.close();
      parentPort.postMessage({ id });
    } else {
      parentPort.postMessage({ id, error: { message: `unknown operation ${String(op)}` } });
    }
  } catch (error) {
    parentPort.postMessage({ id, error: toPlainError(error) });
  }
});
parentPort.postMessage({ ready: true });
