import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sanitizeWorkHtml, toChapterHtml, toFieldHtml } from './index.ts';

// The policy, stated again independently of sanitize.ts: every tag and attribute in the output
// must be one of these, so a vector that slips through in any form fails here. Fields (comments,
// summaries, notes) have neither players nor classes.
const GLOBAL_ATTRS = ['title', 'lang', 'dir', 'align'];
const CELL_ATTRS = ['colspan', 'rowspan', 'abbr', 'axis', 'width', 'height'];
const ATTRS: Record<string, string[]> = {
  a: ['href', 'name', 'id', 'rel'],
  img: ['src', 'alt', 'width', 'height', 'border'],
  p: ['style'],
  div: ['style'],
  span: ['style'],
  blockquote: ['cite'],
  q: ['cite'],
  ol: ['start', 'reversed', 'type'],
  ul: ['type'],
  li: ['value'],
  table: ['summary', 'width', 'border'],
  hr: ['width'],
  col: ['span', 'width'],
  colgroup: ['span', 'width'],
  th: [...CELL_ATTRS, 'scope'],
  td: CELL_ATTRS,
  details: ['open'],
};
const PLAYER_ATTRS: Record<string, string[]> = {
  iframe: ['src', 'width', 'height', 'frameborder', 'allowfullscreen'],
  embed: ['src', 'type', 'width', 'height'],
  audio: ['src', 'controls', 'loop', 'muted', 'preload'],
  video: ['src', 'controls', 'loop', 'muted', 'preload', 'poster', 'width', 'height', 'playsinline'],
  source: ['src', 'type'],
  track: ['src', 'kind', 'label', 'srclang', 'default'],
};
/** Hosts a player may come from in these tests (the default list's, checked independently). */
const PLAYER_HOST =
  /^https:\/\/(?:www\.)?(?:youtube\.com|player\.vimeo\.com|archive\.org|soundcloud\.com|w\.soundcloud\.com|vimeo\.com|youtube-nocookie\.com|archiveofourown\.org|criticalcommons\.org|8tracks\.com|podfic\.com|open\.spotify\.com|vidders\.net|viddertube\.com|player\.bilibili\.com)\//;
const TAGS = new Set([
  ...Object.keys(ATTRS),
  'br',
  'address',
  'center',
  'pre',
  'figure',
  'figcaption',
  'em',
  'i',
  'strong',
  'b',
  'u',
  's',
  'strike',
  'del',
  'ins',
  'sup',
  'sub',
  'small',
  'big',
  'abbr',
  'acronym',
  'cite',
  'code',
  'dfn',
  'kbd',
  'samp',
  'tt',
  'var',
  'dl',
  'dt',
  'dd',
  'caption',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'ruby',
  'rb',
  'rt',
  'rp',
  'summary',
]);

function decode(value: string): string {
  return value
    .replace(/&#x([0-9a-f]+);?/gi, (_, h: string) => String.fromCodePoint(Number.parseInt(h, 16)))
    .replace(/&#(\d+);?/g, (_, d: string) => String.fromCodePoint(Number.parseInt(d, 10)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Scheme as a browser reads it: tabs/newlines removed anywhere, controls and spaces trimmed. */
function scheme(url: string): string {
  const cleaned = url
    .replace(/[\t\n\r]/g, '')
    .replace(/^[\u0000-\u0020]+/, '')
    .toLowerCase();
  return /^([a-z][a-z0-9+.-]*):/.exec(cleaned)?.[1] ?? '';
}

/** Fails unless every piece of markup in `html` is allowed and nothing in it can run. */
function assertInert(html: string, input: string, profile: 'work' | 'field' = 'work'): void {
  const work = profile === 'work';
  const where = `\ninput:  ${input}\noutput: ${html}`;
  const TAG = /<(\/?)([a-z][a-z0-9]*)((?:\s+[a-z][a-z0-9-]*(?:="[^"<>]*")?)*)\s*(\/?)>/y;
  for (let i = html.indexOf('<'); i !== -1; i = html.indexOf('<', i + 1)) {
    TAG.lastIndex = i;
    const m = TAG.exec(html);
    assert.ok(m, `a "<" that does not open an allowed, well-formed tag${where}`);
    const [, , name, attrs] = m as RegExpExecArray & [string, string, string, string];
    const player = work && name in PLAYER_ATTRS;
    assert.ok(TAGS.has(name) || player, `tag <${name}> is not on the allowlist${where}`);
    for (const a of attrs.matchAll(/([a-z][a-z0-9-]*)(?:="([^"]*)")?/g)) {
      const attr = a[1]!;
      const value = decode(a[2] ?? '');
      const allowed =
        GLOBAL_ATTRS.includes(attr) || (work && attr === 'class') || ((player ? PLAYER_ATTRS : ATTRS)[name] ?? []).includes(attr);
      assert.ok(allowed, `attribute ${attr} on <${name}> is not allowed${where}`);
      if (attr === 'href' || attr === 'cite') {
        assert.ok(['', 'http', 'https', 'mailto'].includes(scheme(value)), `unsafe URL ${value}${where}`);
      }
      if (attr === 'src' && !player) assert.ok(['', 'http', 'https'].includes(scheme(value)), `unsafe src ${value}${where}`);
      if ((attr === 'src' || attr === 'poster') && player) assert.match(value, PLAYER_HOST, `player from elsewhere: ${value}${where}`);
      if (attr === 'class') assert.match(value, /^[A-Za-z][\w-]*(?: [A-Za-z][\w-]*)*$/, `class kept: ${value}${where}`);
      if (attr === 'style') assert.match(value, /^text-align:\s*(left|right|center|justify);?$/i, `style kept: ${value}${where}`);
    }
  }
  // Text is escaped: a ">" outside a tag would mean the tokenizing above was fooled.
  assert.ok(!/>[^<]*>/.test(html), `a stray ">" in text${where}`);
  assert.ok(!/<(script|style|object|svg|math|form|link|meta|base|template)\b/i.test(html), `dangerous element${where}`);
}

const VECTORS: string[] = [
  // script elements, plain and disguised
  '<script>alert(1)</script>',
  '<SCRIPT SRC=//evil.example/x.js></SCRIPT>',
  '<scr<script>ipt>alert(1)</script>',
  '<script>alert(1)',
  '<<script>alert(1)//<</script>',
  '<script\x20type="text/javascript">alert(1);</script>',
  '<template><script>alert(1)</script></template>',
  // event handlers
  '<img src=x onerror=alert(1)>',
  '<img src="https://ok.example/a.png" alt="x" onerror="alert(1)"//>',
  '<body onload=alert(1)>text',
  '<p onclick="alert(1)" onmouseover=alert(1)>hover</p>',
  '<details open ontoggle=alert(1)><summary>s</summary>x</details>',
  '<a href="https://ok.example" onfocus="alert(1)" autofocus>x</a>',
  '<x onclick=alert(1)>unknown tag</x>',
  '<input autofocus onfocus=alert(1)>',
  '<video><source onerror=alert(1)></video>',
  '<isindex type=image src=1 onerror=alert(1)>',
  // javascript: in href/src, with case, entity and whitespace tricks
  '<a href="javascript:alert(1)">x</a>',
  '<a href="JaVaScRiPt:alert(1)">x</a>',
  '<a href="jav&#x09;ascript:alert(1)">x</a>',
  '<a href="jav&#x0A;ascript:alert(1)">x</a>',
  '<a href="jav&#13;ascript:alert(1)">x</a>',
  '<a href="jav\tascript:alert(1)">x</a>',
  '<a href=" \n javascript:alert(1)">x</a>',
  '<a href="&#14;javascript:alert(1)">x</a>',
  '<a href="java\u0000script:alert(1)">x</a>',
  '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
  '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)">x</a>',
  '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)">x</a>',
  '<a href="javascript&colon;alert(1)">x</a>',
  '<a href="javascript&#58;alert(1)">x</a>',
  '<a href="javas&Tab;cript:alert(1)">x</a>',
  '<a href=javascript:alert(1)>x</a>',
  '<a href=`javascript:alert(1)`>x</a>',
  '<IMG SRC=JaVaScRiPt:alert(1)>',
  '<img src="javascript:alert(1)">',
  '<img src=" javascript:alert(1)">',
  '<img src="https://ok.example/a.png" srcset="javascript:alert(1) 1x">',
  '<blockquote cite="javascript:alert(1)">q</blockquote>',
  '<a href="https://ok.example" xlink:href="javascript:alert(1)">x</a>',
  // other dangerous schemes
  '<a href="vbscript:msgbox(1)">x</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
  '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
  '<a href="livescript:alert(1)">x</a>',
  // svg and math
  '<svg onload=alert(1)>',
  '<svg><script>alert(1)</script></svg>',
  '<svg><a xlink:href="javascript:alert(1)"><text x="0" y="20">x</text></a></svg>',
  '<svg><animate onbegin=alert(1) attributeName=x dur=1s>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<math href="javascript:alert(1)">x</math>',
  // style
  '<p style="width: expression(alert(1))">x</p>',
  '<div style="background:url(javascript:alert(1))">x</div>',
  '<p style="text-align: center; behavior: url(x.htc); -moz-binding: url(x.xml#xss)">x</p>',
  '<p style="text-align: expression(alert(1))">x</p>',
  '<span style="text-align:center&#59;position:fixed;top:0">x</span>',
  '<style>@import "javascript:alert(1)";</style>text',
  '<style>*{x:expression(alert(1))}</style>',
  '<link rel="stylesheet" href="javascript:alert(1)">',
  // embedding, forms, document-level elements
  '<iframe src="javascript:alert(1)"></iframe>',
  '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
  '<object data="javascript:alert(1)"></object>',
  '<embed src="javascript:alert(1)">',
  '<form action="javascript:alert(1)"><button>go</button></form>',
  '<button formaction="javascript:alert(1)">go</button>',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<base href="javascript:alert(1)//">',
  '<frameset onload=alert(1)>',
  // unclosed and malformed tags
  '<img src=x onerror=alert(1)',
  '<a href="javascript:alert(1)"',
  '<a href="javascript:alert(1)">never closed',
  '<p <img src=x onerror=alert(1)>>',
  '<img """><script>alert(1)</script>">',
  '<img/src=x/onerror=alert(1)>',
  '<a/href="javascript:alert(1)">x</a>',
  // comments and CDATA
  '<!-- <script>alert(1)</script> -->',
  '<!--<img src=x onerror=alert(1)>-->',
  '<!--[if IE]><script>alert(1)</script><![endif]-->',
  '<!-- --!><img src=x onerror=alert(1)> -->',
  '<!--><img src=x onerror=alert(1)>-->',
  '<![CDATA[<script>alert(1)</script>]]>',
  '<![CDATA[><img src=x onerror=alert(1)>]]>',
  // quotes inside attributes
  '<a title="x" href=\'javascript:alert(1)\'>x</a>',
  '<img alt="&quot;onerror=alert(1)//" src="https://ok.example/a.png">',
  "<a title='\"><script>alert(1)</script>'>x</a>",
  '<a title="\'><img src=x onerror=alert(1)>">x</a>',
  '<img alt="`onerror=alert(1)" src="https://ok.example/a.png">',
  // raw-text elements where parsers disagree (mutation XSS)
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
  '<textarea><img src=x onerror=alert(1)></textarea>',
  '<title><img src=x onerror=alert(1)></title>',
  '<xmp><img src=x onerror=alert(1)></xmp>',
  '<select><option><img src=x onerror=alert(1)></option></select>',
  '<option>&lt;script&gt;alert(1)&lt;/script&gt;</option>',
  // encoded markup must stay text
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '&#60;img src=x onerror=alert(1)&#62;',
  // anchors that could clobber DOM globals or carry code
  '<a id="x" name="alert(1)">x</a>',
  '<a id="&quot;onclick=alert(1)">x</a>',
  // classes reaching the site stylesheet (work text keeps them for work skins, fields do not)
  '<p class="admin-notice">Your account is suspended</p>',
  '<p class="a&quot; onclick=&quot;alert(1)">x</p>',
  // players: only https, only from the embed hosts, no handlers, no inline documents
  '<iframe src="https://evil.example/x"></iframe>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<iframe src="data:text/html,<script>alert(1)</script>"></iframe>',
  '<iframe src="https://www.youtube.com/embed/x" onload="alert(1)" srcdoc="<script>alert(1)</script>" sandbox=""></iframe>',
  '<iframe src="//www.youtube.com.evil.example/embed/x"></iframe>',
  '<iframe src="https://www.youtube.com@evil.example/embed/x"></iframe>',
  '<iframe src="https://evil.example/?https://www.youtube.com/embed/x"></iframe>',
  '<iframe src="https://www.youtube.com\\@evil.example/"></iframe>',
  '<iframe src="https://www.youtube.com:8443/embed/x"></iframe>',
  '<iframe src="https://www.youtube.com/embed/x"><script>alert(1)</script><img src=x onerror=alert(1)></iframe>',
  '<embed src="https://evil.example/x.swf" allowscriptaccess="always">',
  '<object data="https://www.youtube.com/v/x"><embed src="https://evil.example/x"></object>',
  '<video src="https://evil.example/v.mp4" poster="javascript:alert(1)" onplay="alert(1)"></video>',
  '<video src="https://archive.org/v.mp4" poster="https://evil.example/p.png" autoplay></video>',
  '<audio><source src="data:audio/mpeg;base64,AAAA"></audio>',
  '<video><track src="javascript:alert(1)"></video>',
  '<audio src="jav&#x09;ascript:alert(1)"></audio>',
];

describe('sanitizeWorkHtml: XSS vectors', () => {
  test(`there are at least 25 vectors (${VECTORS.length})`, () => {
    assert.ok(VECTORS.length >= 25);
  });

  for (const vector of VECTORS) {
    test(vector, () => {
      assertInert(sanitizeWorkHtml(vector), vector);
      assertInert(toFieldHtml(vector), vector, 'field');
      assertInert(toChapterHtml(vector, 'markdown'), vector);
      // A second pass changes nothing: the output is a fixed point of the policy.
      const once = sanitizeWorkHtml(vector);
      assert.equal(sanitizeWorkHtml(once), once);
    });
  }

  test('the checker itself catches what it should', () => {
    assert.throws(() => assertInert('<img src="javascript:alert(1)" />', 'self-test'));
    assert.throws(() => assertInert('<a href="jav&#x09;ascript:x">x</a>', 'self-test'));
    assert.throws(() => assertInert('<p onclick="x">x</p>', 'self-test'));
    assert.throws(() => assertInert('<p style="color:red">x</p>', 'self-test'));
    assert.throws(() => assertInert('<script>x</script>', 'self-test'));
    assert.throws(() => assertInert('a < b', 'self-test'));
    assert.throws(() => assertInert('<iframe src="https://evil.example/"></iframe>', 'self-test'));
    assert.throws(() => assertInert('<p class="x">x</p>', 'self-test', 'field'));
    assert.throws(() => assertInert('<audio src="https://archive.org/a.mp3"></audio>', 'self-test', 'field'));
  });
});

describe('sanitizeWorkHtml: dangerous content is gone, not just its tags', () => {
  const gone: Array<[string, string]> = [
    ['<script>alert(1)</script>after', '<p>after</p>'],
    ['<style>p{color:red}</style>after', '<p>after</p>'],
    ['<iframe src="https://x.example">fallback</iframe>after', '<p>after</p>'],
    ['<object data="x.swf">fallback</object>after', '<p>after</p>'],
    ['<svg><text>drawn</text></svg>after', '<p>after</p>'],
    ['<math><mi>x</mi></math>after', '<p>after</p>'],
    ['<form><input value="v"><button>Send</button>label</form>after', '<p>after</p>'],
    ['<noscript>enable js</noscript>after', '<p>after</p>'],
  ];
  for (const [input, expected] of gone) {
    test(input, () => assert.equal(sanitizeWorkHtml(input), expected));
  }

  test('vectors that should leave harmless text keep it', () => {
    assert.equal(sanitizeWorkHtml('<a href="javascript:alert(1)">click</a>'), '<p>click</p>');
    // A relative picture is the archive's own (AO3 keeps them); the handler goes.
    assert.equal(sanitizeWorkHtml('<img src=x onerror=alert(1)>'), '<p><img src="x" alt="" /></p>');
    assert.equal(sanitizeWorkHtml('&lt;script&gt;'), '<p>&lt;script&gt;</p>');
    assert.equal(sanitizeWorkHtml('<p class="admin-notice">Hi</p>'), '<p class="admin-notice">Hi</p>');
    assert.equal(toFieldHtml('<p class="admin-notice">Hi</p>'), '<p>Hi</p>');
  });
});
