// The alternative the Hungarian form was measured against (decision 035): min-cost flow by
// successive shortest paths, source → giver → recipient → sink with unit capacities, Dijkstra over
// reduced costs with Johnson potentials, one unit of flow per search. It reaches the same optimum;
// each search starts from every free giver at once and must reach the sink, so it settles far more
// nodes than the Hungarian form's search from one recipient, and it updates every potential each time.
import type { CompatibilityGraph } from './compatibility.ts';

/** For each recipient node, its giver node or -1: the same objective as solveAssignment. */
export function solveByMinCostFlow(graph: CompatibilityGraph): Int32Array {
  const n = graph.exchange.ids.length;
  const big = graph.maxWeight * n + 1;
  const g2r = graph.byGiver;
  const r2g = graph.byRecipient;
  // Nodes: givers 0..n-1, recipients n..2n-1, the sink 2n. The source is implicit (distance 0).
  const sink = 2 * n;
  const potential = new Float64Array(2 * n + 1);
  const giverOf = new Int32Array(n).fill(-1);
  const recipientOf = new Int32Array(n).fill(-1);
  for (let r = 0; r < n; r++) {
    let p = 0;
    for (let e = r2g.start[r]!; e < r2g.start[r + 1]!; e++) p = Math.min(p, -(big + r2g.weight[e]!));
    potential[n + r] = p;
    potential[sink] = Math.min(potential[sink]!, p);
  }
  const dist = new Float64Array(2 * n + 1);
  const pred = new Int32Array(2 * n + 1);
  const settled = new Uint8Array(2 * n + 1);
  const heap = new NodeHeap();
  for (;;) {
    dist.fill(Infinity);
    settled.fill(0);
    heap.clear();
    for (let g = 0; g < n; g++) {
      if (recipientOf[g] === -1) {
        dist[g] = -potential[g]!;
        pred[g] = -1;
        heap.push(g, dist[g]!);
      }
    }
    let reached = false;
    while (heap.size > 0) {
      const [node, d] = heap.pop();
      if (settled[node] || d > dist[node]!) continue;
      settled[node] = 1;
      if (node === sink) {
        reached = true;
        break;
      }
      const relax = (to: number, cost: number) => {
        const nd = d + cost + potential[node]! - potential[to]!;
        if (nd < dist[to]!) {
          dist[to] = nd;
          pred[to] = node;
          heap.push(to, nd);
        }
      };
      if (node < n) {
        for (let e = g2r.start[node]!; e < g2r.start[node + 1]!; e++) {
          const r = g2r.other[e]!;
          if (giverOf[r] !== node) relax(n + r, -(big + g2r.weight[e]!));
        }
      } else {
        const r = node - n;
        const g = giverOf[r]!;
        if (g === -1) relax(sink, 0);
        else relax(g, big + weightOf(r2g, g, r));
      }
    }
    if (!reached) break;
    const limit = dist[sink]!;
    for (let v = 0; v <= sink; v++) potential[v] = potential[v]! + Math.min(dist[v]!, limit);
    // Walk back from the sink: recipient ← giver pairs along the path become the assignment.
    let r = pred[sink]! - n;
    for (;;) {
      const g = pred[n + r]!;
      const previous = recipientOf[g]!;
      giverOf[r] = g;
      recipientOf[g] = r;
      if (pred[g] === -1) break;
      r = previous;
    }
  }
  return giverOf;
}

function weightOf(rows: CompatibilityGraph['byRecipient'], giver: number, recipient: number): number {
  for (let e = rows.start[recipient]!; e < rows.start[recipient + 1]!; e++) if (rows.other[e] === giver) return rows.weight[e]!;
  return 0;
}

/** A binary min-heap of (node, distance) pairs, ties to the lower node. */
class NodeHeap {
  private nodes: number[] = [];
  private keys: number[] = [];
  get size(): number {
    return this.nodes.length;
  }
  clear(): void {
    this.nodes.length = 0;
    this.keys.length = 0;
  }
  push(node: number, key: number): void {
    let i = this.nodes.length;
    this.nodes.push(node);
    this.keys.push(key);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }
  pop(): [number, number] {
    const top: [number, number] = [this.nodes[0]!, this.keys[0]!];
    const lastNode = this.nodes.pop()!;
    const lastKey = this.keys.pop()!;
    if (this.nodes.length > 0) {
      this.nodes[0] = lastNode;
      this.keys[0] = lastKey;
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= this.nodes.length) break;
        if (c + 1 < this.nodes.length && this.less(c + 1, c)) c++;
        if (!this.less(c, i)) break;
        this.swap(i, c);
        i = c;
      }
    }
    return top;
  }
  private less(a: number, b: number): boolean {
    return this.keys[a]! < this.keys[b]! || (this.keys[a] === this.keys[b] && this.nodes[a]! < this.nodes[b]!);
  }
  private swap(a: number, b: number): void {
    [this.nodes[a], this.nodes[b]] = [this.nodes[b]!, this.nodes[a]!];
    [this.keys[a], this.keys[b]] = [this.keys[b]!, this.keys[a]!];
  }
}
