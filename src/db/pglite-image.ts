// Prepared PGlite data directories. PGlite's initdb takes 5 s on a quiet machine and 20 s on a busy
// one; a new database unpacked from an image made once (`fanfold build`) starts in about the time
// it takes to open an existing one (decision 028). Two images per PGlite version: the migrated one,
// keyed by the migrations' text too, and the bare initdb one for when migrations have changed since.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const IMAGE_DIR = path.resolve(import.meta.dirname, '../../.build/images');
const MIGRATIONS_DIR = path.join(import.meta.dirname, 'migrations');

export interface ImageFiles {
  /** initdb only: right for any migrations, which then run at start. */
  base: string;
  /** initdb and every migration of this checkout: nothing left to run. */
  migrated: string;
}

/** The image files for this PGlite version and these migrations, or undefined if they cannot be named. */
export function imageFiles(): ImageFiles | undefined {
  try {
    const require = createRequire(import.meta.url);
    const pgliteDir = path.dirname(path.dirname(require.resolve('@electric-sql/pglite')));
    const version: unknown = JSON.parse(fs.readFileSync(path.join(pgliteDir, 'package.json'), 'utf8')).version;
    if (typeof version !== 'string') return undefined;
    // The migrations' own text, so an image never carries a migration as it was before an edit.
    const hash = createHash('sha256');
    for (const name of fs.readdirSync(MIGRATIONS_DIR).sort()) {
      hash
        .update(name)
        .update('\0')
        .update(fs.readFileSync(path.join(MIGRATIONS_DIR, name)))
        .update('\0');
    }
    const prefix = path.join(IMAGE_DIR, `pglite-${version}`);
    return { base: `${prefix}-initdb.tar.gz`, migrated: `${prefix}-${hash.digest('hex').slice(0, 16)}.tar.gz` };
  } catch {
    return undefined;
  }
}

/** The best image a new database can start from: the migrated one, else the initdb one, else none. */
export function findImage(): { file: string; migrated: boolean } | undefined {
  const files = imageFiles();
  if (!files) return undefined;
  if (fs.existsSync(files.migrated)) return { file: files.migrated, migrated: true };
  if (fs.existsSync(files.base)) return { file: files.base, migrated: false };
  return undefined;
}

/** Whether `dataDir` holds no database yet (PGlite would run initdb there). */
export function isNewDataDir(dataDir: string): boolean {
  return !dataDir.startsWith('memory://') && !fs.existsSync(path.join(dataDir, 'PG_VERSION'));
}

/** Makes the image directory; images are written into it whole (see PGliteThread.dumpImage). */
export function prepareImageDir(): void {
  fs.mkdirSync(IMAGE_DIR, { recursive: true });
}
