import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFoundingStory } from '../../../test/factories.ts';
import { buildFormat, contentDisposition, hasCalibre } from '../downloads.formats.ts';
import { escapingBook, everyElementBook, foundingBook } from '../test-books.ts';
import { pdfToText, tempFile } from '../test-tools.ts';
import { buildHtml } from './html.ts';
import { buildText } from './text.ts';

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

describe('download formats', () => {
  it('writes a PDF that pdftotext opens, holding every paragraph of the founding story and page numbers', async () => {
    const pdf = await buildFormat(foundingBook(), 'pdf');
    assert.equal(Buffer.from(pdf.subarray(0, 5)).toString('latin1'), '%PDF-');
    const raw = pdfToText(tempFile('founding.pdf', pdf));
    // Page numbers are lines of their own at the foot of each page after the title page.
    assert.match(raw, /\n2\n+\f/);
    const text = squash(raw.replace(/^\d+$/gm, ''));
    assert.match(text, /^Founding Story by author/);
    assert.match(text, /Rating: Mature/);
    for (const line of readFoundingStory()
      .split(/\r?\n/)
      .filter((l) => l.trim() !== '')) {
      assert.ok(text.includes(squash(line)), `missing from the PDF: ${line.slice(0, 80)}`);
    }
  });

  it('sets unicode titles and tags in the PDF with an embedded font', async () => {
    const text = squash(pdfToText(tempFile('escaping.pdf', await buildFormat(escapingBook(), 'pdf'))));
    assert.match(text, /Tom & Jerry's <Great> "Escape" — café/);
    assert.match(text, /Ça <marche>/);
    assert.match(text, /emoji/);
  });

  it('writes one self-contained HTML file and plain text with the whole work', () => {
    const html = buildHtml(foundingBook());
    assert.match(html, /^<!DOCTYPE html>/);
    assert.doesNotMatch(html, /<script|<link /);
    assert.match(html, /<p>Caroline rushed to her mothers bedside/);
    const every = buildHtml(everyElementBook());
    assert.match(every, /<table/);
    // Players become links in the HTML download too.
    assert.doesNotMatch(every, /<(iframe|embed|audio|video)\b/);
    assert.match(every, /<a href="https:\/\/www\.youtube\.com\/embed\/abc">\[Player: Storm vid \(www\.youtube\.com\)\]<\/a>/);
    const text = buildText(foundingBook());
    assert.match(text, /^Founding Story\nby author\n/);
    assert.match(text, /Relationships: Caroline Forbes\/Stefan Salvatore/);
    for (const line of readFoundingStory()
      .split(/\r?\n/)
      .filter((l) => l.trim() !== '')
      .slice(0, 10))
      assert.ok(text.includes(line.trim()));
    assert.doesNotMatch(buildText(escapingBook()), /&amp;|&lt;/);
  });

  it('names files in ASCII with the real title in filename*', () => {
    assert.equal(
      contentDisposition(`Tom & Jerry's "Escape" — café`, 3, 'epub'),
      `attachment; filename="Tom_Jerry_s_Escape_cafe.epub"; filename*=UTF-8''Tom%20%26%20Jerry%27s%20%20Escape%20%E2%80%94%20caf%C3%A9.epub`.replace(
        '%20%20',
        '%20',
      ),
    );
    assert.equal(contentDisposition('日本語', 9, 'pdf').split(';')[1], ' filename="work_9.pdf"');
  });

  it('converts to AZW3 and MOBI with Calibre where it is installed', { timeout: 300_000 }, async () => {
    if (!hasCalibre()) {
      await assert.rejects(buildFormat(foundingBook(), 'azw3'), /Calibre/);
      return;
    }
    const azw3 = await buildFormat(foundingBook(), 'azw3');
    const mobi = await buildFormat(foundingBook(), 'mobi');
    assert.ok(azw3.length > 1000 && mobi.length > 1000);
    assert.equal(Buffer.from(mobi.subarray(60, 68)).toString('latin1'), 'BOOKMOBI');
    assert.equal(Buffer.from(azw3.subarray(60, 68)).toString('latin1'), 'BOOKMOBI');
  });

  it('shows a link in place of each player in the PDF, labelled with its kind, title and host', async () => {
    const text = squash(pdfToText(tempFile('every.pdf', await buildFormat(everyElementBook(), 'pdf'))));
    assert.match(text, /The vid: \[Player: Storm vid \(www\.youtube\.com\)\]/);
    assert.match(text, /\[Audio: Chapter 1 podfic \(archive\.org\)\]/);
    assert.match(text, /\[Video \(archive\.org\)\]/);
    assert.match(text, /Art by a friend/);
  });
});
