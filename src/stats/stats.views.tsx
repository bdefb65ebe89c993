import { Layout, type PageContext } from '../web/layout.tsx';
import { LineChart } from './chart.tsx';
import { METRICS, PERIODS, type CreatorStats } from './stats.service.ts';

const LABEL = { hits: 'Hits', kudos: 'Kudos', comments: 'Comments', bookmarks: 'Bookmarks', subscriptions: 'Subscriptions' } as const;
const fmt = (n: number) => n.toLocaleString('en');

/** A creator's stats: totals per work, and two charts over the chosen period, with a CSV link. */
export function StatsPage(props: { ctx: PageContext; login: string; stats: CreatorStats; days: number }) {
  const { stats } = props;
  const base = `/users/${encodeURIComponent(props.login)}/stats`;
  const span = `${stats.days[0]} to ${stats.days[stats.days.length - 1]}`;
  const sum = (m: (typeof METRICS)[number]) => stats.daily.reduce((total, d) => total + d[m], 0);
  return (
    <Layout ctx={props.ctx} title="Stats">
      <h1>Stats for {props.login}</h1>
      <nav class="stats-periods" aria-label="Period">
        <ul>
          {PERIODS.map((p) => (
            <li>
              {p === props.days ? <strong aria-current="page">Last {p} days</strong> : <a href={`${base}?days=${p}`}>Last {p} days</a>}
            </li>
          ))}
        </ul>
      </nav>
      <p>
        <a class="button button-secondary" href={`${base}.csv?days=${props.days}`} download>
          Download as CSV
        </a>
      </p>
      <h2>Totals</h2>
      {stats.works.length === 0 ? (
        <p>You have not posted any works yet: stats appear once you do.</p>
      ) : (
        <table class="stats-table">
          <caption class="visually-hidden">All-time totals per work</caption>
          <thead>
            <tr>
              <th scope="col">Work</th>
              <th scope="col">Words</th>
              {METRICS.map((m) => (
                <th scope="col">{LABEL[m]}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {stats.works.map((w) => (
              <tr>
                <th scope="row">
                  <a href={`/works/${w.id}`}>{w.title}</a>
                </th>
                <td>{fmt(w.words)}</td>
                {METRICS.map((m) => (
                  <td>{fmt(w.totals[m])}</td>
                ))}
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">All works</th>
              <td>{fmt(stats.works.reduce((t, w) => t + w.words, 0))}</td>
              {METRICS.map((m) => (
                <td>{fmt(stats.totals[m])}</td>
              ))}
            </tr>
          </tfoot>
        </table>
      )}
      <h2>Over time</h2>
      <LineChart
        id="chart-hits"
        title={`Hits per day, ${span}`}
        description={`${fmt(sum('hits'))} hits in all over ${stats.days.length} days; the most in one day: ${fmt(Math.max(0, ...stats.daily.map((d) => d.hits)))}.`}
        labels={stats.days}
        series={[{ name: 'Hits', values: stats.daily.map((d) => d.hits) }]}
      />
      <LineChart
        id="chart-activity"
        title={`Kudos, comments, bookmarks and subscriptions per day, ${span}`}
        description={`Over ${stats.days.length} days: ${fmt(sum('kudos'))} kudos, ${fmt(sum('comments'))} comments, ${fmt(sum('bookmarks'))} bookmarks, ${fmt(sum('subscriptions'))} subscriptions.`}
        labels={stats.days}
        series={(['kudos', 'comments', 'bookmarks', 'subscriptions'] as const).map((m) => ({
          name: LABEL[m],
          values: stats.daily.map((d) => d[m]),
        }))}
      />
    </Layout>
  );
}
