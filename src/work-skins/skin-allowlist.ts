// What a work skin may say, written for Fanfold after AO3's own rules for work skins: the
// otwarchive config (SUPPORTED_CSS_SHORTHAND_PROPERTIES, SUPPORTED_CSS_PROPERTIES,
// SUPPORTED_CSS_KEYWORDS) and its help page "Creating skins" (public/help/skins-creating.html):
// keyword values, numbers with units, hex/rgb/rgba colours, scale() for transforms, strings for
// font names, no @font-face, no custom properties or var() in work skins, comments stripped.
// Where Fanfold is stricter than AO3, and why:
// - no url() at all (AO3 allows external jpg/png/gif): a skin must not make readers' browsers
//   fetch anything from elsewhere (tracking pixels), and the image policy lives in the sanitizer;
// - no `position: fixed`: a fixed box could cover the page outside the work (fake notices);
// - AO3's obsolete or dangerous entries are left out (behavior, binding: IE/XBL code hooks;
//   aural properties browsers ignore; -replace, -use-link-source...);
// - only @media among at-rules (no @import, @font-face, @keyframes, @supports, @page).

/** Families allowed with every variant: `border` lets border-left-color and border-top-left-radius through. */
export const PROPERTY_FAMILIES: readonly string[] = [
  'background',
  'border',
  'column',
  'flex',
  'font',
  'list-style',
  'margin',
  'outline',
  'overflow',
  'padding',
  'page-break',
  'text',
  'transform',
  'transition',
];

/** Single properties allowed as written. */
export const PROPERTIES: ReadonlySet<string> = new Set([
  'align-content',
  'align-items',
  'align-self',
  'bottom',
  'box-shadow',
  'box-sizing',
  'caption-side',
  'clear',
  'clip',
  'color',
  'columns',
  'content',
  'counter-increment',
  'counter-reset',
  'direction',
  'display',
  'empty-cells',
  'float',
  'gap',
  'height',
  'hyphens',
  'justify-content',
  'left',
  'letter-spacing',
  'line-break',
  'line-height',
  'max-height',
  'max-width',
  'min-height',
  'min-width',
  'opacity',
  'order',
  'orphans',
  'position',
  'quotes',
  'right',
  'row-gap',
  'table-layout',
  'top',
  'unicode-bidi',
  'vertical-align',
  'visibility',
  'white-space',
  'widows',
  'width',
  'word-break',
  'word-spacing',
  'word-wrap',
  'writing-mode',
  'z-index',
]);

/** Browser prefixes a property may carry (AO3 lets `-moz-border-radius` through with `border`). */
export const VENDOR_PREFIX = /^-(?:webkit|moz|ms|o)-/;

/** Properties that take quoted strings (font names, generated content, quotation marks). */
export const STRING_PROPERTIES: ReadonlySet<string> = new Set(['font-family', 'content', 'quotes', 'font-feature-settings']);

/** Units AO3 lists (cm em ex in mm pc pt px %), plus the relative ones browsers have since added and angle/time units for transforms and transitions. */
export const UNITS: ReadonlySet<string> = new Set([
  'cm',
  'em',
  'ex',
  'in',
  'mm',
  'pc',
  'pt',
  'px',
  'rem',
  'ch',
  'vw',
  'vh',
  'vmin',
  'vmax',
  'deg',
  'turn',
  'rad',
  's',
  'ms',
  'fr',
]);

/** Functions a value may use: colours, transforms, gradients and timing curves; never url(), var(), attr(), expression(). */
export const FUNCTIONS: ReadonlySet<string> = new Set([
  'rgb',
  'rgba',
  'hsl',
  'hsla',
  'scale',
  'scalex',
  'scaley',
  'rotate',
  'translate',
  'translatex',
  'translatey',
  'skew',
  'skewx',
  'skewy',
  'linear-gradient',
  'radial-gradient',
  'repeating-linear-gradient',
  'repeating-radial-gradient',
  'cubic-bezier',
  'steps',
]);

/** Pseudo-classes that name the document itself, never the work's text. */
export const DOCUMENT_PSEUDO_CLASSES: ReadonlySet<string> = new Set(['root', 'scope', 'host', 'host-context']);

/** Element names outside the work's text. */
export const DOCUMENT_ELEMENTS: ReadonlySet<string> = new Set(['html', 'body', 'head']);
