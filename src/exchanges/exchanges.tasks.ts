// The exchange's CPU-heavy steps, run in the worker pool (decision 024): building the compatibility
// graph is seconds at thousands of sign-ups, so the event loop never does it. Pure: sign-ups and
// rules in, plain data out (what crosses the thread boundary must be cloneable, so no graph).
import {
  applyManualChange,
  type Assignment,
  buildCompatibilityGraph,
  type ExchangeRules,
  findPotentialMatches,
  type ManualChange,
  type ManualChangeResult,
  matchExchange,
  type PotentialMatch,
  prepareExchange,
  type SignUp,
  type TagSet,
  type UnmatchedExplanation,
} from './matching/index.ts';

export interface MatchTaskInput {
  signUps: SignUp[];
  rules: ExchangeRules;
  tagSet: TagSet;
}

/** How many possible partners the review page lists per sign-up. */
export const POTENTIAL_PER_SIGNUP = 5;

export interface MatchSummary {
  assignments: Assignment[];
  unmatched: UnmatchedExplanation[];
  matchedRecipients: number;
  compatiblePairs: number;
  /** Per sign-up id: its best possible givers and recipients. */
  potential: Record<string, { givers: PotentialMatch[]; recipients: PotentialMatch[] }>;
}

/** Matches the exchange and lists every sign-up's potential matches for the maintainers' review. */
export function runExchangeMatching(input: MatchTaskInput): MatchSummary {
  const { graph, assignments, unmatched, matchedRecipients, compatiblePairs } = matchExchange(input.signUps, input.rules, {
    tagSet: input.tagSet,
  });
  const potential: MatchSummary['potential'] = {};
  for (const s of input.signUps) potential[s.id] = findPotentialMatches(graph, s.id, POTENTIAL_PER_SIGNUP, assignments);
  return { assignments, unmatched, matchedRecipients, compatiblePairs, potential };
}

/** Applies a maintainer's change to the current assignments; the graph is rebuilt from the same input. */
export function runExchangeChange(input: MatchTaskInput & { assignments: Assignment[]; change: ManualChange }): ManualChangeResult {
  const graph = buildCompatibilityGraph(prepareExchange(input.signUps, input.rules, input.tagSet));
  return applyManualChange(graph, input.assignments, input.change);
}
