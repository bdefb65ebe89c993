import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { pairWeight } from './compatibility.ts';
import { assignOnGraph, matchExchange } from './match-exchange.ts';
import type { ExchangeRules, MatchResult, Prompt, SignUp } from './matching.types.ts';
import { buildRules, signUp } from './matching.test-helpers.ts';

const pairsOf = (result: MatchResult) => result.assignments.map((a) => `${a.giverId}→${a.recipientId}`);

// q's two offers suit p best and s only; greedy gives q to p (weight 4) and leaves s without a giver.
const greedyTrap = [
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

test('the optimum matches everyone where greedy, taking the heaviest pair first, leaves one out', () => {
  const optimal = matchExchange(greedyTrap, buildRules());
  assert.deepEqual(pairsOf(optimal), ['p→r', 'q→s', 'r→p', 's→q']);
  assert.equal(optimal.matchedRecipients, 4);
  assert.equal(optimal.totalWeight, 12);
  assert.deepEqual(optimal.unmatched, []);
  const greedy = matchExchange(greedyTrap, buildRules(), { method: 'greedy' });
  assert.deepEqual(pairsOf(greedy), ['p→r', 'q→p', 's→q']);
  assert.equal(greedy.matchedRecipients, 3);
  const s = greedy.unmatched.find((u) => u.signUpId === 's' && u.role === 'recipient');
  assert.equal(s?.reason, 'all-candidates-taken');
  assert.deepEqual(s?.candidates, ['q']);
});

test('among assignments matching as many people, the heaviest wins', () => {
  // Both givers suit both recipients; g1 shares two characters with r1, g2 shares two with r2.
  const people = [
    signUp('g1', [['fandom:Z']], [['fandom:A', 'character:a1', 'character:a2', 'character:b1']]),
    signUp('g2', [['fandom:Z']], [['fandom:A', 'character:b1', 'character:b2', 'character:a1']]),
    signUp('r1', [['fandom:A', 'character:a1', 'character:a2']], [['fandom:Q']]),
    signUp('r2', [['fandom:A', 'character:b1', 'character:b2']], [['fandom:Q']]),
  ];
  const result = matchExchange(people, buildRules());
  assert.deepEqual(pairsOf(result), ['g1→r1', 'g2→r2']);
  assert.equal(result.totalWeight, 8);
});

test('the same sign-ups in any order give the same assignment, ties settled by id', () => {
  // Four interchangeable people: every pair weighs the same, so only the ids can decide.
  const same = ['d', 'b', 'a', 'c'].map((id) => signUp(id, [['fandom:A']], [['fandom:A']]));
  const first = matchExchange(same, buildRules());
  assert.equal(first.matchedRecipients, 4);
  fc.assert(
    fc.property(fc.array(fc.nat(), { minLength: same.length, maxLength: same.length }), (keys) => {
      const shuffled = same
        .map((s, i) => [keys[i]!, s] as const)
        .sort((x, y) => x[0] - y[0])
        .map(([, s]) => s);
      assert.deepEqual(matchExchange(shuffled, buildRules()).assignments, first.assignments);
      assert.deepEqual(pairsOf(matchExchange([...greedyTrap].reverse(), buildRules())), ['p→r', 'q→s', 'r→p', 's→q']);
    }),
  );
});

test('mutual pairs are avoided when the rules forbid them, by exchanging recipients', () => {
  const rules = buildRules({ forbidMutual: true });
  const result = matchExchange(greedyTrap, rules);
  const pairs = new Set(pairsOf(result));
  for (const a of result.assignments)
    assert.ok(!pairs.has(`${a.recipientId}→${a.giverId}`), `${a.giverId} and ${a.recipientId} give to each other`);
  // p and r are each other's only suitable partners besides q, so one of them must lose out.
  assert.equal(result.matchedRecipients, 3);
  const two = [signUp('a', [['fandom:A']], [['fandom:A']]), signUp('b', [['fandom:A']], [['fandom:A']])];
  const lonely = matchExchange(two, rules);
  assert.equal(lonely.matchedRecipients, 1);
  assert.deepEqual(
    lonely.unmatched.map((u) => [u.signUpId, u.role, u.reason]),
    [
      ['a', 'giver', 'only-mutual-candidates'],
      ['b', 'recipient', 'only-mutual-candidates'],
    ],
  );
});

test('every unmatched sign-up is explained: the missing tag type, tags never together, or an invalid sign-up', () => {
  const people = [
    signUp('lonely-fandom', [['fandom:Rare', 'character:r1']], [['fandom:Rare2', 'character:b1']]),
    signUp('split', [['fandom:A', 'character:b1']], [['fandom:A']]),
    signUp('writer', [['fandom:A']], [['fandom:A', 'character:r1']]),
    signUp('broken', [], [['fandom:A']]),
  ];
  const result = matchExchange(people, buildRules());
  const why = (id: string, role: string) => result.unmatched.find((u) => u.signUpId === id && u.role === role);
  assert.equal(why('lonely-fandom', 'recipient')?.reason, 'no-offer-for-tag-type');
  assert.deepEqual(why('lonely-fandom', 'recipient')?.tagTypes, ['fandom']);
  assert.match(why('lonely-fandom', 'recipient')!.message, /No other sign-up offers any of the fandom tags/);
  assert.equal(why('lonely-fandom', 'giver')?.reason, 'no-request-for-tag-type');
  assert.equal(why('split', 'recipient')?.reason, 'no-offer-matching-all-types');
  assert.equal(why('broken', 'recipient')?.reason, 'invalid-sign-up');
  assert.match(why('broken', 'giver')!.message, /has 0 requests/);
  // writer offers fandom A with character r1: both are requested, never together.
  assert.equal(why('writer', 'giver')?.reason, 'no-request-matching-all-types');
  // Every valid sign-up either gives or is explained, and likewise for receiving.
  const explained = new Set(result.unmatched.map((u) => `${u.signUpId}/${u.role}`));
  for (const s of people) {
    assert.ok(result.assignments.some((a) => a.recipientId === s.id) || explained.has(`${s.id}/recipient`), s.id);
    assert.ok(result.assignments.some((a) => a.giverId === s.id) || explained.has(`${s.id}/giver`), s.id);
  }
});

// Random small exchanges: few fandoms and characters, so pairs are neither all nor none compatible.
const arbitraryPrompt = fc.record({
  fandom: fc.constantFrom('A', 'B', 'C'),
  characters: fc.uniqueArray(fc.constantFrom('c1', 'c2', 'c3', 'c4'), { maxLength: 2 }),
  openCharacters: fc.boolean(),
});
const arbitraryExchange = (maxPeople: number) =>
  fc
    .array(
      fc.record({
        requests: fc.array(arbitraryPrompt, { minLength: 1, maxLength: 2 }),
        offers: fc.array(arbitraryPrompt, { minLength: 1, maxLength: 3 }),
      }),
      { minLength: 1, maxLength: maxPeople },
    )
    .map((people): SignUp[] =>
      people.map((p, i) => {
        const toPrompt = (x: { fandom: string; characters: string[]; openCharacters: boolean }): Prompt =>
          x.openCharacters
            ? { tags: { fandom: [x.fandom] }, any: ['character'] }
            : { tags: { fandom: [x.fandom], character: x.characters } };
        return { id: `s${String(i).padStart(3, '0')}`, requests: p.requests.map(toPrompt), offers: p.offers.map(toPrompt) };
      }),
    );
const arbitraryRules = fc
  .record({ forbidMutual: fc.boolean(), requiredRequestMatches: fc.constantFrom(1, 2), characters: fc.constantFrom(0, 1, 2) })
  .map(
    (r): ExchangeRules =>
      buildRules({
        forbidMutual: r.forbidMutual,
        requiredRequestMatches: r.requiredRequestMatches,
        tagTypes: {
          fandom: { required: 1, allowAny: false, min: 1, max: 1 },
          character: { required: r.characters, allowAny: true, min: 0, max: 2 },
        },
      }),
  );

function assertValidAssignment(result: ReturnType<typeof matchExchange>) {
  const { graph } = result;
  const ids = graph.exchange.ids;
  const givers = new Set<string>();
  const recipients = new Set<string>();
  for (const a of result.assignments) {
    assert.notEqual(a.giverId, a.recipientId);
    assert.ok(!givers.has(a.giverId) && !recipients.has(a.recipientId), 'someone gives or receives twice');
    givers.add(a.giverId);
    recipients.add(a.recipientId);
    const w = pairWeight(graph, ids.indexOf(a.giverId), ids.indexOf(a.recipientId));
    assert.ok(w > 0, `${a.giverId}→${a.recipientId} is not compatible`);
    assert.equal(a.weight, w);
  }
  if (graph.exchange.rules.forbidMutual) {
    const pairs = new Set(pairsOf(result));
    for (const a of result.assignments) assert.ok(!pairs.has(`${a.recipientId}→${a.giverId}`));
  }
  for (const id of ids) {
    assert.equal(recipients.has(id), !result.unmatched.some((u) => u.signUpId === id && u.role === 'recipient'));
    assert.equal(givers.has(id), !result.unmatched.some((u) => u.signUpId === id && u.role === 'giver'));
  }
}

/** (recipients matched, total weight) of the best assignment, by trying every one. */
function bruteForce(result: ReturnType<typeof matchExchange>): [number, number] {
  const { graph } = result;
  const n = graph.exchange.ids.length;
  const used = new Array<boolean>(n).fill(false);
  let best: [number, number] = [0, 0];
  const visit = (r: number, count: number, weight: number) => {
    if (r === n) {
      if (count > best[0] || (count === best[0] && weight > best[1])) best = [count, weight];
      return;
    }
    visit(r + 1, count, weight);
    for (let g = 0; g < n; g++) {
      const w = pairWeight(graph, g, r);
      if (w > 0 && !used[g]) {
        used[g] = true;
        visit(r + 1, count + 1, weight + w);
        used[g] = false;
      }
    }
  };
  visit(0, 0, 0);
  return best;
}

test('property: assignments are compatible, one gift each way per person, no self or forbidden mutual pairs', () => {
  fc.assert(
    fc.property(arbitraryExchange(25), arbitraryRules, (people, rules) => {
      assertValidAssignment(matchExchange(people, rules));
      assertValidAssignment(matchExchange(people, rules, { method: 'greedy' }));
    }),
    { numRuns: 150 },
  );
});

test('property: the optimum matches at least as many as greedy, and weighs at least as much when it matches as many', () => {
  fc.assert(
    fc.property(arbitraryExchange(40), arbitraryRules, (people, rules) => {
      const plain = { ...rules, forbidMutual: false };
      const optimal = matchExchange(people, plain);
      const greedy = assignOnGraph(optimal.graph, 'greedy');
      assert.ok(optimal.matchedRecipients >= greedy.matchedRecipients);
      if (optimal.matchedRecipients === greedy.matchedRecipients) assert.ok(optimal.totalWeight >= greedy.totalWeight);
    }),
    { numRuns: 150 },
  );
});

test('property: on tiny exchanges the result equals the brute-force optimum', () => {
  fc.assert(
    fc.property(arbitraryExchange(7), arbitraryRules, (people, rules) => {
      const result = matchExchange(people, { ...rules, forbidMutual: false });
      assert.deepEqual([result.matchedRecipients, result.totalWeight], bruteForce(result));
    }),
    { numRuns: 300 },
  );
});

test('property: min-cost flow by successive shortest paths reaches the same optimum as the Hungarian form', () => {
  fc.assert(
    fc.property(arbitraryExchange(40), arbitraryRules, (people, rules) => {
      const optimal = matchExchange(people, { ...rules, forbidMutual: false });
      const flow = assignOnGraph(optimal.graph, 'min-cost-flow');
      assertValidAssignment({ ...flow, graph: optimal.graph });
      assert.deepEqual([flow.matchedRecipients, flow.totalWeight], [optimal.matchedRecipients, optimal.totalWeight]);
    }),
    { numRuns: 150 },
  );
});
