// Which giver can write for which recipient, and how well: the compatible-pair graph.
//
// A request and an offer match when, for every tag type whose rule asks for shared tags, they share
// at least that many (capped at the number the request names; a type either side leaves open always
// matches). Their score is 1 plus the tags they share over all types. A giver can write for a
// recipient when their offers match at least `requiredRequestMatches` of the recipient's requests;
// the pair's weight sums, for each request, the best score of an offer matching it.
//
// The graph is built from an index of offers by tag, per type: a request only looks at givers who
// offer one of its tags in its most selective required type (or leave that type open), so a big
// exchange never compares all n² pairs unless its requests leave every required type open.
import { checkSignUp } from './sign-up-rules.ts';
import type { ExchangeRules, Prompt, SignUp, TagSet } from './matching.types.ts';

/** A prompt with its tags as interned numbers, one sorted array per tag type of the rules. */
export interface CompiledPrompt {
  tags: Int32Array[];
  open: boolean[];
}

/** Sign-ups sorted by id, checked against the rules, with prompts compiled for fast comparison. */
export interface PreparedExchange {
  rules: ExchangeRules;
  /** The rules' tag types in name order; prompts' arrays follow it. */
  types: string[];
  /** Valid sign-ups' ids in code-unit order: a node's number in the graph is its place here. */
  ids: string[];
  requests: CompiledPrompt[][];
  offers: CompiledPrompt[][];
  /** Sign-ups left out, with what is wrong with them. */
  invalid: Map<string, string[]>;
}

/** Edges in compressed rows: node i's edges are [start[i], start[i + 1]), sorted by the other node. */
export interface EdgeRows {
  start: Int32Array;
  other: Int32Array;
  weight: Int32Array;
}

/** The compatible pairs: by recipient (other = giver) and by giver (other = recipient). */
export interface CompatibilityGraph {
  exchange: PreparedExchange;
  byRecipient: EdgeRows;
  byGiver: EdgeRows;
  pairs: number;
  maxWeight: number;
}

const compareIds = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Checks and compiles sign-ups; throws on a repeated id, which would make the answer ambiguous. */
export function prepareExchange(signUps: readonly SignUp[], rules: ExchangeRules, tagSet?: TagSet): PreparedExchange {
  const types = Object.keys(rules.tagTypes).sort(compareIds);
  const sorted = [...signUps].sort((a, b) => compareIds(a.id, b.id));
  const interned = new Map<string, number>();
  const intern = (type: string, tag: string) => {
    const key = `${type}\u0000${tag}`;
    let n = interned.get(key);
    if (n === undefined) interned.set(key, (n = interned.size));
    return n;
  };
  const compile = (p: Prompt): CompiledPrompt => ({
    tags: types.map((t) => Int32Array.from(new Set(p.tags[t] ?? []), (tag) => intern(t, tag)).sort()),
    open: types.map((t) => p.any?.includes(t) ?? false),
  });
  const exchange: PreparedExchange = { rules, types, ids: [], requests: [], offers: [], invalid: new Map() };
  for (let i = 0; i < sorted.length; i++) {
    const s = sorted[i]!;
    if (i > 0 && sorted[i - 1]!.id === s.id) throw new Error(`Two sign-ups share the id "${s.id}"; every sign-up needs its own id.`);
    const problems = checkSignUp(s, rules, tagSet);
    if (problems.length > 0) {
      exchange.invalid.set(s.id, problems);
      continue;
    }
    exchange.ids.push(s.id);
    exchange.requests.push(s.requests.map(compile));
    exchange.offers.push(s.offers.map(compile));
  }
  return exchange;
}

/** Counts the tags two sorted arrays share. */
function countShared(a: Int32Array, b: Int32Array): number {
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    if (a[i]! < b[j]!) i++;
    else if (a[i]! > b[j]!) j++;
    else {
      n++;
      i++;
      j++;
    }
  }
  return n;
}

/** Whether one tag type of a request is satisfied by an offer under the rule's required count. */
export function typeMatches(request: CompiledPrompt, offer: CompiledPrompt, t: number, required: number): boolean {
  if (required <= 0 || request.open[t] || offer.open[t]) return true;
  const need = Math.min(required, request.tags[t]!.length);
  return need === 0 || countShared(request.tags[t]!, offer.tags[t]!) >= need;
}

/** The score of a request–offer pair, or 0 when they do not match. */
export function scorePrompts(request: CompiledPrompt, offer: CompiledPrompt, required: readonly number[]): number {
  let score = 1;
  for (let t = 0; t < required.length; t++) {
    if (!typeMatches(request, offer, t, required[t]!)) return 0;
    score += countShared(request.tags[t]!, offer.tags[t]!);
  }
  return score;
}

/** The required shared-tag count per type, in the exchange's type order. */
export function requiredCounts(exchange: PreparedExchange): number[] {
  return exchange.types.map((t) => exchange.rules.tagTypes[t]!.required);
}

/** A pair's weight (0 when the giver's offers match too few of the recipient's requests). */
export function weighPair(exchange: PreparedExchange, giver: number, recipient: number, required = requiredCounts(exchange)): number {
  const requests = exchange.requests[recipient]!;
  const offers = exchange.offers[giver]!;
  const needed = Math.min(exchange.rules.requiredRequestMatches, requests.length);
  let matched = 0;
  let weight = 0;
  for (const q of requests) {
    let best = 0;
    for (const o of offers) best = Math.max(best, scorePrompts(q, o, required));
    if (best > 0) {
      matched++;
      weight += best;
    }
  }
  return matched >= Math.max(1, needed) ? weight : 0;
}

/** Per type, the nodes with a prompt naming each tag, and the nodes with a prompt leaving the type open. */
export interface PromptIndex {
  byTag: Map<number, number[]>[];
  open: number[][];
}

/** Indexes the offers (or the requests) of every sign-up by tag, per type; each node once per list. */
export function indexPrompts(exchange: PreparedExchange, side: 'offers' | 'requests'): PromptIndex {
  const index: PromptIndex = { byTag: exchange.types.map(() => new Map()), open: exchange.types.map(() => []) };
  exchange[side].forEach((prompts, node) => {
    for (let t = 0; t < exchange.types.length; t++) {
      const seen = new Set<number>();
      let open = false;
      for (const p of prompts) {
        if (p.open[t]) open = true;
        for (const tag of p.tags[t]!) seen.add(tag);
      }
      if (open) index.open[t]!.push(node);
      for (const tag of seen) {
        let list = index.byTag[t]!.get(tag);
        if (!list) index.byTag[t]!.set(tag, (list = []));
        list.push(node);
      }
    }
  });
  return index;
}

/**
 * The nodes whose prompts could match `prompt`, through its most selective required type, or null
 * when every required type is open (then any node could).
 */
export function candidateLists(prompt: CompiledPrompt, index: PromptIndex, required: readonly number[]): number[][] | null {
  let best: number[][] | null = null;
  let bestSize = Infinity;
  for (let t = 0; t < required.length; t++) {
    if (required[t]! <= 0 || prompt.open[t] || prompt.tags[t]!.length === 0) continue;
    const lists = [index.open[t]!];
    for (const tag of prompt.tags[t]!) {
      const list = index.byTag[t]!.get(tag);
      if (list) lists.push(list);
    }
    const size = lists.reduce((n, l) => n + l.length, 0);
    if (size < bestSize) {
      best = lists;
      bestSize = size;
    }
  }
  return best;
}

/** Builds the compatible-pair graph (no pair of a sign-up with itself). */
export function buildCompatibilityGraph(exchange: PreparedExchange): CompatibilityGraph {
  const n = exchange.ids.length;
  const required = requiredCounts(exchange);
  const offerIndex = indexPrompts(exchange, 'offers');
  const stamp = new Int32Array(n).fill(-1);
  const start = new Int32Array(n + 1);
  const others: number[] = [];
  const weights: number[] = [];
  const candidates: number[] = [];
  let maxWeight = 0;
  for (let r = 0; r < n; r++) {
    candidates.length = 0;
    let everyone = false;
    for (const q of exchange.requests[r]!) {
      const lists = candidateLists(q, offerIndex, required);
      if (!lists) {
        everyone = true;
        break;
      }
      for (const list of lists) {
        for (const g of list) {
          if (stamp[g] !== r) {
            stamp[g] = r;
            candidates.push(g);
          }
        }
      }
    }
    if (everyone) {
      candidates.length = 0;
      for (let g = 0; g < n; g++) candidates.push(g);
    } else candidates.sort((a, b) => a - b);
    for (const g of candidates) {
      if (g === r) continue;
      const w = weighPair(exchange, g, r, required);
      if (w > 0) {
        others.push(g);
        weights.push(w);
        if (w > maxWeight) maxWeight = w;
      }
    }
    start[r + 1] = others.length;
  }
  const byRecipient: EdgeRows = { start, other: Int32Array.from(others), weight: Int32Array.from(weights) };
  return { exchange, byRecipient, byGiver: transposeRows(byRecipient, n), pairs: others.length, maxWeight };
}

/** The same edges seen from the other side, rows still sorted by the other node. */
function transposeRows(rows: EdgeRows, n: number): EdgeRows {
  const start = new Int32Array(n + 1);
  for (const o of rows.other) start[o + 1]!++;
  for (let i = 0; i < n; i++) start[i + 1]! += start[i]!;
  const fill = start.slice(0, n);
  const other = new Int32Array(rows.other.length);
  const weight = new Int32Array(rows.other.length);
  for (let i = 0; i < n; i++) {
    for (let e = rows.start[i]!; e < rows.start[i + 1]!; e++) {
      const at = fill[rows.other[e]!]!++;
      other[at] = i;
      weight[at] = rows.weight[e]!;
    }
  }
  return { start, other, weight };
}

/** The weight of giver → recipient in the graph, or 0 when they are not compatible. */
export function pairWeight(graph: CompatibilityGraph, giver: number, recipient: number): number {
  const { start, other, weight } = graph.byRecipient;
  let lo = start[recipient]!;
  let hi = start[recipient + 1]! - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const g = other[mid]!;
    if (g === giver) return weight[mid]!;
    if (g < giver) lo = mid + 1;
    else hi = mid - 1;
  }
  return 0;
}
