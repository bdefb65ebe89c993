// The story map's two pictures, drawn on the server as SVG: who is in the story and who talks to
// whom (a graph), and the emotional arc (a line chart). Text in them is escaped by Preact.

export interface GraphNode {
  name: string;
  mentions: number;
}

export interface GraphEdge {
  a: string;
  b: string;
  /** 0..1; 0 for a pair that only talks. */
  strength: number;
  kind: string;
  /** Lines of dialogue between the two, either way. */
  lines: number;
}

export interface GraphView {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

const KIND_COLOURS: Record<string, string> = {
  romantic: '#a3124a',
  family: '#2d6a2e',
  friendship: '#1a5fb4',
  conflict: '#8a5a00',
  dialogue: '#55504a',
};

const G_W = 640;
const G_H = 440;

function describeGraph(view: GraphView): string {
  if (view.nodes.length === 0) return 'No named characters were found.';
  const people = view.nodes.map((n) => `${n.name} (${n.mentions} mentions)`).join(', ');
  const pairs = view.edges.map(
    (e) =>
      `${e.a} and ${e.b}: ${e.kind}${e.strength > 0 ? `, strength ${Math.round(e.strength * 100)}%` : ''}${e.lines > 0 ? `, ${e.lines} lines of dialogue` : ''}`,
  );
  return `Characters: ${people}. ${pairs.length > 0 ? `Pairs: ${pairs.join('; ')}.` : 'No pairs interact.'}`;
}

/** Characters as circles sized by mentions on a ring, pairs as lines weighted by strength and labelled. */
export function CharacterGraph(props: { id: string; title: string; view: GraphView }) {
  const { nodes, edges } = props.view;
  const cx = G_W / 2;
  const cy = G_H / 2;
  const ring = Math.min(G_W, G_H) / 2 - 70;
  const max = Math.max(1, ...nodes.map((n) => n.mentions));
  const pos = new Map(
    nodes.map((n, i) => {
      const angle = -Math.PI / 2 + (2 * Math.PI * i) / Math.max(1, nodes.length);
      const r = nodes.length === 1 ? 0 : ring;
      return [n.name, { x: cx + r * Math.cos(angle), y: cy + r * Math.sin(angle), size: 8 + 22 * Math.sqrt(n.mentions / max), angle }];
    }),
  );
  return (
    <svg
      class="story-graph"
      viewBox={`0 0 ${G_W} ${G_H}`}
      width="100%"
      role="img"
      aria-labelledby={`${props.id}-title ${props.id}-desc`}
      xmlns="http://www.w3.org/2000/svg"
    >
      <title id={`${props.id}-title`}>{props.title}</title>
      <desc id={`${props.id}-desc`}>{describeGraph(props.view)}</desc>
      {edges.map((e) => {
        const p = pos.get(e.a);
        const q = pos.get(e.b);
        if (!p || !q) return null;
        const colour = KIND_COLOURS[e.kind] ?? KIND_COLOURS.dialogue!;
        const width = e.strength > 0 ? 1.5 + 8 * e.strength : 1.5;
        return (
          <g class="edge">
            <line
              x1={p.x.toFixed(1)}
              y1={p.y.toFixed(1)}
              x2={q.x.toFixed(1)}
              y2={q.y.toFixed(1)}
              stroke={colour}
              stroke-width={width.toFixed(1)}
              stroke-dasharray={e.strength > 0 ? undefined : '4 4'}
              stroke-linecap="round"
              opacity="0.8"
            />
            <text
              x={((p.x + q.x) / 2).toFixed(1)}
              y={((p.y + q.y) / 2 - 4).toFixed(1)}
              text-anchor="middle"
              font-size="12"
              fill={colour}
              stroke="#fffdf9"
              stroke-width="3"
              paint-order="stroke"
            >
              {e.kind}
            </text>
          </g>
        );
      })}
      {nodes.map((n) => {
        const p = pos.get(n.name)!;
        const below = Math.sin(p.angle) >= 0 || nodes.length === 1;
        return (
          <g class="node">
            <circle cx={p.x.toFixed(1)} cy={p.y.toFixed(1)} r={p.size.toFixed(1)} fill="#f5f1ea" stroke="#1f1d1a" stroke-width="1.5" />
            <text
              x={p.x.toFixed(1)}
              y={(below ? p.y + p.size + 16 : p.y - p.size - 8).toFixed(1)}
              text-anchor="middle"
              font-size="14"
              fill="#1f1d1a"
              stroke="#fffdf9"
              stroke-width="3"
              paint-order="stroke"
            >
              {n.name}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

export interface ArcView {
  points: Array<{ x: number; valence: number; turning: boolean }>;
  chapterStarts: Array<{ position: number; x: number }>;
}

const A_W = 640;
const A_H = 220;
const PAD = { left: 84, right: 16, top: 16, bottom: 30 };

const signed = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(2)}`;
const mood = (v: number) => (v > 0.05 ? 'positive' : v < -0.05 ? 'negative' : 'neutral');

/** A share of the story as a whole percentage, never 0% or 100%: those are said in words. */
function percentThrough(x: number): number {
  return Math.min(99, Math.max(1, Math.round(x * 100)));
}

/**
 * Where point `i` of the arc lies, in words: the first and last points are the start and the
 * end, points in the first or last tenth are near them, and the rest a rounded percentage.
 */
export function placeOnArc(points: ArcView['points'], i: number): string {
  if (i === 0) return 'at the very start';
  if (i === points.length - 1) return 'at the very end';
  const x = points[i]!.x;
  if (x < 0.1) return 'near the start';
  if (x > 0.9) return 'near the end';
  return `${percentThrough(x)}% of the way through`;
}

/** The turning points in order, each a high or a low point where the mood changes direction. */
export function turningPointsOf(view: ArcView): Array<{ n: number; index: number; x: number; valence: number; kind: 'high' | 'low' }> {
  const pts = view.points;
  const out: Array<{ n: number; index: number; x: number; valence: number; kind: 'high' | 'low' }> = [];
  pts.forEach((p, i) => {
    if (!p.turning) return;
    const before = pts[i - 1]?.valence ?? p.valence;
    const after = pts[i + 1]?.valence ?? p.valence;
    const kind = p.valence >= (before + after) / 2 ? 'high' : 'low';
    out.push({ n: out.length + 1, index: i, x: p.x, valence: p.valence, kind });
  });
  return out;
}

function listInWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** The arc in words, for readers who do not see the chart. */
export function describeArc(view: ArcView): string {
  const pts = view.points;
  if (pts.length === 0) return 'The story is too short for an emotional arc.';
  const first = pts[0]!;
  const last = pts[pts.length - 1]!;
  let low = 0;
  let high = 0;
  pts.forEach((p, i) => {
    if (p.valence < pts[low]!.valence) low = i;
    if (p.valence > pts[high]!.valence) high = i;
  });
  const turns = turningPointsOf(view).map((t) => `${percentThrough(t.x)}%`);
  return (
    `The story opens ${mood(first.valence)} (${signed(first.valence)}), is at its lowest ${placeOnArc(pts, low)} (${signed(pts[low]!.valence)}) ` +
    `and at its highest ${placeOnArc(pts, high)} (${signed(pts[high]!.valence)}), and ends ${mood(last.valence)} (${signed(last.valence)}). ` +
    (turns.length > 0
      ? `The mood turns ${turns.length === 1 ? 'once' : turns.length === 2 ? 'twice' : `${turns.length} times`}, at ${listInWords(turns)} of the way through.`
      : 'The mood never turns.')
  );
}

/** Valence (−1 negative … +1 positive) along the story, turning points marked. */
export function ArcChart(props: { id: string; title: string; view: ArcView }) {
  const { points, chapterStarts } = props.view;
  const plotW = A_W - PAD.left - PAD.right;
  const plotH = A_H - PAD.top - PAD.bottom;
  const scale = Math.max(0.25, ...points.map((p) => Math.abs(p.valence)));
  const x = (v: number) => PAD.left + v * plotW;
  const y = (v: number) => PAD.top + plotH / 2 - (v / scale) * (plotH / 2);
  const line = points.map((p) => `${x(p.x).toFixed(1)},${y(p.valence).toFixed(1)}`).join(' ');
  return (
    <svg
      class="arc-chart"
      viewBox={`0 0 ${A_W} ${A_H}`}
      width="100%"
      role="img"
      aria-labelledby={`${props.id}-title ${props.id}-desc`}
      xmlns="http://www.w3.org/2000/svg"
    >
      <title id={`${props.id}-title`}>{props.title}</title>
      <desc id={`${props.id}-desc`}>{describeArc(props.view)}</desc>
      <line x1={PAD.left} x2={A_W - PAD.right} y1={y(0)} y2={y(0)} stroke="#a09888" stroke-width="1" />
      <text x={PAD.left - 6} y={PAD.top + 10} text-anchor="end" font-size="11" fill="#333">
        positive
      </text>
      <text x={PAD.left - 6} y={y(0) + 4} text-anchor="end" font-size="11" fill="#333">
        neutral
      </text>
      <text x={PAD.left - 6} y={PAD.top + plotH} text-anchor="end" font-size="11" fill="#333">
        negative
      </text>
      {chapterStarts.length > 1 ? (
        chapterStarts.map((c) => (
          <g>
            <line x1={x(c.x).toFixed(1)} x2={x(c.x).toFixed(1)} y1={PAD.top} y2={PAD.top + plotH} stroke="#ddd5c8" stroke-dasharray="3 3" />
            <text x={(x(c.x) + 3).toFixed(1)} y={A_H - 8} font-size="11" fill="#333">
              Ch. {c.position}
            </text>
          </g>
        ))
      ) : (
        <>
          <text x={PAD.left} y={A_H - 8} font-size="11" fill="#333">
            start
          </text>
          <text x={A_W - PAD.right} y={A_H - 8} text-anchor="end" font-size="11" fill="#333">
            end
          </text>
        </>
      )}
      {points.length > 1 ? <polyline points={line} fill="none" stroke="#8c1d18" stroke-width="2.5" /> : null}
      {turningPointsOf(props.view).map((t) => {
        // The number sits on the side away from the line: above a high point, below a low one.
        const labelY = t.kind === 'high' ? y(t.valence) - 10 : y(t.valence) + 20;
        return (
          <g class="turning-point">
            <title>{turningPointLabel(t)}</title>
            <circle cx={x(t.x).toFixed(1)} cy={y(t.valence).toFixed(1)} r="6" fill="#fffdf9" stroke="#1f1d1a" stroke-width="2" />
            <text
              x={x(t.x).toFixed(1)}
              y={Math.min(A_H - PAD.bottom + 12, Math.max(12, labelY)).toFixed(1)}
              text-anchor="middle"
              font-size="13"
              font-weight="700"
              fill="#1f1d1a"
              stroke="#fffdf9"
              stroke-width="3"
              paint-order="stroke"
            >
              {t.n}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

function turningPointLabel(t: ReturnType<typeof turningPointsOf>[number]): string {
  return `Turning point ${t.n}, ${percentThrough(t.x)}% of the way through: a ${t.kind} point (${signed(t.valence)}), after which the mood ${t.kind === 'high' ? 'falls' : 'rises'}`;
}

/** What the arc chart's line, dividers and numbered markers mean, beside it (the chart itself is one image to assistive technology). */
export function ArcLegend(props: { view: ArcView }) {
  const turns = turningPointsOf(props.view);
  if (props.view.points.length === 0) return null;
  return (
    <div class="arc-legend">
      <h3 class="visually-hidden">Key to the emotional arc</h3>
      <ul class="arc-key">
        <li>
          <span class="key-line" aria-hidden="true" /> The mood of the story, from negative (low) to positive (high)
        </li>
        {props.view.chapterStarts.length > 1 ? (
          <li>
            <span class="key-chapter" aria-hidden="true" /> Where a chapter starts
          </li>
        ) : null}
        {turns.length > 0 ? (
          <li>
            <span class="key-marker" aria-hidden="true" /> A turning point, numbered in order:
          </li>
        ) : null}
      </ul>
      {turns.length > 0 ? (
        <ol class="turning-points">
          {turns.map((t) => (
            <li>
              {percentThrough(t.x)}% of the way through, a {t.kind} point ({signed(t.valence)}): the mood{' '}
              {t.kind === 'high' ? 'falls' : 'rises'} after it.
            </li>
          ))}
        </ol>
      ) : null}
    </div>
  );
}
