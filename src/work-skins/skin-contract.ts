// What the rest of the app needs to know about a cleaned work skin, apart from the cleaner
// (skin-css.ts): the cleaner loads css-tree, about half a second of start-up, so the server
// loads it only in the worker pool that runs it.

/** The id of the element around a work's text; creators write selectors with or without it. */
export const SKIN_CONTAINER_ID = 'workskin';

/**
 * Every selector the cleaner writes starts with this. `div` too because the HTML sanitizer lets
 * `<a id="…">` through for footnotes: an anchor named "workskin" in a comment must not pick up
 * the work's skin.
 */
export const SKIN_SCOPE = `div#${SKIN_CONTAINER_ID}`;

/** Largest skin accepted, in bytes of UTF-8: ample for AO3's elaborate chat skins (about 15 KB). */
export const MAX_SKIN_BYTES = 50 * 1024;

/** One part of the creator's CSS that was left out, and why. */
export interface SkinProblem {
  /** Line in the creator's text (1-based), when known. */
  line: number | null;
  /** The piece left out, shortened for display. */
  text: string;
  reason: string;
}

export interface CleanedSkin {
  /** The CSS to serve: only allowed rules, every selector scoped. */
  css: string;
  problems: SkinProblem[];
}
