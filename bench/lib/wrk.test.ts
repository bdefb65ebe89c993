import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mergedPercentile, PERCENTILES, parseWrkJson, spread, type WrkResult } from './wrk.ts';

/** A run whose latency at percentile p is `scale` × p ms. */
function linearRun(requests: number, scale: number): WrkResult {
  const curve = PERCENTILES.map((p) => p * scale);
  return { requests, seconds: 1, rps: requests, p50ms: 50 * scale, p99ms: 99 * scale, non2xx: 0, socketErrors: 0, curve };
}

describe('wrk helpers', () => {
  it('reads the line DONE_LUA prints, latencies in microseconds', () => {
    const curve = PERCENTILES.map((p) => p * 1000);
    const output = `Running 1s test\nWRKJSON {"requests":200,"duration":2000000,"status":3,"socket":1,"curve":[${curve.join(',')}]}\n`;
    const r = parseWrkJson(output);
    assert.equal(r.requests, 200);
    assert.equal(r.rps, 100);
    assert.equal(r.p50ms, 50);
    assert.equal(r.p99ms, 99);
    assert.equal(r.non2xx, 3);
    assert.equal(r.socketErrors, 1);
  });

  it('fails with wrk’s output when the script printed no figures', () => {
    assert.throws(() => parseWrkJson('Running 1s test\n'), /no WRKJSON line/);
  });

  it('merges runs by their request counts', () => {
    const run = linearRun(1000, 1);
    assert.equal(mergedPercentile([run, linearRun(1000, 1)], 99), 99);
    assert.equal(mergedPercentile([run, linearRun(0, 50)], 99), 99, 'a run without requests weighs nothing');
    // A slow type with a tenth of the requests moves the overall p99 into its own range.
    const merged = mergedPercentile([linearRun(900, 1), linearRun(100, 10)], 99);
    assert.ok(merged > 99 && merged <= 1000, String(merged));
    // Half of 1,000 requests: 495 of the fast run's (1–55 ms) and 5 of the slow one's (10–50 ms).
    assert.equal(mergedPercentile([linearRun(900, 1), linearRun(100, 10)], 50), 55);
  });

  it('prints the median and the spread of rounds', () => {
    assert.equal(spread([3, 1, 2]), '2 (1–3)');
    assert.equal(spread([1.25, 1.5], 1), '1.4 (1.3–1.5)');
  });
});
