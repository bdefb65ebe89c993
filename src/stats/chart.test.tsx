import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderToString } from 'preact-render-to-string';
import { LineChart, niceMax } from './chart.tsx';
import { dayRange } from './stats.service.ts';

describe('the stats chart', () => {
  it('rounds the axis up to 1, 2 or 5 times a power of ten', () => {
    assert.deepEqual([0, 1, 3, 7, 10, 11, 48, 120, 999].map(niceMax), [1, 1, 5, 10, 10, 20, 50, 200, 1000]);
  });

  it('is an image with a title and description, and a table with every figure', () => {
    const html = renderToString(
      <LineChart
        id="c"
        title="Hits per day"
        description="12 hits"
        labels={['2026-01-01', '2026-01-02']}
        series={[
          { name: 'Hits', values: [5, 7] },
          { name: 'Kudos <3', values: [0, 1] },
        ]}
      />,
    );
    assert.match(html, /<svg[^>]*role="img"[^>]*aria-labelledby="c-title c-desc"/);
    assert.match(html, /<title id="c-title">Hits per day<\/title><desc id="c-desc">12 hits<\/desc>/);
    assert.equal((html.match(/<polyline/g) ?? []).length, 2);
    assert.match(html, /<th scope="row">2026-01-02<\/th><td>7<\/td><td>1<\/td>/);
    assert.match(html, /Kudos &lt;3/);
  });

  it('spans the days of a period ending today, in UTC', () => {
    assert.deepEqual(dayRange(new Date('2026-03-01T23:30:00Z'), 3), ['2026-02-27', '2026-02-28', '2026-03-01']);
  });
});
