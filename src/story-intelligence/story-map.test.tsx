import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { render } from 'preact-render-to-string';
import { textFragment } from './story-intelligence.presenter.ts';
import { ArcChart, CharacterGraph, describeArc } from './story-map.tsx';

describe('story map SVG', () => {
  it('draws the graph accessibly and escapes every name', () => {
    const evil = '<b onclick="x()">Bad & Co</b>';
    const svg = render(
      <CharacterGraph
        id="g"
        title={`Characters of ${evil}`}
        view={{
          nodes: [
            { name: evil, mentions: 9 },
            { name: 'Ann', mentions: 3 },
            { name: 'Cy', mentions: 1 },
          ],
          edges: [
            { a: evil, b: 'Ann', strength: 0.8, kind: 'romantic', lines: 4 },
            { a: 'Ann', b: 'Cy', strength: 0, kind: 'dialogue', lines: 2 },
          ],
        }}
      />,
    );
    assert.match(svg, /^<svg class="story-graph"[^>]*role="img"[^>]*aria-labelledby="g-title g-desc"/);
    assert.match(
      svg,
      /<title id="g-title">Characters of &lt;b onclick=&quot;x\(\)&quot;>Bad &amp; Co&lt;\/b><\/title>|<title id="g-title">Characters of &lt;b onclick="x\(\)"&gt;Bad &amp; Co&lt;\/b&gt;<\/title>/,
    );
    assert.doesNotMatch(svg, /<b onclick/);
    assert.match(svg, /<desc id="g-desc">[^<]*Ann and Cy: dialogue, 2 lines of dialogue/);
    assert.equal((svg.match(/<circle/g) ?? []).length, 3);
    assert.equal((svg.match(/<line/g) ?? []).length, 2);
    assert.match(svg, /stroke-dasharray="4 4"/, 'a pair that only talks is dashed');
    // Nodes are sized by mentions.
    const radii = [...svg.matchAll(/<circle[^>]*r="([\d.]+)"/g)].map((m) => Number(m[1]));
    assert.ok(radii[0]! > radii[1]! && radii[1]! > radii[2]!, String(radii));
  });

  it('draws the arc with turning points and says it in words', () => {
    const view = {
      points: [
        { x: 0, valence: 0.3, turning: false },
        { x: 0.5, valence: -0.6, turning: true },
        { x: 1, valence: 0.2, turning: false },
      ],
      chapterStarts: [{ position: 1, x: 0 }],
    };
    const svg = render(<ArcChart id="a" title="Arc" view={view} />);
    assert.match(svg, /role="img"/);
    assert.match(svg, /<polyline points="[\d., ]+"/);
    assert.equal((svg.match(/class="turning-point"/g) ?? []).length, 1);
    assert.equal(
      describeArc(view),
      'The story opens positive (+0.30), is at its lowest 50% of the way through (−0.60) and at its highest at 0% (+0.30), and ends positive (+0.20). The mood turns at 50%.',
    );
    assert.equal(describeArc({ points: [], chapterStarts: [] }), 'The story is too short for an emotional arc.');
  });

  it('links to the first words of a passage with a text fragment', () => {
    assert.equal(textFragment('Well-known words, seven of them here now…'), '#:~:text=Well%2Dknown%20words%2C%20seven%20of%20them%20here');
    assert.equal(textFragment('  '), '');
  });
});
