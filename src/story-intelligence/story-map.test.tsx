import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { render } from 'preact-render-to-string';
import { textFragment } from './story-intelligence.presenter.ts';
import { ArcChart, ArcLegend, CharacterGraph, describeArc, placeOnArc } from './story-map.tsx';

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

  it('draws the arc with numbered turning points and says it in words', () => {
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
    assert.match(svg, /<g class="turning-point"><title>Turning point 1, 50% of the way through: a low point \(−0\.60\)/);
    assert.match(svg, /<text[^>]*>1<\/text><\/g>/, 'the marker carries its number as visible text');
    assert.equal(
      describeArc(view),
      'The story opens positive (+0.30), is at its lowest 50% of the way through (−0.60) and at its highest at the very start (+0.30), and ends positive (+0.20). The mood turns once, at 50% of the way through.',
    );
    assert.equal(describeArc({ points: [], chapterStarts: [] }), 'The story is too short for an emotional arc.');
  });

  it('places the lowest and highest points in words, never at 0% unless at the very start', () => {
    // The founding story's shape: lowest at its first paragraph, a dip just after, highest near the end.
    const view = {
      points: [
        { x: 0, valence: -0.53, turning: false },
        { x: 0.004, valence: -0.5, turning: false },
        { x: 0.31, valence: -0.11, turning: true },
        { x: 0.5, valence: -0.3, turning: true },
        { x: 0.96, valence: 0.79, turning: false },
        { x: 1, valence: 0.7, turning: false },
      ],
      chapterStarts: [{ position: 1, x: 0 }],
    };
    const words = describeArc(view);
    assert.match(words, /is at its lowest at the very start \(−0\.53\) and at its highest near the end \(\+0\.79\)/);
    assert.match(words, /The mood turns twice, at 31% and 50% of the way through\./);
    assert.doesNotMatch(words, /\b0%/);
    assert.equal(placeOnArc(view.points, 1), 'near the start', 'a point just after the first is near the start, not at 0%');
    assert.equal(placeOnArc(view.points, 5), 'at the very end');
    assert.equal(placeOnArc(view.points, 3), '50% of the way through');
  });

  it('gives the arc a key: the line, chapter starts and each numbered turning point', () => {
    const view = {
      points: [
        { x: 0, valence: 0, turning: false },
        { x: 0.2, valence: 0.5, turning: true },
        { x: 0.7, valence: -0.4, turning: true },
        { x: 1, valence: 0.1, turning: false },
      ],
      chapterStarts: [
        { position: 1, x: 0 },
        { position: 2, x: 0.5 },
      ],
    };
    const key = render(<ArcLegend view={view} />);
    assert.match(key, /The mood of the story, from negative \(low\) to positive \(high\)/);
    assert.match(key, /Where a chapter starts/);
    assert.match(key, /A turning point, numbered in order/);
    assert.match(
      key,
      /<ol class="turning-points"><li>20% of the way through, a high point \(\+0\.50\): the mood falls after it\.<\/li><li>70% of the way through, a low point \(−0\.40\): the mood rises after it\.<\/li><\/ol>/,
    );
    assert.equal(render(<ArcLegend view={{ points: [], chapterStarts: [] }} />), '');
  });

  it('links to the first words of a passage with a text fragment', () => {
    assert.equal(textFragment('Well-known words, seven of them here now…'), '#:~:text=Well%2Dknown%20words%2C%20seven%20of%20them%20here');
    assert.equal(textFragment('  '), '');
  });
});
