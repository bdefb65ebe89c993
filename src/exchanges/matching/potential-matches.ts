// What a maintainer reviews before adjusting by hand: for one sign-up, its best possible givers and
// recipients, with who each of them is assigned to now.
import { type CompatibilityGraph, pairWeight } from './compatibility.ts';
import { rankOthers } from './explanations.ts';
import type { Assignment } from './matching.types.ts';

/** One possible partner of a sign-up. */
export interface PotentialMatch {
  signUpId: string;
  weight: number;
  /** In the current assignments: whom this giver gives to, or whom this recipient receives from. */
  assignedWith: string | null;
}

/** The top `k` compatible givers and recipients of one sign-up, heaviest first, ties by id. */
export function findPotentialMatches(
  graph: CompatibilityGraph,
  signUpId: string,
  k: number,
  assignments: readonly Assignment[] = [],
): { givers: PotentialMatch[]; recipients: PotentialMatch[] } {
  const node = findNode(graph, signUpId);
  if (node < 0) return { givers: [], recipients: [] };
  const { ids } = graph.exchange;
  const givesTo = new Map(assignments.map((a) => [a.giverId, a.recipientId]));
  const receivesFrom = new Map(assignments.map((a) => [a.recipientId, a.giverId]));
  return {
    givers: rankOthers(graph.byRecipient, node)
      .slice(0, k)
      .map((g) => ({ signUpId: ids[g]!, weight: pairWeight(graph, g, node), assignedWith: givesTo.get(ids[g]!) ?? null })),
    recipients: rankOthers(graph.byGiver, node)
      .slice(0, k)
      .map((r) => ({ signUpId: ids[r]!, weight: pairWeight(graph, node, r), assignedWith: receivesFrom.get(ids[r]!) ?? null })),
  };
}

/** A sign-up's node number in the graph, or -1 when it was not matched (unknown or invalid). */
export function findNode(graph: CompatibilityGraph, signUpId: string): number {
  const { ids } = graph.exchange;
  let lo = 0;
  let hi = ids.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const id = ids[mid]!;
    if (id === signUpId) return mid;
    if (id < signUpId) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
