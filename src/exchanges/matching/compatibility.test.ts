import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildCompatibilityGraph, pairWeight, prepareExchange } from './compatibility.ts';
import { checkSignUp } from './sign-up-rules.ts';
import { buildRules, signUp } from './matching.test-helpers.ts';

function weightOf(signUps: ReturnType<typeof signUp>[], giver: string, recipient: string, rules = buildRules()) {
  const graph = buildCompatibilityGraph(prepareExchange(signUps, rules));
  return pairWeight(graph, graph.exchange.ids.indexOf(giver), graph.exchange.ids.indexOf(recipient));
}

test('a pair matches when every required tag type shares enough tags; more shared tags weigh more', () => {
  const people = [
    signUp('r', [['fandom:A', 'character:a1', 'character:a2']], [['fandom:Z']]),
    signUp('both', [['fandom:Z']], [['fandom:A', 'character:a1', 'character:a2']]),
    signUp('one', [['fandom:Z']], [['fandom:A', 'character:a2']]),
    signUp('wrong-character', [['fandom:Z']], [['fandom:A', 'character:a9']]),
    signUp('wrong-fandom', [['fandom:Z']], [['fandom:B', 'character:a1']]),
  ];
  assert.equal(weightOf(people, 'both', 'r'), 4); // 1 + fandom + two characters
  assert.equal(weightOf(people, 'one', 'r'), 3);
  assert.equal(weightOf(people, 'wrong-character', 'r'), 0);
  assert.equal(weightOf(people, 'wrong-fandom', 'r'), 0);
});

test('a rule asking for two shared characters is capped by how many the request names', () => {
  const rules = buildRules({
    tagTypes: { fandom: { required: 1, allowAny: false, min: 1, max: 1 }, character: { required: 2, allowAny: true, min: 0, max: 4 } },
  });
  const people = [
    signUp('two', [['fandom:A', 'character:a1', 'character:a2']], [['fandom:Z']]),
    signUp('single', [['fandom:A', 'character:a1']], [['fandom:Z']]),
    signUp('g', [['fandom:Z']], [['fandom:A', 'character:a1', 'character:a3']]),
  ];
  assert.equal(weightOf(people, 'g', 'two', rules), 0, 'only one of the two characters is offered');
  assert.equal(weightOf(people, 'g', 'single', rules), 3, 'the request names one character, so one is enough');
});

test('"any" on either side matches every tag of that type; a type with required 0 is never checked', () => {
  const people = [
    signUp('open-request', [['fandom:A', '*character']], [['fandom:Z']]),
    signUp('open-offer', [['fandom:Z']], [['fandom:A', '*character']]),
    signUp('picky', [['fandom:A', 'character:a1']], [['fandom:Z']]),
    signUp('g', [['fandom:Z']], [['fandom:A', 'character:a7']]),
  ];
  assert.equal(weightOf(people, 'g', 'open-request'), 2);
  assert.equal(weightOf(people, 'open-offer', 'picky'), 2);
  assert.equal(weightOf(people, 'g', 'picky'), 0);
  const loose = buildRules({
    tagTypes: { fandom: { required: 1, allowAny: false, min: 1, max: 3 }, character: { required: 0, allowAny: false, min: 0, max: 4 } },
  });
  assert.equal(weightOf(people, 'g', 'picky', loose), 2);
});

test('a recipient may require several of their requests to be matched by one giver', () => {
  const rules = buildRules({ requiredRequestMatches: 2 });
  const people = [
    signUp('r', [['fandom:A'], ['fandom:B']], [['fandom:Z']]),
    signUp('half', [['fandom:Z']], [['fandom:A']]),
    signUp('full', [['fandom:Z']], [['fandom:A'], ['fandom:B']]),
  ];
  assert.equal(weightOf(people, 'half', 'r', rules), 0);
  assert.equal(weightOf(people, 'full', 'r', rules), 4);
  assert.equal(weightOf(people, 'half', 'r'), 2, 'with one required, one matched request is enough');
});

test('no one is compatible with themselves, and the graph lists each pair once from both sides', () => {
  const people = [signUp('a', [['fandom:A']], [['fandom:A']]), signUp('b', [['fandom:A']], [['fandom:A']])];
  const graph = buildCompatibilityGraph(prepareExchange(people, buildRules()));
  assert.equal(graph.pairs, 2);
  assert.equal(pairWeight(graph, 0, 0), 0);
  assert.deepEqual([...graph.byGiver.other], [1, 0]);
});

test('sign-ups breaking the rules or the tag set are refused with the reason', () => {
  const rules = buildRules();
  assert.deepEqual(checkSignUp(signUp('ok', [['fandom:A']], [['fandom:B', '*character']]), rules, { fandom: ['A', 'B'] }), []);
  const problems = checkSignUp(signUp('bad', [], [['fandom:C', 'fandom:D', 'fandom:E', 'fandom:F', '*fandom', 'rating:G']]), rules, {
    fandom: ['A', 'B'],
  });
  assert.ok(problems.includes('has 0 requests; this exchange takes 1 to 3'), problems.join('\n'));
  assert.ok(problems.some((p) => p.includes('does not allow')));
  assert.ok(problems.some((p) => p.includes('rating tags, which this exchange does not use')));
  assert.ok(problems.some((p) => p.includes('"C" is not in this exchange\'s fandom tags')));
  assert.throws(
    () => prepareExchange([signUp('x', [['fandom:A']], [['fandom:A']]), signUp('x', [['fandom:A']], [['fandom:A']])], rules),
    /share the id "x"/,
  );
});
