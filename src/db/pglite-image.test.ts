import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { sql } from 'kysely';
import { openDatabase } from './connection.ts';
import { imageFiles, isNewDataDir } from './pglite-image.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fanfold-image-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('prepared PGlite images', () => {
  it('makes a new database on disk from an image of another, which then opens like any other', async () => {
    const image = path.join(tmp, 'image.tar.gz');
    const source = await openDatabase({ dataDir: 'memory://' });
    try {
      await sql`create table greetings (text text not null)`.execute(source.db);
      await sql`insert into greetings values ('hello')`.execute(source.db);
      await source.dumpImage?.(image);
    } finally {
      await source.close();
    }
    const dataDir = path.join(tmp, 'new');
    assert.equal(isNewDataDir(dataDir), true);

    const made = await openDatabase({ dataDir, imageFile: image });
    try {
      const { rows } = await sql<{ text: string }>`select text from greetings`.execute(made.db);
      assert.deepEqual(rows, [{ text: 'hello' }]);
      await sql`insert into greetings values ('again')`.execute(made.db);
    } finally {
      await made.close();
    }
    assert.equal(isNewDataDir(dataDir), false);

    // Opened again without the image: the data directory is a database of its own now.
    const reopened = await openDatabase({ dataDir });
    try {
      const { rows } = await sql<{ text: string }>`select text from greetings order by text`.execute(reopened.db);
      assert.deepEqual(rows, [{ text: 'again' }, { text: 'hello' }]);
    } finally {
      await reopened.close();
    }
  });

  it('names images by PGlite version, and the migrated one by the migrations too', () => {
    const files = imageFiles();
    assert.ok(files);
    assert.match(path.basename(files.base), /^pglite-\d+\.\d+\.\d+-initdb\.tar\.gz$/);
    assert.match(path.basename(files.migrated), /^pglite-\d+\.\d+\.\d+-[0-9a-f]{16}\.tar\.gz$/);
  });
});
