import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../db/connection.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { imageFiles, prepareImageDir, type ImageFiles } from '../db/pglite-image.ts';

/**
 * fanfold build (npm run build, and npm's prepare step after an install): bin/fanfold.js has
 * compiled src/ before this runs; this makes the PGlite images a new database starts from
 * (src/db/pglite-image.ts), once per PGlite version and set of migrations.
 */
export async function run(argv: string[]): Promise<number> {
  const files = imageFiles();
  if (!files) {
    console.error('The database images cannot be named here (PGlite or src/db/migrations not found); new databases will run initdb.');
    return 1;
  }
  if (fs.existsSync(files.base) && fs.existsSync(files.migrated) && !argv.includes('--force')) {
    console.log('The compiled copy and the database images are up to date.');
    return 0;
  }
  prepareImageDir();
  const started = performance.now();
  // In memory: the image holds the database and nothing else of a data directory. Migrations
  // that changed since the last build start from the initdb image, if there is one.
  const fromBase = fs.existsSync(files.base);
  const handle = await openDatabase({ dataDir: 'memory://', imageFile: fromBase ? files.base : undefined });
  try {
    if (!fromBase) await handle.dumpImage?.(files.base);
    await migrateToLatest(handle.db);
    await handle.dumpImage?.(files.migrated);
  } finally {
    await handle.close();
  }
  removeOtherImages(files);
  console.log(`Prepared the database images in ${((performance.now() - started) / 1000).toFixed(1)} s: ${files.migrated}`);
  return 0;
}

/** Images of other PGlite versions or older migrations are never used again: 5 MB each. */
function removeOtherImages(files: ImageFiles): void {
  const dir = path.dirname(files.migrated);
  for (const name of fs.readdirSync(dir)) {
    const file = path.join(dir, name);
    if (file !== files.base && file !== files.migrated && /^pglite-.*\.tar\.gz$/.test(name)) fs.rmSync(file, { force: true });
  }
}
