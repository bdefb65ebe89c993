import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type EmbedData, toReaderHtml } from './reader-embeds.ts';
import { sanitizeWorkHtml } from './sanitize.ts';

const HOSTS = ['vids.example', 'archive.org'];
const reader = (html: string, hosts = HOSTS) => toReaderHtml(sanitizeWorkHtml(html, { embedHosts: HOSTS }), hosts);
const dataOf = (html: string): EmbedData[] =>
  [...html.matchAll(/data-embed="([^"]*)"/g)].map((m) =>
    JSON.parse(
      m[1]!
        .replace(/&quot;/g, '"')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&#39;/g, "'")
        .replace(/&amp;/g, '&'),
    ),
  );

describe('toReaderHtml: players become click-to-load placeholders', () => {
  test('an iframe: title, host, a link that works without JavaScript, a hidden button; no iframe', () => {
    const out = reader(
      '<p>Watch:</p><iframe src="https://www.vids.example/e/1?a=1&b=2" title="Our &quot;vid&quot;" width="560" height="315"></iframe>',
    );
    assert.doesNotMatch(out, /<iframe/);
    assert.equal(
      out,
      '<p>Watch:</p><p><span class="embed" data-embed="' +
        '{&quot;kind&quot;:&quot;frame&quot;,&quot;src&quot;:&quot;https://www.vids.example/e/1?a=1&amp;b=2&quot;,&quot;title&quot;:&quot;Our \\&quot;vid\\&quot;&quot;,&quot;width&quot;:&quot;560&quot;,&quot;height&quot;:&quot;315&quot;}' +
        '"><span class="embed-title">Our &quot;vid&quot;</span> <span class="embed-host">Player from www.vids.example, not loaded until you play it.</span> ' +
        '<a class="embed-link" href="https://www.vids.example/e/1?a=1&amp;b=2" rel="nofollow noopener">Open it on www.vids.example</a> ' +
        '<button type="button" class="embed-play" hidden>Play here</button></span></p>',
    );
    assert.deepEqual(dataOf(out), [
      { kind: 'frame', src: 'https://www.vids.example/e/1?a=1&b=2', title: 'Our "vid"', width: '560', height: '315' },
    ]);
  });

  test('a video: its sources, tracks and poster go into the description, not the page; fallback text goes', () => {
    const out = reader(
      '<video poster="https://archive.org/p.jpg" width="640"><source src="https://archive.org/v.webm" type="video/webm"><track src="https://archive.org/c.vtt" kind="captions" srclang="en" label="English" default>Fallback</video>',
    );
    assert.doesNotMatch(out, /<video|<source|<track|Fallback|<img/);
    assert.match(out, /<span class="embed-title">Video from archive\.org<\/span>/);
    assert.match(out, /href="https:\/\/archive\.org\/v\.webm"/);
    assert.deepEqual(dataOf(out), [
      {
        kind: 'video',
        width: '640',
        poster: 'https://archive.org/p.jpg',
        sources: [{ src: 'https://archive.org/v.webm', type: 'video/webm' }],
        tracks: [{ src: 'https://archive.org/c.vtt', kind: 'captions', label: 'English', srclang: 'en', default: true }],
      },
    ]);
  });

  test('audio and embed', () => {
    const out = reader('<audio src="https://archive.org/a.mp3" loop title="Chapter 1">x</audio><embed src="https://vids.example/p.swf">');
    assert.deepEqual(dataOf(out), [
      { kind: 'audio', src: 'https://archive.org/a.mp3', title: 'Chapter 1', loop: true },
      { kind: 'frame', src: 'https://vids.example/p.swf' },
    ]);
    assert.match(out, /Audio from archive\.org/);
  });

  test('a player whose host left the list keeps its link, and no button', () => {
    const out = reader('<iframe src="https://vids.example/e/1"></iframe>', ['archive.org']);
    assert.match(out, /class="embed-link" href="https:\/\/vids\.example\/e\/1"/);
    assert.doesNotMatch(out, /embed-play/);
  });

  test('HTML without players is returned as it is', () => {
    const html = sanitizeWorkHtml('<p>Text with <a href="https://vids.example/">a link</a>.</p>');
    assert.equal(toReaderHtml(html, HOSTS), html);
  });

  test('paragraph numbering is unchanged: a placeholder stays inside its paragraph', () => {
    const out = reader('one\n\n<iframe src="https://vids.example/e/1"></iframe>\n\nthree');
    assert.equal((out.match(/<p>/g) ?? []).length, 3);
    assert.doesNotMatch(out, /<(?:div|figure)/);
  });
});
