// Posting lists: for each key (a tag id, a lexeme id), the ascending positions of the works that
// carry it. Built once as one CSR array, with keys held by more than a 32nd of the works as
// bitmaps instead (a bit per work beats 32 bits per posting there). After the build the lists
// only grow: an updated work is appended at a new position (the facet index retires the old one),
// so later positions go to small per-key `extra` lists, copied on write, never into the base.

const DENSE_SHARE = 32;

/** A stretch of synchronous work that gives the event loop a turn when due (facet-index.ts's TimeSlice). */
export interface Slice {
  due(): boolean;
  yield(): Promise<void>;
}

export class PostingsBuilder {
  private lists: Int32Array[] = [];
  private lengths: number[] = [];

  /** Positions must arrive in ascending order per key; a repeat of the last one is ignored. */
  add(key: number, position: number): void {
    let list = this.lists[key];
    if (!list) {
      while (this.lists.length <= key) {
        this.lists.push(new Int32Array(0));
        this.lengths.push(0);
      }
      list = this.lists[key]!;
    }
    const len = this.lengths[key]!;
    if (len > 0 && list[len - 1] === position) return;
    if (len === list.length) {
      const grown = new Int32Array(Math.max(4, len * 2));
      grown.set(list);
      this.lists[key] = list = grown;
    }
    list[len] = position;
    this.lengths[key] = len + 1;
  }

  /**
   * The posting lists over `n` works. With a `slice`, gives the event loop a turn whenever the
   * slice has run its time (a full build's lists hold millions of positions).
   */
  async build(n: number, slice?: Slice): Promise<Postings> {
    const keys = this.lists.length;
    const start = new Int32Array(keys + 1);
    const dense = new Map<number, Uint32Array>();
    let total = 0;
    for (let k = 0; k < keys; k++) {
      if (slice && (k & 255) === 0 && slice.due()) await slice.yield();
      const len = this.lengths[k]!;
      if (len * DENSE_SHARE > n) {
        const bits = new Uint32Array((n + 31) >>> 5);
        const list = this.lists[k]!;
        for (let j = 0; j < len; j++) bits[list[j]! >>> 5]! |= 1 << (list[j]! & 31);
        dense.set(k, bits);
      } else total += len;
      start[k + 1] = total;
    }
    const list = new Int32Array(total);
    for (let k = 0; k < keys; k++) {
      if (slice && (k & 255) === 0 && slice.due()) await slice.yield();
      if (!dense.has(k)) list.set(this.lists[k]!.subarray(0, this.lengths[k]!), start[k]!);
    }
    const sizes = new Int32Array(keys);
    for (let k = 0; k < keys; k++) sizes[k] = this.lengths[k]!;
    this.lists = [];
    this.lengths = [];
    return new Postings(n, start, list, dense, sizes, new Map());
  }
}

/** What a snapshot stores of a base (no appended positions): dense keys' bitmaps concatenated. */
export interface PostingsParts {
  baseN: number;
  start: Int32Array;
  list: Int32Array;
  denseKeys: Int32Array;
  denseBits: Uint32Array;
  sizes: Int32Array;
}

export class Postings {
  /** Postings restored from a snapshot (the bitmaps stay views of its buffer). */
  static fromParts(p: PostingsParts): Postings {
    const words = (p.baseN + 31) >>> 5;
    const dense = new Map<number, Uint32Array>();
    p.denseKeys.forEach((key, k) => dense.set(key, p.denseBits.subarray(k * words, (k + 1) * words)));
    return new Postings(p.baseN, p.start, p.list, dense, p.sizes, new Map());
  }

  /** No key holds any position. */
  static empty(): Postings {
    return new Postings(0, new Int32Array(1), new Int32Array(0), new Map(), new Int32Array(0), new Map());
  }

  constructor(
    /** Works covered by the base (positions below it). */
    private readonly baseN: number,
    private readonly start: Int32Array,
    private readonly list: Int32Array,
    private readonly dense: ReadonlyMap<number, Uint32Array>,
    private readonly baseSizes: Int32Array,
    private readonly extra: ReadonlyMap<number, Int32Array>,
  ) {}

  size(key: number): number {
    return (key >= 0 && key < this.baseSizes.length ? this.baseSizes[key]! : 0) + (this.extra.get(key)?.length ?? 0);
  }

  /** Calls `visit` with each position of the key, ascending. */
  forEach(key: number, visit: (position: number) => void): void {
    if (key < 0) return;
    const bits = this.dense.get(key);
    if (bits) {
      for (let w = 0; w < bits.length; w++) {
        let word = bits[w]!;
        while (word !== 0) {
          const low = word & -word;
          visit((w << 5) + 31 - Math.clz32(low));
          word ^= low;
        }
      }
    } else if (key + 1 < this.start.length) {
      for (let j = this.start[key]!; j < this.start[key + 1]!; j++) visit(this.list[j]!);
    }
    const more = this.extra.get(key);
    if (more) for (const p of more) visit(p);
  }

  /** The positions of the key, ascending. */
  positions(key: number): Int32Array {
    const bits = key >= 0 ? this.dense.get(key) : undefined;
    const more = this.extra.get(key);
    if (!bits && !more)
      return key >= 0 && key + 1 < this.start.length ? this.list.subarray(this.start[key]!, this.start[key + 1]!) : new Int32Array(0);
    const out = new Int32Array(this.size(key));
    let k = 0;
    this.forEach(key, (p) => (out[k++] = p));
    return out;
  }

  /** Sets `mask[position] = 1` for every position of the key. */
  mark(key: number, mask: Uint8Array): void {
    const bits = key >= 0 ? this.dense.get(key) : undefined;
    if (bits) {
      // Word at a time: most words of a dense key have bits set.
      const limit = Math.min(mask.length, this.baseN);
      for (let w = 0; w < bits.length; w++) {
        const word = bits[w]!;
        if (word === 0) continue;
        const base = w << 5;
        for (let b = 0; b < 32 && base + b < limit; b++) if (word & (1 << b)) mask[base + b] = 1;
      }
      const more = this.extra.get(key);
      if (more) for (const p of more) mask[p] = 1;
      return;
    }
    this.forEach(key, (p) => (mask[p] = 1));
  }

  /** Whether the key is held as a bitmap (a 32nd of the works or more at the build). */
  isDense(key: number): boolean {
    return key >= 0 && this.dense.has(key);
  }

  /** How many positions of the key have their bit set in `bits` (32 positions a word). */
  countIn(key: number, bits: Uint32Array): number {
    let count = 0;
    const dense = key >= 0 ? this.dense.get(key) : undefined;
    if (dense) {
      const words = Math.min(dense.length, bits.length);
      for (let w = 0; w < words; w++) {
        let x = dense[w]! & bits[w]!;
        if (x === 0) continue;
        x -= (x >>> 1) & 0x55555555;
        x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
        x = (x + (x >>> 4)) & 0x0f0f0f0f;
        count += Math.imul(x, 0x01010101) >>> 24;
      }
    } else if (key >= 0 && key + 1 < this.start.length) {
      const end = this.start[key + 1]!;
      for (let j = this.start[key]!; j < end; j++) {
        const p = this.list[j]!;
        if (bits[p >>> 5]! & (1 << (p & 31))) count++;
      }
    }
    const more = this.extra.get(key);
    if (more) for (const p of more) if (bits[p >>> 5]! & (1 << (p & 31))) count++;
    return count;
  }

  /** Sets bit p of `bits` (32 positions a word) for every position p of the key. */
  orBits(key: number, bits: Uint32Array): void {
    const dense = key >= 0 ? this.dense.get(key) : undefined;
    if (dense) {
      for (let w = 0; w < dense.length; w++) bits[w]! |= dense[w]!;
      const more = this.extra.get(key);
      if (more) for (const p of more) bits[p >>> 5]! |= 1 << (p & 31);
      return;
    }
    this.forEach(key, (p) => (bits[p >>> 5]! |= 1 << (p & 31)));
  }

  /** The base as a snapshot stores it; null once positions were appended (a snapshot is of a full build). */
  toParts(): PostingsParts | null {
    if (this.extra.size > 0) return null;
    const words = (this.baseN + 31) >>> 5;
    const keys = [...this.dense.keys()].sort((a, b) => a - b);
    const denseBits = new Uint32Array(keys.length * words);
    keys.forEach((key, k) => denseBits.set(this.dense.get(key)!, k * words));
    return { baseN: this.baseN, start: this.start, list: this.list, denseKeys: Int32Array.from(keys), denseBits, sizes: this.baseSizes };
  }

  /** These postings plus new positions (all beyond every existing one), sharing the base. */
  withAppended(additions: ReadonlyMap<number, readonly number[]>): Postings {
    if (additions.size === 0) return this;
    const extra = new Map(this.extra);
    for (const [key, added] of additions) {
      const old = extra.get(key);
      const next = new Int32Array((old?.length ?? 0) + added.length);
      if (old) next.set(old);
      next.set(added, old?.length ?? 0);
      extra.set(key, next);
    }
    return new Postings(this.baseN, this.start, this.list, this.dense, this.baseSizes, extra);
  }
}
