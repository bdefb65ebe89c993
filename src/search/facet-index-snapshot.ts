// A facet index as bytes (decision 040): built once, by one process, stored in the database
// (migration 0025) where every app process can read it; a process that starts loads it in seconds
// and catches up from the change log, instead of reading every work for a minute at 1M works.
//
// Layout: a little-endian u32 header length, the header (JSON: scalars, and where each array
// lies), then every typed array at an 8-byte-aligned offset. A loaded snapshot's arrays are views
// of the one buffer its parts were decoded into: no copy per array.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { SnapshotParts, TagRow } from './facet-index.ts';
import type { PostingsParts } from './postings.ts';

type Db = Kysely<Database>;

/** Bumped whenever the layout or what the index holds changes: older snapshots are then ignored. */
export const SNAPSHOT_FORMAT = 2;
/** Bytes per stored part (a bytea value; base64 on the wire, decoded straight into the buffer). */
const PART_BYTES = 8 << 20;
/** Parts fetched per query while loading, and queries at once (the server encodes while this process decodes). */
const PARTS_PER_QUERY = 2;
const READERS = 2;

type Typed = Int32Array | Uint8Array | Uint16Array | Float64Array | Uint32Array;
const TYPES = { i32: Int32Array, u8: Uint8Array, u16: Uint16Array, f64: Float64Array, u32: Uint32Array } as const;
type TypeName = keyof typeof TYPES;

function typeOf(a: Typed): TypeName {
  if (a instanceof Int32Array) return 'i32';
  if (a instanceof Uint8Array) return 'u8';
  if (a instanceof Uint16Array) return 'u16';
  if (a instanceof Float64Array) return 'f64';
  return 'u32';
}

interface Header {
  format: number;
  generation: string;
  countersAt: number;
  n: number;
  maxTextPostings: number;
  langCodes: Array<[string, number]>;
  baseSize: [number, number];
  postingsN: Record<string, number>;
  hasText: boolean;
  /** `widen`: a Float64Array of whole numbers stored as 32-bit integers (counters, word counts). */
  arrays: Array<{ name: string; type: TypeName; offset: number; length: number; widen?: boolean }>;
}

const POSTINGS_FIELDS = ['start', 'list', 'denseKeys', 'denseBits', 'sizes'] as const;

/** The snapshot as one byte buffer. */
export function encodeSnapshot(s: SnapshotParts, maxTextPostings: number): Uint8Array {
  const named: Array<[string, Typed]> = Object.entries(s.arrays);
  const postings: Array<[string, PostingsParts]> = [['tags', s.tagPostings]];
  if (s.text) for (const [field, p] of Object.entries(s.text.fields)) postings.push([`text:${field}`, p]);
  const postingsN: Record<string, number> = {};
  for (const [key, p] of postings) {
    postingsN[key] = p.baseN;
    for (const f of POSTINGS_FIELDS) named.push([`${key}.${f}`, p[f]]);
  }
  const utf8 = new TextEncoder();
  named.push(['tags.json', utf8.encode(JSON.stringify(s.tags.map((t) => [t.id, t.type, t.name])))]);
  if (s.text) named.push(['lexemes', utf8.encode(s.text.lexemes.join('\u001f'))]);
  const arrays: Header['arrays'] = [];
  let offset = 0;
  for (const [k, [name, a]] of named.entries()) {
    // Half the bytes to ship for the counters and word counts (dates need the doubles).
    const narrow = a instanceof Float64Array && a.every((v) => Number.isInteger(v) && v >= -0x80000000 && v <= 0x7fffffff);
    const stored = narrow ? Int32Array.from(a) : a;
    named[k] = [name, stored];
    arrays.push({ name, type: typeOf(stored), offset, length: stored.length, ...(narrow ? { widen: true } : {}) });
    offset += Math.ceil(stored.byteLength / 8) * 8;
  }
  const header: Header = {
    format: SNAPSHOT_FORMAT,
    generation: s.generation,
    countersAt: s.countersAt,
    n: s.n,
    maxTextPostings,
    langCodes: s.langCodes,
    baseSize: s.baseSize,
    postingsN,
    hasText: s.text !== null,
    arrays,
  };
  const head = utf8.encode(JSON.stringify(header));
  const start = Math.ceil((4 + head.length) / 8) * 8;
  const out = new Uint8Array(start + offset);
  new DataView(out.buffer).setUint32(0, head.length, true);
  out.set(head, 4);
  named.forEach(([, a], k) => out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), start + arrays[k]!.offset));
  return out;
}

/** The parts of an encoded snapshot; arrays are views of `bytes` (whose offset must be 8-aligned). */
export function decodeSnapshot(bytes: Uint8Array): { parts: SnapshotParts; maxTextPostings: number } {
  const headLength = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + headLength))) as Header;
  if (header.format !== SNAPSHOT_FORMAT) throw new Error(`snapshot format ${header.format}, expected ${SNAPSHOT_FORMAT}`);
  const start = bytes.byteOffset + Math.ceil((4 + headLength) / 8) * 8;
  const byName = new Map<string, Typed>();
  for (const a of header.arrays) {
    const view = new TYPES[a.type](bytes.buffer as ArrayBuffer, start + a.offset, a.length);
    byName.set(a.name, a.widen ? Float64Array.from(view) : view);
  }
  const take = (name: string): Typed => {
    const a = byName.get(name);
    if (!a) throw new Error(`snapshot lacks ${name}`);
    return a;
  };
  const postingsOf = (key: string): PostingsParts => ({
    baseN: header.postingsN[key]!,
    start: take(`${key}.start`) as Int32Array,
    list: take(`${key}.list`) as Int32Array,
    denseKeys: take(`${key}.denseKeys`) as Int32Array,
    denseBits: take(`${key}.denseBits`) as Uint32Array,
    sizes: take(`${key}.sizes`) as Int32Array,
  });
  const text = new TextDecoder();
  const tags = (JSON.parse(text.decode(take('tags.json') as Uint8Array)) as Array<[number, TagRow['type'], string]>).map(
    ([id, type, name]) => ({ id, type, name }),
  );
  const arrays: SnapshotParts['arrays'] = {};
  for (const [name, a] of byName) if (!name.includes('.') && name !== 'lexemes') arrays[name] = a as SnapshotParts['arrays'][string];
  const lexemes = header.hasText ? text.decode(take('lexemes') as Uint8Array) : '';
  return {
    maxTextPostings: header.maxTextPostings,
    parts: {
      generation: header.generation,
      countersAt: header.countersAt,
      n: header.n,
      langCodes: header.langCodes,
      tags,
      baseSize: header.baseSize,
      arrays,
      tagPostings: postingsOf('tags'),
      text: header.hasText
        ? {
            lexemes: lexemes === '' ? [] : lexemes.split('\u001f'),
            fields: { A: postingsOf('text:A'), B: postingsOf('text:B'), C: postingsOf('text:C'), D: postingsOf('text:D') },
          }
        : null,
    },
  };
}

export interface StoredSnapshot {
  id: number;
  generation: string;
  works: number;
  bytes: number;
  parts: number;
}

/** The newest complete snapshot of this format, if any. */
export async function findLatestSnapshot(db: Db): Promise<StoredSnapshot | null> {
  const rows = await sql<StoredSnapshot>`
    select id, generation::text as generation, works, bytes::int8::float8 as bytes, parts
    from search_cache.index_snapshots where format = ${SNAPSHOT_FORMAT} order by id desc limit 1
  `.execute(db);
  const row = rows.rows[0];
  return row ? { ...row, bytes: Number(row.bytes) } : null;
}

/** Reads a stored snapshot's bytes into one buffer. */
export async function readSnapshotBytes(db: Db, snapshot: StoredSnapshot): Promise<Uint8Array> {
  const out = Buffer.alloc(snapshot.bytes);
  let written = 0;
  let next = 0;
  const reader = async () => {
    while (next < snapshot.parts) {
      const first = next;
      next += PARTS_PER_QUERY;
      // Base64 (which node decodes straight into the buffer, line breaks skipped) costs a third
      // more on the wire; bytea's text form, hex, costs double and decoded slower here.
      const rows = await sql<{ part: number; data: string }>`
        select part, encode(data, 'base64') as data from search_cache.index_snapshot_parts
        where snapshot_id = ${snapshot.id} and part >= ${first} and part < ${first + PARTS_PER_QUERY} order by part
      `.execute(db);
      for (const row of rows.rows) written += out.write(row.data, row.part * PART_BYTES, 'base64');
    }
  };
  await Promise.all(Array.from({ length: READERS }, reader));
  if (written !== snapshot.bytes) throw new Error(`snapshot ${snapshot.id}: read ${written} bytes, expected ${snapshot.bytes}`);
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

/**
 * Stores a snapshot and drops the older ones, in one transaction: a reader sees the new one
 * complete or not at all.
 */
export async function storeSnapshot(db: Db, generation: string, works: number, bytes: Uint8Array): Promise<number> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts = Math.max(1, Math.ceil(bytes.length / PART_BYTES));
  return db.transaction().execute(async (trx) => {
    const row = await sql<{ id: number }>`
      insert into search_cache.index_snapshots (generation, format, works, bytes, parts)
      values (${generation}::int8, ${SNAPSHOT_FORMAT}, ${works}, ${bytes.length}, ${parts}) returning id
    `.execute(trx);
    const id = row.rows[0]!.id;
    for (let part = 0; part < parts; part++) {
      const data = buffer.subarray(part * PART_BYTES, Math.min(bytes.length, (part + 1) * PART_BYTES)).toString('base64');
      await sql`insert into search_cache.index_snapshot_parts (snapshot_id, part, data) values (${id}, ${part}, decode(${data}, 'base64'))`.execute(
        trx,
      );
    }
    await sql`delete from search_cache.index_snapshot_parts where snapshot_id <> ${id}`.execute(trx);
    await sql`delete from search_cache.index_snapshots where id <> ${id}`.execute(trx);
    return id;
  });
}
