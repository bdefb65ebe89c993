// The cost check the parsers' property tests lean on: it must pass linear work and fail quadratic
// work, or every "linear in the input" test above it proves nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertLinear, repeat } from './linear-cost.test-helper.ts';

/** Touches every character once. */
function linear(input: string): void {
  let sum = 0;
  for (let i = 0; i < input.length; i++) sum += input.charCodeAt(i);
  if (sum < 0) throw new Error('unreachable');
}

/** Compares every character with every other: the shape of a backtracking regex on a long run. */
function quadratic(input: string): void {
  let same = 0;
  for (let i = 0; i < input.length; i++) for (let j = i + 1; j < input.length; j++) if (input.charCodeAt(i) === input.charCodeAt(j)) same++;
  if (same < 0) throw new Error('unreachable');
}

test('the cost check passes work linear in the input', () => {
  assertLinear('linear', repeat('ab'), linear);
});

test('the cost check fails work quadratic in the input', () => {
  // 5,000 characters take 20 ms or more of quadratic work, well above the check's 10 ms floor.
  // Pure quadratic work reads about x4 against the check's 3.5, so the function is compiled
  // first (a first call's tiering reads x3.6 at times), and the check gets three tries: on a
  // loaded machine every run of the small input can be slowed, which hides the growth once.
  for (let i = 0; i < 30; i++) quadratic('ab'.repeat(500));
  const failures: string[] = [];
  for (let attempt = 0; attempt < 3 && failures.length === 0; attempt++) {
    try {
      assertLinear('quadratic', repeat('ab'), quadratic, 5_000);
    } catch (error) {
      failures.push((error as Error).message);
    }
  }
  assert.match(failures[0] ?? 'passed three times', /^quadratic: .* \(x\d+\.\d\d\)$/);
});
