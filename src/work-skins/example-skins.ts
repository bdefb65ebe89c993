// The work skins Fanfold ships for creators to start from. Each one is what a creator would
// write themselves: it goes through the same cleaner, and its test proves nothing is dropped.
// Colours keep text at WCAG AA contrast on both bubbles and paper.

export interface ExampleSkin {
  key: 'texting' | 'letter';
  title: string;
  description: string;
  css: string;
  /** HTML a creator pastes into a chapter (HTML format) to use the skin's classes. */
  html: string;
}

const TEXTING_CSS = `/* Texting: messages as phone bubbles. */
.phone {
  max-width: 30em;
  margin: 1.5em auto;
  padding: 0.75em;
  border: 1px solid #c8c8cc;
  border-radius: 1em;
  background-color: #fafafa;
}

.phone p {
  margin: 0.25em 0;
}

.sent,
.received {
  max-width: 75%;
  padding: 0.4em 0.8em;
  border-radius: 1.1em;
  line-height: 1.4;
  clear: both;
}

.sent {
  float: right;
  margin: 0.2em 0 0.2em 25%;
  background-color: #0a58ca;
  color: #ffffff;
}

.received {
  float: left;
  margin: 0.2em 25% 0.2em 0;
  background-color: #e5e5ea;
  color: #111111;
}

.sender {
  display: block;
  clear: both;
  padding-top: 0.5em;
  font-size: 0.8em;
  font-weight: bold;
  color: #4a4a4f;
}

.time {
  display: block;
  clear: both;
  padding: 0.5em 0 0.25em;
  text-align: center;
  font-size: 0.75em;
  color: #4a4a4f;
}

.phone::after {
  content: "";
  display: block;
  clear: both;
}
`;

const TEXTING_HTML = `<div class="phone">
<p class="time">Tuesday 11:42 PM</p>
<p class="sender">Jo</p>
<p class="received">are you awake</p>
<p class="sent">unfortunately</p>
<p class="received">good. I need to tell you something</p>
</div>`;

const LETTER_CSS = `/* Letter: a handwritten page set apart from the story. */
.letter {
  max-width: 34em;
  margin: 2em auto;
  padding: 1.5em 2em;
  border: 1px solid #d9cfb8;
  border-radius: 2px;
  background-color: #fdf8ec;
  box-shadow: 0 2px 6px rgba(0, 0, 0, 0.15);
  color: #2b2118;
  font-family: "Palatino Linotype", Palatino, "Book Antiqua", Georgia, serif;
  font-style: italic;
  line-height: 1.6;
}

.letter p {
  margin: 0 0 0.8em;
}

.letter-date {
  text-align: right;
}

.salutation {
  font-weight: bold;
}

.signature {
  margin-top: 1.5em;
  text-align: right;
}

@media (max-width: 30em) {
  .letter {
    padding: 1em;
  }
}
`;

const LETTER_HTML = `<div class="letter">
<p class="letter-date">14th of March</p>
<p class="salutation">Dear Anne,</p>
<p>I have started this letter four times.</p>
<p class="signature">Yours, always,<br>M.</p>
</div>`;

export const EXAMPLE_SKINS: readonly ExampleSkin[] = [
  {
    key: 'texting',
    title: 'Texting',
    description: 'Text messages as phone bubbles: sent on the right, received on the left, with names and times.',
    css: TEXTING_CSS,
    html: TEXTING_HTML,
  },
  {
    key: 'letter',
    title: 'Letter',
    description: 'A letter on paper, set apart from the story, with its date, greeting and signature.',
    css: LETTER_CSS,
    html: LETTER_HTML,
  },
];

/** The example skin with this key, if any. */
export function findExampleSkin(key: string): ExampleSkin | undefined {
  return EXAMPLE_SKINS.find((s) => s.key === key);
}

/** The example a creator's CSS started from (its first line kept), to show that example's HTML beside the form. */
export function findExampleSkinIn(css: string): ExampleSkin | undefined {
  return EXAMPLE_SKINS.find((s) => css.includes(s.css.slice(0, s.css.indexOf('\n'))));
}
