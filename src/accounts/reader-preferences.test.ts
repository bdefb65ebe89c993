import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEFAULT_PREFERENCES,
  guestPageVariant,
  needsAdultNotice,
  parsePreferences,
  serializePreferences,
  type ReaderPreferences,
} from './reader-preferences.ts';

const dark: ReaderPreferences = { ...DEFAULT_PREFERENCES, theme: 'dark', hideWarnings: true };

describe('reader preferences', () => {
  it('round-trips through the cookie text', () => {
    const all: ReaderPreferences = {
      showAdult: true,
      hideWarnings: true,
      hideFreeforms: true,
      textSize: 'x-large',
      lineWidth: 'narrow',
      font: 'sans',
      theme: 'light',
    };
    assert.deepEqual(parsePreferences(serializePreferences(all)), all);
    assert.deepEqual(parsePreferences(serializePreferences(DEFAULT_PREFERENCES)), DEFAULT_PREFERENCES);
  });

  it('reads anything a browser could send without failing: unknown parts take their defaults', () => {
    assert.deepEqual(parsePreferences(undefined), DEFAULT_PREFERENCES);
    assert.deepEqual(parsePreferences('theme-purple.size-huge.<script>'), DEFAULT_PREFERENCES);
    assert.deepEqual(parsePreferences('x'.repeat(5000)), DEFAULT_PREFERENCES);
    assert.equal(parsePreferences('theme-dark').theme, 'dark');
  });

  it('gives guests with the same choices one page variant, and defaults the shared one', () => {
    assert.equal(guestPageVariant(undefined), '');
    assert.equal(guestPageVariant('ff_csrf=abc'), '');
    assert.equal(guestPageVariant(`ff_prefs=${serializePreferences(DEFAULT_PREFERENCES)}`), '');
    assert.equal(guestPageVariant('ff_prefs=garbage'), '');
    const a = guestPageVariant(`ff_prefs=${serializePreferences(dark)}`);
    const b = guestPageVariant(`other=1; ff_prefs=warnings-1.theme-dark; x=y`);
    assert.notEqual(a, '');
    assert.equal(a, b);
    assert.notEqual(guestPageVariant('ff_view_adult=1'), '');
    assert.notEqual(guestPageVariant('ff_view_adult=1'), a);
  });

  it('asks before Mature, Explicit and Not Rated works unless the reader chose or proceeded', () => {
    for (const rating of ['Mature', 'Explicit', 'Not Rated']) {
      assert.equal(needsAdultNotice(rating, DEFAULT_PREFERENCES, false), true);
      assert.equal(needsAdultNotice(rating, { ...DEFAULT_PREFERENCES, showAdult: true }, false), false);
      assert.equal(needsAdultNotice(rating, DEFAULT_PREFERENCES, true), false);
    }
    assert.equal(needsAdultNotice('General Audiences', DEFAULT_PREFERENCES, false), false);
    assert.equal(needsAdultNotice('Teen And Up Audiences', DEFAULT_PREFERENCES, false), false);
  });
});
