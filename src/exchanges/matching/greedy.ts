// The baseline the benchmark and the tests compare against: take the compatible pairs heaviest
// first (ties by giver, then recipient id) whenever both sides are still free. Close to what a
// hand-run exchange or a simple script does; it can block two good pairs with one.
import type { CompatibilityGraph } from './compatibility.ts';

/** For each recipient node, its giver node or -1, chosen greedily by weight. */
export function assignGreedily(graph: CompatibilityGraph, forbidMutual = graph.exchange.rules.forbidMutual): Int32Array {
  const n = graph.exchange.ids.length;
  const { start, other, weight } = graph.byRecipient;
  const order = new Int32Array(graph.pairs);
  const recipientOfEdge = new Int32Array(graph.pairs);
  for (let r = 0; r < n; r++) for (let e = start[r]!; e < start[r + 1]!; e++) recipientOfEdge[e] = r;
  for (let e = 0; e < order.length; e++) order[e] = e;
  order.sort((a, b) => weight[b]! - weight[a]! || other[a]! - other[b]! || recipientOfEdge[a]! - recipientOfEdge[b]!);
  const giverOf = new Int32Array(n).fill(-1);
  const recipientOf = new Int32Array(n).fill(-1);
  for (const e of order) {
    const g = other[e]!;
    const r = recipientOfEdge[e]!;
    if (giverOf[r] !== -1 || recipientOf[g] !== -1) continue;
    if (forbidMutual && giverOf[g] === r) continue;
    giverOf[r] = g;
    recipientOf[g] = r;
  }
  return giverOf;
}
