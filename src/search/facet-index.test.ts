import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { sortedOrder, TimeSlice } from './facet-index.ts';
import { PostingsBuilder, type Postings } from './postings.ts';

/** Positions by (key, id) with a comparison sort: what sortedOrder must give. */
function referenceOrder(key: Float64Array, ids: Int32Array): number[] {
  return Array.from({ length: key.length }, (_, i) => i).sort((a, b) =>
    key[a]! < key[b]! ? -1 : key[a]! > key[b]! ? 1 : ids[a]! - ids[b]!,
  );
}

// Keys as the index holds them (counts, microsecond dates, ratios, a missing date as +Infinity),
// and the doubles that break naive bit tricks (negatives, -0, subnormals, huge values).
const keyValue = fc.oneof(
  fc.integer({ min: 0, max: 50 }),
  fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  fc.integer({ min: 1_500_000_000_000_000, max: 1_800_000_000_000_000 }),
  fc.double({ noNaN: true }),
  fc.constantFrom(0, -0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.MIN_VALUE, -Number.MIN_VALUE, 2 ** 53, -1.5),
);

describe('sortedOrder', () => {
  it('orders positions by (key, id) for any doubles, as a comparison sort does', () => {
    fc.assert(
      fc.property(fc.array(keyValue, { maxLength: 300 }), (values) => {
        const key = Float64Array.from(values);
        const ids = Int32Array.from(values, (_, i) => i + 1);
        assert.deepEqual(Array.from(sortedOrder(key)), referenceOrder(key, ids));
      }),
      { numRuns: 300 },
    );
  });

  it('breaks ties by id when positions are not in id order (appended works)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(keyValue, fc.integer({ min: 1, max: 1_000_000 })), { maxLength: 200 }), (pairs) => {
        const unique = [...new Map(pairs.map(([k, id]) => [id, k])).entries()];
        const key = Float64Array.from(unique, ([, k]) => k);
        const ids = Int32Array.from(unique, ([id]) => id);
        const byId = Int32Array.from(Array.from({ length: ids.length }, (_, i) => i).sort((a, b) => ids[a]! - ids[b]!));
        assert.deepEqual(Array.from(sortedOrder(key, byId)), referenceOrder(key, ids));
      }),
      { numRuns: 200 },
    );
  });

  it('leaves its input alone', () => {
    const key = Float64Array.from([3, -0, 2.5, Number.POSITIVE_INFINITY]);
    const byId = Int32Array.from([0, 1, 2, 3]);
    sortedOrder(key, byId);
    assert.deepEqual(Array.from(byId), [0, 1, 2, 3]);
    assert.ok(Object.is(key[1], -0));
  });
});

describe('TimeSlice', () => {
  it('gives timers and I/O a turn when it yields, which an await alone does not', async () => {
    let immediates = 0;
    setImmediate(() => immediates++);
    for (let k = 0; k < 10; k++) await null;
    assert.equal(immediates, 0, 'microtasks alone never let the loop run');
    const slice = new TimeSlice(0);
    assert.ok(slice.due());
    await slice.pause();
    assert.equal(immediates, 1);
    assert.ok(!new TimeSlice(60_000).due(), 'a fresh slice of a minute is not due');
  });

  it('gives two parts that wait at once a loop iteration each, not one check phase together', async () => {
    const seen: string[] = [];
    let observing = true;
    const observe = () => {
      seen.push('loop');
      if (observing) setImmediate(observe);
    };
    setImmediate(observe);
    const slice = new TimeSlice(0);
    await Promise.all([slice.yield().then(() => seen.push('query')), slice.yield().then(() => seen.push('slice'))]);
    observing = false;
    const from = seen.indexOf('query');
    const to = seen.indexOf('slice');
    assert.ok(
      from >= 0 && to > from + 1 && seen.slice(from + 1, to).includes('loop'),
      `an iteration between the two parts: ${seen.join(', ')}`,
    );
  });
});

function listsOf(postings: Postings, keys: number): number[][] {
  return Array.from({ length: keys }, (_, k) => Array.from(postings.positions(k)));
}

describe('PostingsBuilder', () => {
  it('builds the same lists whether it yields at every chance or never', async () => {
    const n = 5_000;
    const keys = 1_200; // several checks of the slice (one per 256 keys), dense and sparse keys
    const fill = (b: PostingsBuilder) => {
      for (let p = 0; p < n; p++) for (let k = p % 7; k < keys; k += 1 + ((p * 31 + k) % 97)) b.add(k, p);
    };
    const plain = new PostingsBuilder();
    const sliced = new PostingsBuilder();
    fill(plain);
    fill(sliced);
    let turns = 0;
    const tick = () => {
      turns++;
      if (turns < 1_000) setImmediate(tick);
    };
    setImmediate(tick);
    const a = await plain.build(n);
    const before = turns;
    const b = await sliced.build(n, new TimeSlice(0));
    assert.ok(turns > before, 'the sliced build let the event loop run');
    assert.deepEqual(listsOf(b, keys), listsOf(a, keys));
    for (let k = 0; k < keys; k++) assert.equal(b.size(k), a.size(k));
  });
});
