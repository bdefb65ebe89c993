import { type Proposal, showThresholdOf } from './story-intelligence.service.ts';
import type { ProposalKind } from './story-intelligence.schema.ts';
import type { ArcView, GraphView } from './story-map.tsx';
import type { WorkAnalysis } from './stored.ts';

export interface EvidenceView {
  text: string;
  /** "Chapter 2", or '' for text not yet posted. */
  source: string;
  href: string | undefined;
}

export interface ProposalView {
  kind: ProposalKind;
  value: string;
  note: string;
  evidence: EvidenceView[];
}

export interface ProposalGroupView {
  kind: ProposalKind;
  heading: string;
  proposals: ProposalView[];
}

const GROUPS: Array<[ProposalKind, string]> = [
  ['rating', 'Rating'],
  ['warning', 'Archive warnings'],
  ['category', 'Category'],
  ['fandom', 'Fandoms'],
  ['relationship', 'Relationships'],
  ['character', 'Characters'],
  ['freeform', 'Additional tags'],
];

/**
 * The proposals Fanfold is sure enough of to show at once (confidence at showThresholdOf(kind) or above),
 * and the rest for the "Show less certain proposals" disclosure, each grouped by kind.
 */
export function splitProposalGroups(
  proposals: readonly Proposal[],
  workId: number | undefined,
  multiChapter: boolean,
): { groups: ProposalGroupView[]; lessCertain: ProposalGroupView[] } {
  return {
    groups: toProposalGroups(
      proposals.filter((p) => p.confidence >= showThresholdOf(p.kind)),
      workId,
      multiChapter,
    ),
    lessCertain: toProposalGroups(
      proposals.filter((p) => p.confidence < showThresholdOf(p.kind)),
      workId,
      multiChapter,
    ),
  };
}

/** Proposals grouped by kind, each with its passages; `workId` links passages to their chapter. */
export function toProposalGroups(proposals: readonly Proposal[], workId: number | undefined, multiChapter: boolean): ProposalGroupView[] {
  return GROUPS.map(([kind, heading]) => ({
    kind,
    heading,
    proposals: proposals
      .filter((p) => p.kind === kind)
      .map((p) => ({
        kind: p.kind,
        value: p.value,
        note: `${p.note}; ${Math.round(p.confidence * 100)}% sure`,
        evidence: p.evidence.map((e) => ({
          text: e.text,
          source: multiChapter && e.chapterId > 0 ? `Chapter ${e.position}` : '',
          href: workId !== undefined && e.chapterId > 0 ? `${chapterHref(workId, e.chapterId)}${textFragment(e.text)}` : undefined,
        })),
      })),
  })).filter((g) => g.proposals.length > 0);
}

function chapterHref(workId: number, chapterId: number): string {
  return `/works/${workId}/chapters/${chapterId}`;
}

/**
 * A text fragment (`#:~:text=`) that scrolls to the first words of a passage in browsers that
 * support it; others open the chapter at its top.
 */
export function textFragment(passage: string, words = 6): string {
  const start = passage.replace(/…$/, '').replace(/\s+/g, ' ').trim().split(' ').slice(0, words).join(' ');
  if (start === '') return '';
  return `#:~:text=${encodeURIComponent(start).replace(/-/g, '%2D')}`;
}

export interface StoryMapView {
  work: { id: number; title: string; href: string };
  state: 'none' | 'partial' | 'complete';
  analysedChapters: number;
  totalChapters: number;
  /** Chapters whose analysis failed for good (their creator can try again). */
  failedChapters: number;
  graph: GraphView;
  /** Every pair, for the table beside the graph. */
  pairs: Array<{ a: string; b: string; kind: string; strength: string; tag: string; lines: number }>;
  arc: ArcView;
  scenes: Array<{ chapter: string; items: Array<{ excerpt: string; href: string }> }>;
}

const MAX_NODES = 12;

/** The story map of a work from its merged analysis. */
export function toStoryMapView(work: { id: number; title: string; href: string }, a: WorkAnalysis, failedChapters = 0): StoryMapView {
  const nodes = a.characters
    .filter((c) => c.role !== 'mentioned')
    .slice(0, MAX_NODES)
    .map((c) => ({ name: c.name, mentions: c.mentions }));
  const inGraph = new Set(nodes.map((n) => n.name));
  const key = (x: string, y: string) => [x, y].sort().join('\u0000');
  const lines = new Map<string, number>();
  for (const t of a.talks) if (t.b) lines.set(key(t.a, t.b), (lines.get(key(t.a, t.b)) ?? 0) + t.lines);
  const pairs: StoryMapView['pairs'] = a.relationships.map((r) => ({
    a: r.a,
    b: r.b,
    kind: r.kind,
    strength: `${Math.round(r.strength * 100)}%`,
    tag: r.tag,
    lines: lines.get(key(r.a, r.b)) ?? 0,
  }));
  const known = new Set(a.relationships.map((r) => key(r.a, r.b)));
  for (const [k, n] of lines) {
    if (known.has(k)) continue;
    const [x, y] = k.split('\u0000') as [string, string];
    pairs.push({ a: x, b: y, kind: 'dialogue', strength: '—', tag: '', lines: n });
  }
  const edges = [
    ...a.relationships.map((r) => ({ a: r.a, b: r.b, strength: r.strength, kind: r.kind, lines: lines.get(key(r.a, r.b)) ?? 0 })),
    ...pairs.filter((p) => p.kind === 'dialogue').map((p) => ({ a: p.a, b: p.b, strength: 0, kind: 'dialogue', lines: p.lines })),
  ].filter((e) => inGraph.has(e.a) && inGraph.has(e.b));
  const byChapter = new Map<number, StoryMapView['scenes'][number]>();
  for (const s of a.scenes) {
    let group = byChapter.get(s.chapterId);
    if (!group) byChapter.set(s.chapterId, (group = { chapter: `Chapter ${s.position}`, items: [] }));
    group.items.push({ excerpt: s.excerpt, href: `${chapterHref(work.id, s.chapterId)}${textFragment(s.excerpt)}` });
  }
  return {
    work,
    state: a.analysedChapters === 0 ? 'none' : a.complete ? 'complete' : 'partial',
    analysedChapters: a.analysedChapters,
    totalChapters: a.totalChapters,
    failedChapters,
    graph: { nodes, edges },
    pairs,
    arc: { points: a.arc, chapterStarts: a.chapterStarts },
    scenes: [...byChapter.values()],
  };
}
