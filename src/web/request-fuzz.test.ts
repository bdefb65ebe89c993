import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openFuzzArchive, type FuzzArchive } from '../../test/fuzz/fuzz-archive.ts';
import {
  formatFailure,
  formatSummary,
  groupFailures,
  planFuzz,
  runFuzz,
  type FuzzPlan,
  type FuzzSummary,
} from '../../test/fuzz/fuzz-run.ts';

/*
 * The whole HTTP surface, fuzzed: every operation of the OpenAPI document, every form a guest, a
 * member and an admin find by crawling a seeded archive, and every registered route (test/fuzz/).
 * First the sweeps: every field, parameter and body property once with each classic hazard (NUL
 * and controls, lone surrogates, 100 KB of deep nesting, short deep nesting), the rest of the
 * request valid so the hazard reaches the code behind it; then FUZZ_REQUESTS random requests made
 * by fast-check from hostile values, shared among the targets. About 3,000 requests in all. No
 * answer may be a 5xx, carry a stack trace or never come, and /healthz must answer afterwards.
 *
 * The seed is fixed so a failure here is the same failure on every machine; FUZZ_SEED and
 * FUZZ_REQUESTS change it for one run. `npm run fuzz` is the long run of the same generators.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261206);
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 900);

describe('request fuzzing of every route, form and API operation', () => {
  let archive: FuzzArchive;
  let plan: FuzzPlan;
  let summary: FuzzSummary;

  before(async () => {
    console.log(`request fuzz: seed ${SEED} (FUZZ_SEED=${SEED} replays it; npm run fuzz -- --seed ${SEED} for the long run)`);
    archive = await openFuzzArchive({ seed: SEED, works: 20 });
    plan = await planFuzz(archive, 160);
    summary = await runFuzz(archive, plan, { seed: SEED, requests: REQUESTS });
    console.log(formatSummary(summary));
  });
  after(() => archive?.close());

  it('reaches every API operation and the forms of each kind of visitor', () => {
    const ids = plan.targets.map((t) => t.id);
    for (const operation of ['api POST /api/v1/works', 'api GET /api/v1/works/search', 'api POST /api/v1/works/{id}/comments']) {
      assert.ok(ids.includes(operation), `no target for ${operation}`);
    }
    // Forms the crawl must find, or it is not reaching the pages where the archive takes input.
    for (const form of [
      'form POST /works (member)',
      'form POST /works/:n/chapters (member)',
      'form POST /login (guest)',
      'form POST /admin/settings (admin)',
    ]) {
      assert.ok(ids.includes(form), `the crawl found no ${form}: ${ids.filter((id) => id.startsWith('form')).join(', ')}`);
    }
    assert.ok(summary.requests >= REQUESTS, `only ${summary.requests} requests were sent`);
  });

  it('answers no request with a 5xx, a stack trace or silence', () => {
    // One example a group (same route, same cause): the summary above has them all.
    const groups = groupFailures(summary.failures);
    assert.equal(
      summary.failures.length,
      0,
      `${summary.failures.length} failing requests in ${groups.length} groups:\n\n${groups.map((g) => `[${g.count}×] ${formatFailure(g.first)}`).join('\n\n')}`,
    );
  });

  it('still answers /healthz with 200 afterwards', () => {
    assert.equal(summary.healthz, 200);
  });
});
