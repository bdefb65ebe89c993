// Exchange matching: a pure leaf (no database, nothing of the app), used by the exchanges slice and
// the benchmark. Decision 035 explains the algorithm.
export type { CompatibilityGraph } from './compatibility.ts';
export { buildCompatibilityGraph, prepareExchange } from './compatibility.ts';
export { applyManualChange, type ManualChange, type ManualChangeResult } from './manual-changes.ts';
export { type AssignmentMethod, assignOnGraph, type MatchOptions, matchExchange } from './match-exchange.ts';
export type * from './matching.types.ts';
export { findPotentialMatches, type PotentialMatch } from './potential-matches.ts';
export { checkSignUp } from './sign-up-rules.ts';
