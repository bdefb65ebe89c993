/** One line of a chart: its name (in the legend and the table) and a value per label. */
export interface ChartSeries {
  name: string;
  values: readonly number[];
}

const WIDTH = 640;
const HEIGHT = 260;
const PAD = { left: 52, right: 16, top: 16, bottom: 56 };
// Colours told apart by people with the common colour-vision deficiencies (Okabe–Ito), and
// a dash pattern each, so the lines differ without colour too.
const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00'];
const DASHES = ['', '6 3', '2 3', '8 3 2 3', '1 2'];

/** A round number at or above `max`, so the axis labels read well (1, 2, 5 × 10^n). */
export function niceMax(max: number): number {
  if (max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) if (step * power >= max) return step * power;
  return 10 * power;
}

const fmt = (n: number) => n.toLocaleString('en');

/**
 * A line chart drawn as SVG on the server: role="img" with a title and a description for
 * screen readers, and the same figures in a table below it for anyone who cannot see it.
 */
export function LineChart(props: {
  id: string;
  title: string;
  description: string;
  labels: readonly string[];
  series: readonly ChartSeries[];
}) {
  const { labels, series } = props;
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.values)));
  const x = (i: number) => PAD.left + (labels.length <= 1 ? plotW / 2 : (i * plotW) / (labels.length - 1));
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  const ticks = [...new Set([0, 0.25, 0.5, 0.75, 1].map((f) => Math.round(max * f)))];
  const labelAt = [...new Set([0, Math.floor((labels.length - 1) / 2), labels.length - 1])].filter((i) => i >= 0);
  return (
    <figure class="chart">
      <svg
        class="chart-svg"
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        width="100%"
        role="img"
        aria-labelledby={`${props.id}-title ${props.id}-desc`}
        xmlns="http://www.w3.org/2000/svg"
      >
        <title id={`${props.id}-title`}>{props.title}</title>
        <desc id={`${props.id}-desc`}>{props.description}</desc>
        {ticks.map((t) => (
          <g>
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(t)} y2={y(t)} stroke="#d0d0d0" stroke-width="1" />
            <text x={PAD.left - 6} y={y(t) + 4} text-anchor="end" font-size="11" fill="#333">
              {fmt(t)}
            </text>
          </g>
        ))}
        {labelAt.map((i) => (
          <text
            x={x(i)}
            y={HEIGHT - PAD.bottom + 16}
            text-anchor={i === 0 ? 'start' : i === labels.length - 1 ? 'end' : 'middle'}
            font-size="11"
            fill="#333"
          >
            {labels[i]}
          </text>
        ))}
        {series.map((s, si) => {
          const points = s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
          const colour = COLOURS[si % COLOURS.length]!;
          return (
            <g>
              <polyline
                points={points}
                fill="none"
                stroke={colour}
                stroke-width="2"
                stroke-dasharray={DASHES[si % DASHES.length] || undefined}
              />
              {labels.length <= 31
                ? s.values.map((v, i) => <circle cx={x(i).toFixed(1)} cy={y(v).toFixed(1)} r="2.5" fill={colour} />)
                : null}
            </g>
          );
        })}
        {series.map((s, si) => (
          <g>
            <line
              x1={PAD.left + si * 118}
              x2={PAD.left + si * 118 + 22}
              y1={HEIGHT - 14}
              y2={HEIGHT - 14}
              stroke={COLOURS[si % COLOURS.length]}
              stroke-width="2"
              stroke-dasharray={DASHES[si % DASHES.length] || undefined}
            />
            <text x={PAD.left + si * 118 + 28} y={HEIGHT - 10} font-size="12" fill="#222">
              {s.name}
            </text>
          </g>
        ))}
      </svg>
      <details class="chart-data">
        <summary>{props.title}: the figures as a table</summary>
        <table>
          <caption class="visually-hidden">{props.title}</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              {series.map((s) => (
                <th scope="col">{s.name}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {labels.map((label, i) => (
              <tr>
                <th scope="row">{label}</th>
                {series.map((s) => (
                  <td>{fmt(s.values[i] ?? 0)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
