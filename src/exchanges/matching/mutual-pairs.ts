// "No mutual pairs" (A gives to B while B gives to A) is not a constraint a bipartite assignment can
// express, so it is repaired afterwards: for each mutual pair, one of its two edges is forbidden,
// whichever costs less once its recipient is re-assigned by a shortest augmenting path from the
// solver's current duals, and that recipient is re-assigned. A re-assignment can make a new mutual
// pair elsewhere, so it repeats until none is left; each round forbids an edge, so it ends. The
// result is not guaranteed optimal under the constraint, only free of mutual pairs and close.
import type { AssignmentSolver } from './assignment.ts';

/** Forbids edges of the solver until no two sign-ups give to each other. */
export function removeMutualPairs(solver: AssignmentSolver): void {
  for (;;) {
    const giverOf = solver.giverOf();
    let pair: [number, number] | null = null;
    for (let a = 0; a < giverOf.length && !pair; a++) {
      const b = giverOf[a]!;
      if (b > a && giverOf[b] === a) pair = [a, b];
    }
    if (!pair) return;
    const [a, b] = pair;
    // Forbid a → b unless forbidding b → a costs strictly less.
    if (solver.costOfForbidding(b, a) < solver.costOfForbidding(a, b)) solver.forbid(b, a);
    else solver.forbid(a, b);
  }
}
