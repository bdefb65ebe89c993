// The optimal assignment over the compatible pairs: the Hungarian method in its sparse
// shortest-augmenting-path form (Jonker–Volgenant's augmentation with Dijkstra over reduced costs),
// rows = recipients, columns = givers plus one private "unmatched" column per recipient.
//
// The objective is lexicographic: as many recipients as possible get a giver, and among those
// assignments the largest total weight. It is encoded as one cost per edge, -(M + weight) with
// M = maxWeight · n + 1 larger than any total weight, and 0 for the "unmatched" column; all sums
// stay integers well inside a double's exact range. The private column makes every row perfectly
// assignable, so processing rows one by one (each by its shortest augmenting path, duals kept
// feasible) ends at the true optimum even when some rows stay unmatched. Dijkstra stops at the first
// free column it settles, so a recipient whose best giver is free costs a handful of steps.
// Ties are settled by the lower column number (giver ids in order) and rows run in id order, so the
// same exchange always gives the same answer.
import type { CompatibilityGraph } from './compatibility.ts';

/** For each recipient node, its giver node or -1: a maximum-cardinality, then maximum-weight assignment. */
export function solveAssignment(graph: CompatibilityGraph): Int32Array {
  const solver = new AssignmentSolver(graph);
  solver.assignAll();
  return solver.giverOf();
}

/**
 * The solver's state between augmentations, so that a pair can be forbidden afterwards and its
 * recipient re-assigned from the current duals (how mutual pairs are removed, mutual-pairs.ts).
 */
export class AssignmentSolver {
  private readonly n: number;
  private readonly start: Int32Array;
  private readonly other: Int32Array;
  private readonly weight: Int32Array;
  private readonly big: number;
  private readonly forbidden: Uint8Array;
  private readonly v: Float64Array; // column potentials: givers 0..n-1, then recipient r's "unmatched" column n + r
  private readonly u: Float64Array; // row potentials
  private readonly colRow: Int32Array;
  private readonly rowCol: Int32Array;
  private readonly dist: Float64Array;
  private readonly predRow: Int32Array;
  private readonly settled: Uint8Array;
  private readonly touched: number[] = [];
  private readonly done: number[] = [];
  private readonly heap: ColumnHeap;

  constructor(graph: CompatibilityGraph) {
    const n = graph.exchange.ids.length;
    this.n = n;
    ({ start: this.start, other: this.other, weight: this.weight } = graph.byRecipient);
    this.big = graph.maxWeight * n + 1;
    this.forbidden = new Uint8Array(this.other.length);
    const columns = 2 * n;
    this.v = new Float64Array(columns);
    this.u = new Float64Array(n);
    this.colRow = new Int32Array(columns).fill(-1);
    this.rowCol = new Int32Array(n).fill(-1);
    this.dist = new Float64Array(columns).fill(Infinity);
    this.predRow = new Int32Array(columns).fill(-1);
    this.settled = new Uint8Array(columns);
    this.heap = new ColumnHeap(columns);
  }

  /**
   * Assigns every row, each by its shortest augmenting path. Any order reaches the optimum; rows
   * with fewer compatible givers go first (ties by id), so they take their few options before the
   * rows with many arrive, which then find a free giver in shorter searches (decision 035).
   */
  assignAll(): void {
    const order = Array.from({ length: this.n }, (_, r) => r);
    const degree = (r: number) => this.start[r + 1]! - this.start[r]!;
    order.sort((a, b) => degree(a) - degree(b) || a - b);
    for (const root of order) this.assignRow(root);
  }

  /** Assigns one unassigned row (to a giver or to its "unmatched" column). */
  assignRow(root: number): void {
    const end = this.search(root);
    this.commit(root, end);
    this.reset();
  }

  /** The cost of the edge giver → recipient, or null when there is none (or it is forbidden). */
  edgeCost(giver: number, recipient: number): number | null {
    const e = this.findEdge(giver, recipient);
    return e < 0 || this.forbidden[e] ? null : this.cost(e);
  }

  /**
   * How much the total cost would change if giver → recipient were forbidden and the recipient
   * re-assigned; the state is left as it was.
   */
  costOfForbidding(giver: number, recipient: number): number {
    const e = this.findEdge(giver, recipient);
    const assigned = this.rowCol[recipient] === giver;
    const savedU = this.u[recipient]!;
    this.forbidden[e] = 1;
    if (assigned) {
      this.rowCol[recipient] = -1;
      this.colRow[giver] = -1;
    }
    const end = this.search(recipient);
    const change = this.dist[end]! + this.u[recipient]! + this.v[end]! - (assigned ? this.cost(e) : 0);
    this.reset();
    this.forbidden[e] = 0;
    this.u[recipient] = savedU;
    if (assigned) {
      this.rowCol[recipient] = giver;
      this.colRow[giver] = recipient;
    }
    return change;
  }

  /** Forbids giver → recipient for good and re-assigns the recipient if that was its pair. */
  forbid(giver: number, recipient: number): void {
    const e = this.findEdge(giver, recipient);
    if (e < 0) return;
    this.forbidden[e] = 1;
    if (this.rowCol[recipient] === giver) {
      this.rowCol[recipient] = -1;
      this.colRow[giver] = -1;
      this.assignRow(recipient);
    }
  }

  /** For each recipient node, its giver node or -1. */
  giverOf(): Int32Array {
    const giverOf = new Int32Array(this.n).fill(-1);
    for (let r = 0; r < this.n; r++) if (this.rowCol[r]! < this.n) giverOf[r] = this.rowCol[r]!;
    return giverOf;
  }

  private cost(e: number): number {
    return -(this.big + this.weight[e]!);
  }

  private findEdge(giver: number, recipient: number): number {
    let lo = this.start[recipient]!;
    let hi = this.start[recipient + 1]! - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const g = this.other[mid]!;
      if (g === giver) return mid;
      if (g < giver) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Dijkstra over reduced costs from an unassigned row to the nearest free column, which it returns. */
  private search(root: number): number {
    const { n, start, other, v, u } = this;
    // Keep every reduced cost of the root non-negative: u = min over its edges of cost - v.
    let uRoot = 0 - v[n + root]!;
    for (let e = start[root]!; e < start[root + 1]!; e++) if (!this.forbidden[e]) uRoot = Math.min(uRoot, this.cost(e) - v[other[e]!]!);
    u[root] = uRoot;
    this.relax(root, 0);
    while (this.heap.size > 0) {
      const c = this.heap.pop();
      if (this.settled[c]) continue;
      this.settled[c] = 1;
      this.done.push(c);
      const owner = this.colRow[c]!;
      if (owner === -1) return c;
      this.relax(owner, this.dist[c]!);
    }
    // The root's own "unmatched" column is always reachable.
    throw new Error('assignment: no free column reachable');
  }

  private relax(row: number, base: number): void {
    const { n, start, other, v, settled, forbidden } = this;
    const ur = this.u[row]!;
    for (let e = start[row]!; e < start[row + 1]!; e++) {
      const c = other[e]!;
      if (settled[c] || forbidden[e]) continue;
      this.offer(c, base + this.cost(e) - ur - v[c]!, row);
    }
    const dummy = n + row;
    if (!settled[dummy]) this.offer(dummy, base - ur - v[dummy]!, row);
  }

  private offer(c: number, d: number, row: number): void {
    if (d < this.dist[c]!) {
      if (this.dist[c] === Infinity) this.touched.push(c);
      this.dist[c] = d;
      this.predRow[c] = row;
      this.heap.push(c, d);
    }
  }

  /**
   * New duals: each settled column drops by its slack to the end and its row rises by as much,
   * which keeps every reduced cost non-negative and makes the whole path tight; then augment.
   */
  private commit(root: number, end: number): void {
    const { v, u, colRow, rowCol, dist, predRow } = this;
    const delta = dist[end]!;
    for (const c of this.done) {
      const slack = delta - dist[c]!;
      v[c] = v[c]! - slack;
      const row = colRow[c]!;
      if (row !== -1) u[row] = u[row]! + slack;
    }
    u[root] = u[root]! + delta;
    let c = end;
    while (c !== -1) {
      const row = predRow[c]!;
      const previous = rowCol[row]!;
      rowCol[row] = c;
      colRow[c] = row;
      c = row === root ? -1 : previous;
    }
  }

  private reset(): void {
    for (const c of this.touched) {
      this.dist[c] = Infinity;
      this.settled[c] = 0;
      this.predRow[c] = -1;
    }
    this.touched.length = 0;
    this.done.length = 0;
    this.heap.clear();
  }
}

/** A binary min-heap of columns keyed by distance, ties to the lower column; stale entries are skipped by the caller. */
class ColumnHeap {
  private keys: Float64Array;
  private cols: Int32Array;
  size = 0;
  constructor(capacity: number) {
    this.keys = new Float64Array(Math.max(16, capacity));
    this.cols = new Int32Array(Math.max(16, capacity));
  }
  clear(): void {
    this.size = 0;
  }
  push(col: number, key: number): void {
    if (this.size === this.keys.length) {
      const keys = new Float64Array(this.size * 2);
      keys.set(this.keys);
      const cols = new Int32Array(this.size * 2);
      cols.set(this.cols);
      this.keys = keys;
      this.cols = cols;
    }
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(key, col, this.keys[p]!, this.cols[p]!)) break;
      this.keys[i] = this.keys[p]!;
      this.cols[i] = this.cols[p]!;
      i = p;
    }
    this.keys[i] = key;
    this.cols[i] = col;
  }
  pop(): number {
    const top = this.cols[0]!;
    const key = this.keys[--this.size]!;
    const col = this.cols[this.size]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= this.size) break;
      if (child + 1 < this.size && this.less(this.keys[child + 1]!, this.cols[child + 1]!, this.keys[child]!, this.cols[child]!)) child++;
      if (!this.less(this.keys[child]!, this.cols[child]!, key, col)) break;
      this.keys[i] = this.keys[child]!;
      this.cols[i] = this.cols[child]!;
      i = child;
    }
    this.keys[i] = key;
    this.cols[i] = col;
    return top;
  }
  private less(ka: number, ca: number, kb: number, cb: number): boolean {
    return ka < kb || (ka === kb && ca < cb);
  }
}
