// The matcher's entry point: sign-ups and rules in, assignments and explanations out.
import { AssignmentSolver } from './assignment.ts';
import { buildCompatibilityGraph, type CompatibilityGraph, pairWeight, prepareExchange } from './compatibility.ts';
import { explainUnmatched } from './explanations.ts';
import { assignGreedily } from './greedy.ts';
import type { Assignment, ExchangeRules, MatchResult, SignUp, TagSet } from './matching.types.ts';
import { solveByMinCostFlow } from './min-cost-flow.ts';
import { removeMutualPairs } from './mutual-pairs.ts';

/** How the assignment is found. */
export type AssignmentMethod = 'optimal' | 'greedy' | 'min-cost-flow';

/** Options of one matching run. */
export interface MatchOptions {
  tagSet?: TagSet;
  /** 'optimal' (the default), or for comparison the greedy baseline or the same optimum by min-cost flow (slower; it ignores forbidMutual). */
  method?: AssignmentMethod;
}

/** Matches an exchange: the most recipients matched, then the largest total weight; same input, same answer. */
export function matchExchange(
  signUps: readonly SignUp[],
  rules: ExchangeRules,
  options: MatchOptions = {},
): MatchResult & { graph: CompatibilityGraph } {
  const graph = buildCompatibilityGraph(prepareExchange(signUps, rules, options.tagSet));
  return { ...assignOnGraph(graph, options.method ?? 'optimal'), graph };
}

/** Runs one assignment method on a built graph (the benchmark times the graph and the methods apart). */
export function assignOnGraph(graph: CompatibilityGraph, method: AssignmentMethod): MatchResult {
  let giverOf: Int32Array;
  if (method === 'greedy') giverOf = assignGreedily(graph);
  else if (method === 'min-cost-flow') giverOf = solveByMinCostFlow(graph);
  else {
    const solver = new AssignmentSolver(graph);
    solver.assignAll();
    if (graph.exchange.rules.forbidMutual) removeMutualPairs(solver);
    giverOf = solver.giverOf();
  }
  const { ids } = graph.exchange;
  const assignments: Assignment[] = [];
  for (let r = 0; r < giverOf.length; r++) {
    const g = giverOf[r]!;
    if (g >= 0) assignments.push({ giverId: ids[g]!, recipientId: ids[r]!, weight: pairWeight(graph, g, r) });
  }
  assignments.sort((a, b) => (a.giverId < b.giverId ? -1 : a.giverId > b.giverId ? 1 : 0));
  return {
    assignments,
    unmatched: explainUnmatched(graph, giverOf),
    matchedRecipients: assignments.length,
    totalWeight: assignments.reduce((sum, a) => sum + a.weight, 0),
    compatiblePairs: graph.pairs,
  };
}
