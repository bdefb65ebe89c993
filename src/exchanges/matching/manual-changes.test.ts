import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyManualChange } from './manual-changes.ts';
import { matchExchange } from './match-exchange.ts';
import { buildRules, signUp } from './matching.test-helpers.ts';
import { findPotentialMatches } from './potential-matches.ts';

const people = [
  signUp('p', [['fandom:A', 'character:a1', 'character:a2']], [['fandom:Z', 'character:z1']]),
  signUp(
    'q',
    [['fandom:Y', 'character:y1']],
    [
      ['fandom:A', 'character:a1', 'character:a2'],
      ['fandom:A', 'character:c1'],
    ],
  ),
  signUp('r', [['fandom:Z', 'character:z1']], [['fandom:A', 'character:a1']]),
  signUp('s', [['fandom:A', 'character:c1']], [['fandom:Y', 'character:y1']]),
];
const pairs = (list: readonly { giverId: string; recipientId: string }[]) => list.map((a) => `${a.giverId}→${a.recipientId}`);

test('potential matches list the best givers and recipients first, with whom they are assigned to', () => {
  const result = matchExchange(people, buildRules());
  const p = findPotentialMatches(result.graph, 'p', 5, result.assignments);
  assert.deepEqual(p.givers, [
    { signUpId: 'q', weight: 4, assignedWith: 's' },
    { signUpId: 'r', weight: 3, assignedWith: 'p' },
  ]);
  assert.deepEqual(p.recipients, [{ signUpId: 'r', weight: 3, assignedWith: 'p' }]);
  assert.equal(findPotentialMatches(result.graph, 'p', 1).givers.length, 1);
  assert.deepEqual(findPotentialMatches(result.graph, 'nobody', 3), { givers: [], recipients: [] });
});

test('reassigning a giver reports both pairs it breaks and weighs the new one', () => {
  const { graph, assignments } = matchExchange(people, buildRules());
  const change = applyManualChange(graph, assignments, { kind: 'reassign', giverId: 'q', recipientId: 'p' });
  assert.ok(change.ok);
  assert.deepEqual(pairs(change.broken), ['q→s', 'r→p']);
  assert.deepEqual(change.added, [{ giverId: 'q', recipientId: 'p', weight: 4 }]);
  assert.deepEqual(pairs(change.assignments), ['p→r', 'q→p', 's→q']);
  assert.deepEqual(change.warnings, []);
  assert.deepEqual(pairs(assignments), ['p→r', 'q→s', 'r→p', 's→q'], 'the input is left alone');
});

test('a swap exchanges two givers’ recipients and warns when a new pair does not match', () => {
  const { graph, assignments } = matchExchange(people, buildRules());
  const change = applyManualChange(graph, assignments, { kind: 'swap', giverA: 'q', giverB: 's' });
  assert.ok(!change.ok, 'q would give to itself');
  const swap = applyManualChange(graph, assignments, { kind: 'swap', giverA: 'p', giverB: 'q' });
  assert.ok(swap.ok);
  assert.deepEqual(pairs(swap.broken), ['p→r', 'q→s']);
  assert.deepEqual(pairs(swap.assignments), ['p→s', 'q→r', 'r→p', 's→q']);
  assert.equal(swap.warnings.length, 2);
  assert.match(swap.warnings[0]!, /p's offers do not match s's requests/);
});

test('removals, unknown people and self-assignment are answered plainly', () => {
  const { graph, assignments } = matchExchange(people, buildRules({ forbidMutual: true }));
  const removed = applyManualChange(graph, assignments, { kind: 'remove', giverId: assignments[0]!.giverId });
  assert.ok(removed.ok);
  assert.equal(removed.assignments.length, assignments.length - 1);
  assert.deepEqual(removed.broken, [assignments[0]]);
  const self = applyManualChange(graph, assignments, { kind: 'reassign', giverId: 'p', recipientId: 'p' });
  assert.deepEqual(self, { ok: false, error: 'A sign-up cannot give to itself; choose another recipient.' });
  const unknown = applyManualChange(graph, assignments, { kind: 'reassign', giverId: 'p', recipientId: 'zed' });
  assert.ok(!unknown.ok && unknown.error.includes('no sign-up "zed"'));
  // With mutual pairs forbidden, making one by hand is allowed but flagged.
  const giverOfP = assignments.find((a) => a.recipientId === 'p')!.giverId;
  const mutual = applyManualChange(graph, assignments, { kind: 'reassign', giverId: 'p', recipientId: giverOfP });
  assert.ok(mutual.ok);
  assert.ok(
    mutual.warnings.some((w) => w.includes('give to each other')),
    mutual.warnings.join('\n'),
  );
});
