// Scene breaks: explicit markers, and paragraphs that open with a shift of time or place.
import type { Span } from './structure.ts';

/** A scene and why it starts where it does. */
export interface SceneSpan extends Span {
  reason: 'start' | 'marker' | 'shift';
}

/** A paragraph that is only a break marker: ***, * * *, ---, ~~~, ###, ooo, a lone centred symbol, "Scene break". */
const MARKER =
  /^(?:[*~#=_+•·◆◇♦❖✦✧§°-]\s*){1,}$|^(?:o\s*){3,}$|^(?:x\s*){3,}$|^(?:scene\s*break|line\s*break|break|\[scene\s*break\]|<scene\s*break>)$/i;

/**
 * A paragraph opening that moves the story in time or place ("The next few weeks…",
 * "When the sun came up…", "One evening, …", "Three days later", "Stefan carried Caroline home.").
 */
const TIME_SHIFT =
  /^(?:(?:the\s+)?next\s+(?:few\s+|several\s+|couple\s+(?:of\s+)?)?(?:morning|day|days|week|weeks|month|months|year|years|night|evening|afternoon|hours)|the\s+following\s+(?:morning|day|week|month|year|night|evening)|(?:a|one|two|three|four|five|six|several|a\s+few|a\s+couple\s+of|many|some)\s+(?:hours?|days?|weeks?|months?|years?|minutes?)\s+(?:later|passed|went\s+by|after)|(?:hours|days|weeks|months|years|moments|minutes)\s+later|later\s+(?:that|this|on)\b|that\s+(?:night|evening|morning|afternoon)|the\s+(?:morning|day|night|evening)\s+(?:after|before)|one\s+(?:morning|evening|night|day|afternoon)|(?:early|late)\s+(?:the\s+next|that|one)\b|meanwhile|in\s+the\s+meantime|when\s+the\s+sun\s+(?:came\s+up|rose|set|went\s+down)|at\s+(?:dawn|dusk|sunrise|sunset|midnight)|by\s+the\s+time|morning\s+came|night\s+fell|when\s+(?:\S+\s+){1,3}?(?:woke|awoke|came\s+to|opened\s+(?:her|his|their)\s+eyes))\b/i;

/** First sentences that move characters to another place. */
const PLACE_SHIFT =
  /^(?:[A-Z][\w']*\s+){1,3}(?:carried|drove|took|brought|walked|ran|flew)\s+(?:[A-Z][\w']*\s+|her\s+|him\s+|them\s+)?(?:back\s+)?home\b|^(?:back\s+at|at\s+the|meanwhile,?\s+(?:at|in))\s/;

/** Splits the text into scenes at explicit markers and at time/place shifts. */
export function findScenes(text: string, paragraphs: Span[], minParagraphs = 2): SceneSpan[] {
  if (paragraphs.length === 0) return [];
  const scenes: SceneSpan[] = [{ start: paragraphs[0]!.start, end: paragraphs[0]!.end, reason: 'start' }];
  let sinceBreak = 1;
  for (let i = 1; i < paragraphs.length; i++) {
    const p = paragraphs[i]!;
    const head = text.slice(p.start, Math.min(p.end, p.start + 120));
    const current = scenes[scenes.length - 1]!;
    if (p.end - p.start <= 40 && MARKER.test(text.slice(p.start, p.end).trim())) {
      // the marker paragraph itself belongs to no scene; the next paragraph starts one
      const next = paragraphs[i + 1];
      if (next !== undefined) {
        scenes.push({ start: next.start, end: next.end, reason: 'marker' });
        i++;
        sinceBreak = 1;
      }
      continue;
    }
    const plainHead = head.replace(/^["'\u201c\u2018(\s]+/, '');
    if (sinceBreak >= minParagraphs && !/^["\u201c]/.test(head) && (TIME_SHIFT.test(plainHead) || PLACE_SHIFT.test(plainHead))) {
      scenes.push({ start: p.start, end: p.end, reason: 'shift' });
      sinceBreak = 1;
      continue;
    }
    current.end = p.end;
    sinceBreak++;
  }
  return scenes;
}
