// A maintainer's hand adjustment of the assignments. The matcher's answer is a proposal: a
// maintainer may override compatibility (they know things the tags do not say), so an incompatible
// pair is a warning, never a refusal; what is refused is what no exchange can hold (giving to
// oneself, unknown people). Every pair the change breaks is reported, so the people involved can be
// found a new match or told.
import { type CompatibilityGraph, pairWeight } from './compatibility.ts';
import { findNode } from './potential-matches.ts';
import type { Assignment } from './matching.types.ts';

/** A maintainer's change: give a giver a new recipient, swap two givers' recipients, or remove an assignment. */
export type ManualChange =
  | { kind: 'reassign'; giverId: string; recipientId: string }
  | { kind: 'swap'; giverA: string; giverB: string }
  | { kind: 'remove'; giverId: string };

/** The assignments after a change, the pairs it broke, and what a maintainer should know. */
export type ManualChangeResult =
  | { ok: true; assignments: Assignment[]; broken: Assignment[]; added: Assignment[]; warnings: string[] }
  | { ok: false; error: string };

/** Applies one manual change to a set of assignments without touching the input. */
export function applyManualChange(graph: CompatibilityGraph, assignments: readonly Assignment[], change: ManualChange): ManualChangeResult {
  const known = new Set<string>([...graph.exchange.ids, ...graph.exchange.invalid.keys()]);
  const givesTo = new Map(assignments.map((a) => [a.giverId, a]));
  const receivesFrom = new Map(assignments.map((a) => [a.recipientId, a]));
  const broken = new Set<Assignment>();
  const added: Array<{ giverId: string; recipientId: string }> = [];
  for (const id of change.kind === 'swap'
    ? [change.giverA, change.giverB]
    : change.kind === 'reassign'
      ? [change.giverId, change.recipientId]
      : [change.giverId]) {
    if (!known.has(id)) return { ok: false, error: `There is no sign-up "${id}" in this exchange; pick one from the sign-ups list.` };
  }
  if (change.kind === 'reassign') {
    if (change.giverId === change.recipientId) return { ok: false, error: 'A sign-up cannot give to itself; choose another recipient.' };
    const old = givesTo.get(change.giverId);
    if (old?.recipientId === change.recipientId) return { ok: false, error: `${change.giverId} already gives to ${change.recipientId}.` };
    if (old) broken.add(old);
    const taken = receivesFrom.get(change.recipientId);
    if (taken) broken.add(taken);
    added.push({ giverId: change.giverId, recipientId: change.recipientId });
  } else if (change.kind === 'swap') {
    const a = givesTo.get(change.giverA);
    const b = givesTo.get(change.giverB);
    if (!a || !b) {
      const idle = a ? change.giverB : change.giverA;
      return { ok: false, error: `${idle} gives to nobody yet, so there is nothing to swap; reassign instead.` };
    }
    if (a === b) return { ok: false, error: 'Choose two different givers to swap.' };
    if (a.giverId === b.recipientId || b.giverId === a.recipientId) {
      return { ok: false, error: `Swapping would make ${a.giverId === b.recipientId ? a.giverId : b.giverId} give to themselves.` };
    }
    broken.add(a);
    broken.add(b);
    added.push({ giverId: a.giverId, recipientId: b.recipientId }, { giverId: b.giverId, recipientId: a.recipientId });
  } else {
    const old = givesTo.get(change.giverId);
    if (!old) return { ok: false, error: `${change.giverId} gives to nobody, so there is nothing to remove.` };
    broken.add(old);
  }

  const warnings: string[] = [];
  const weighed = added.map(({ giverId, recipientId }) => {
    const g = findNode(graph, giverId);
    const r = findNode(graph, recipientId);
    const weight = g >= 0 && r >= 0 ? pairWeight(graph, g, r) : 0;
    if (weight === 0) warnings.push(`${giverId}'s offers do not match ${recipientId}'s requests under this exchange's rules.`);
    return { giverId, recipientId, weight };
  });
  const next = [...assignments.filter((a) => !broken.has(a)), ...weighed].sort((x, y) =>
    x.giverId < y.giverId ? -1 : x.giverId > y.giverId ? 1 : 0,
  );
  if (graph.exchange.rules.forbidMutual) {
    const pairs = new Set(next.map((a) => `${a.giverId}\u0000${a.recipientId}`));
    for (const a of weighed) {
      if (pairs.has(`${a.recipientId}\u0000${a.giverId}`))
        warnings.push(`${a.giverId} and ${a.recipientId} now give to each other, which this exchange forbids.`);
    }
  }
  return { ok: true, assignments: next, broken: [...broken].sort((x, y) => (x.giverId < y.giverId ? -1 : 1)), added: weighed, warnings };
}
