// Why a sign-up got no giver or no recipient, in terms a maintainer can act on: which tag type
// nobody offers (or requests), whether the tags exist but never together in one prompt, or whether
// compatible people existed and were all assigned elsewhere.
import {
  candidateLists,
  indexPrompts,
  requiredCounts,
  scorePrompts,
  type CompatibilityGraph,
  type CompiledPrompt,
  type PromptIndex,
} from './compatibility.ts';
import type { UnmatchedExplanation } from './matching.types.ts';

const MAX_CANDIDATES = 5;

/** Explains every unmatched side of every sign-up, invalid sign-ups first, then in id order. */
export function explainUnmatched(graph: CompatibilityGraph, giverOf: Int32Array): UnmatchedExplanation[] {
  const { exchange } = graph;
  const n = exchange.ids.length;
  const out: UnmatchedExplanation[] = [];
  for (const [id, problems] of [...exchange.invalid].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const message = `The sign-up was left out of matching because it ${problems.join('; ')}.`;
    out.push({ signUpId: id, role: 'recipient', reason: 'invalid-sign-up', message });
    out.push({ signUpId: id, role: 'giver', reason: 'invalid-sign-up', message });
  }
  const recipientOf = new Int32Array(n).fill(-1);
  for (let r = 0; r < n; r++) if (giverOf[r]! >= 0) recipientOf[giverOf[r]!] = r;
  const required = requiredCounts(exchange);
  let offerIndex: PromptIndex | undefined;
  let requestIndex: PromptIndex | undefined;
  for (let node = 0; node < n; node++) {
    if (giverOf[node] === -1) {
      const ranked = rankOthers(graph.byRecipient, node);
      if (ranked.length === 0) {
        offerIndex ??= indexPrompts(exchange, 'offers');
        out.push(explainNoCandidate(graph, node, 'recipient', exchange.requests[node]!, exchange.offers, offerIndex, required));
      } else out.push(explainTaken(graph, node, 'recipient', ranked, recipientOf[node]!));
    }
    if (recipientOf[node] === -1) {
      const ranked = rankOthers(graph.byGiver, node);
      if (ranked.length === 0) {
        requestIndex ??= indexPrompts(exchange, 'requests');
        out.push(explainNoCandidate(graph, node, 'giver', exchange.offers[node]!, exchange.requests, requestIndex, required));
      } else out.push(explainTaken(graph, node, 'giver', ranked, giverOf[node]!));
    }
  }
  return out;
}

/** The other side's nodes of one row, heaviest first, ties by id. */
export function rankOthers(rows: CompatibilityGraph['byRecipient'], node: number): number[] {
  const list: number[] = [];
  for (let e = rows.start[node]!; e < rows.start[node + 1]!; e++) list.push(e);
  list.sort((a, b) => rows.weight[b]! - rows.weight[a]! || rows.other[a]! - rows.other[b]!);
  return list.map((e) => rows.other[e]!);
}

function explainTaken(
  graph: CompatibilityGraph,
  node: number,
  role: 'recipient' | 'giver',
  ranked: number[],
  partner: number,
): UnmatchedExplanation {
  const { ids, rules } = graph.exchange;
  const signUpId = ids[node]!;
  const candidates = ranked.slice(0, MAX_CANDIDATES).map((c) => ids[c]!);
  const others = role === 'recipient' ? 'givers' : 'recipients';
  // With mutual pairs forbidden, the only candidate may be the person this one is already paired with.
  if (rules.forbidMutual && ranked.every((c) => c === partner)) {
    const message =
      role === 'recipient'
        ? `The only possible giver is ${ids[partner]}, who already receives from this person; this exchange forbids mutual pairs.`
        : `The only possible recipient is ${ids[partner]}, who already gives to this person; this exchange forbids mutual pairs.`;
    return { signUpId, role, reason: 'only-mutual-candidates', candidates, message };
  }
  const message = `All ${ranked.length} compatible ${others} (${candidates.join(', ')}${ranked.length > MAX_CANDIDATES ? ', …' : ''}) are assigned to other sign-ups.`;
  return { signUpId, role, reason: 'all-candidates-taken', candidates, message };
}

/**
 * A node without any compatible partner: per prompt of its own, the required tag types that no
 * other sign-up's prompts on the other side cover at all. When every type is covered somewhere but
 * never all in one prompt, it says so; when single prompts match but too few of them, that too.
 */
function explainNoCandidate(
  graph: CompatibilityGraph,
  node: number,
  role: 'recipient' | 'giver',
  own: CompiledPrompt[],
  otherSide: CompiledPrompt[][],
  index: PromptIndex,
  required: number[],
): UnmatchedExplanation {
  const { ids, types, rules } = graph.exchange;
  const signUpId = ids[node]!;
  const missing = new Set<string>();
  let somePromptMatches = false;
  for (const prompt of own) {
    for (let t = 0; t < types.length; t++) {
      if (required[t]! <= 0 || prompt.open[t] || prompt.tags[t]!.length === 0) continue;
      const lists = candidateLists({ tags: [prompt.tags[t]!], open: [false] }, { byTag: [index.byTag[t]!], open: [index.open[t]!] }, [1]);
      if (!lists?.some((list) => list.some((other) => other !== node))) missing.add(types[t]!);
    }
    if (!somePromptMatches) {
      somePromptMatches = otherSide.some(
        (prompts, other) =>
          other !== node &&
          prompts.some((p) => (role === 'recipient' ? scorePrompts(prompt, p, required) : scorePrompts(p, prompt, required)) > 0),
      );
    }
  }
  const what = role === 'recipient' ? 'offers' : 'requests';
  const yours = role === 'recipient' ? 'requests' : 'offers';
  if (missing.size > 0) {
    const tagTypes = types.filter((t) => missing.has(t));
    return {
      signUpId,
      role,
      reason: role === 'recipient' ? 'no-offer-for-tag-type' : 'no-request-for-tag-type',
      tagTypes,
      message: `No other sign-up ${what} any of the ${tagTypes.join(', ')} tags in this sign-up's ${yours}.`,
    };
  }
  if (somePromptMatches) {
    return {
      signUpId,
      role,
      reason: 'too-few-requests-matched',
      message: `Some ${what} match single ${yours}, but no one sign-up matches the ${rules.requiredRequestMatches} requests this exchange requires.`,
    };
  }
  return {
    signUpId,
    role,
    reason: role === 'recipient' ? 'no-offer-matching-all-types' : 'no-request-matching-all-types',
    message: `Every tag type is ${role === 'recipient' ? 'offered' : 'requested'} somewhere, but no single ${role === 'recipient' ? 'offer' : 'request'} shares enough tags of every required type with this sign-up's ${yours}.`,
  };
}
