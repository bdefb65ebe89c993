// Additional (freeform) tags from a small, documented set, each with the sentences behind it and a
// confidence. English cue lists: any other language gets none, so a word of one language never
// proposes a tag for a text in another.
import type { ArcPoint, Relationship, Warning } from './index.ts';
import type { Language } from './language.ts';
import type { Span } from './structure.ts';

/** The set Fanfold proposes from, by the name the archive uses when it has no canonical tag of its own. */
export const ADDITIONAL_TAGS = ['Grief', 'Hurt/Comfort', 'Angst', 'Fluff', 'Friendship', 'Family', 'Humor'] as const;
export type AdditionalTag = (typeof ADDITIONAL_TAGS)[number];

export interface AdditionalTagProposal {
  tag: AdditionalTag;
  /** 0..1: the share of such proposals expected to be right (see docs/analysis.md for how it was set). */
  confidence: number;
  evidence: Span[];
}

// Loss felt by someone, not death itself (Major Character Death covers that): mourning words, or
// death words beside tears in one sentence.
const GRIEF =
  /\b(?:griev(?:e|ed|es|ing)|grief|mourn(?:ed|ing|s)?|funeral|burial|morgue|coffin|(?:mother|father|mom|dad|sister|brother|son|daughter|wife|husband)'?s (?:body|death|grave)|buried (?:her|him|them)|grave(?:side|stone)?|cemetery|condolences?|passed away|lost (?:her|his|their|my|our) (?:mother|father|mom|dad|sister|brother|son|daughter|wife|husband|friend)|(?:miss(?:ed)?|missing) (?:her|him|them) so much)\b/i;
const DEATH_WORD = /\b(?:died|dead|death|killed|gone forever|passed)\b/i;
const TEARS = /\b(?:cr(?:y|ied|ies|ying)|tears?|sob(?:bed|bing|s)?|wept|weep(?:ing)?)\b/i;
// Someone hurt, ill or breaking down...
const HURT =
  /\b(?:hurt|injur(?:ed|y|ies)|wound(?:ed|s)?|bleed(?:ing)?|bled|blood|bruis(?:e|ed|es)|fever|sick|ill|pain|nightmares?|broke down|sob(?:bed|bing|s)?|cr(?:ied|ying)|tears?|shaking|trembl(?:ed|ing))\b/i;
// ...and someone else looking after them.
const COMFORT =
  /\b(?:comfort(?:ed|ing|s)?|sooth(?:ed|ing|e)|console[ds]?|consoling|held (?:her|him|them)(?: close| tight)?|hold(?:ing)? (?:her|him|them)|hugg?(?:ed|ing)? (?:her|him|them)|arms? around|stroked (?:her|his|their) (?:hair|back|cheek)|wiped (?:her|his|their|the) tears|rocked (?:her|him)|it'?s (?:okay|ok|alright|all right)|i'?m (?:here|right here)|you'?re safe|take care of (?:you|her|him)|tended (?:to )?(?:her|his|the) wounds?|bandag(?:ed|ing))\b/i;
const SADNESS =
  /\b(?:sad(?:ness)?|despair|heartbr(?:eak|oken)|hopeless|lonel(?:y|iness)|miserable|ache[ds]?|aching|guilt|regret|anguish|sorrow|empty|numb)\b/i;
const FLUFF =
  /\b(?:smil(?:ed|ing|es?)|grinn?(?:ed|ing)|giggl(?:ed|ing|es?)|laugh(?:ed|ing|s|ter)?|cuddl(?:ed|ing|e)|snuggl(?:ed|ing|e)|kiss(?:ed|es|ing)?|happy|happiness|warm(?:th)?|sweet(?:ly)?|soft(?:ly)?|blush(?:ed|ing)|adorable|giddy|beam(?:ed|ing)|delight(?:ed)?)\b/i;
const HUMOR =
  /\b(?:joke[ds]?|joking|laugh(?:ed|ing|s|ter)?|snort(?:ed|ing)?|giggl(?:ed|ing|es?)|chuckl(?:ed|ing|es?)|teas(?:ed|ing|es?)|grinn?(?:ed|ing)|hilarious|funny|ridiculous|prank(?:ed|s)?|rolled (?:her|his|their) eyes|haha+|lol|lmao|smirk(?:ed|ing)?)\b/i;
const NEGATED_SENTENCE = /\b(?:not|never|no longer|didn'?t|couldn'?t|wasn'?t)\b/i;

const MAX_EVIDENCE = 3;

/** 1 − 0.5^n scaled into [lo, hi]: more independent sentences, more certainty, never all of it. */
function grows(n: number, lo: number, hi: number, half = 1): number {
  return lo + (hi - lo) * (1 - 0.5 ** (n / half));
}

interface Input {
  text: string;
  language: Language;
  sentences: readonly Span[];
  arc: readonly ArcPoint[];
  relationships: readonly Relationship[];
  warnings: readonly Warning[];
  /** Characters (not merely mentioned) in the text; a text without people gets no relationship tags. */
  characterCount: number;
}

/**
 * Proposes additional tags from ADDITIONAL_TAGS for an English text, each with up to three sentences
 * as evidence; any other language gets none (the cue lists are English).
 */
export function proposeAdditionalTags(input: Input): AdditionalTagProposal[] {
  if (input.language !== 'en') return [];
  const { text, sentences } = input;
  const hits: Record<'grief' | 'hurt' | 'comfort' | 'hurtComfort' | 'sad' | 'fluff' | 'humor', Span[]> = {
    grief: [],
    hurt: [],
    comfort: [],
    hurtComfort: [],
    sad: [],
    fluff: [],
    humor: [],
  };
  for (const s of sentences) {
    const line = text.slice(s.start, s.end);
    if (line.length > 600) continue; // a paragraph that lost its sentence breaks is no single passage
    const span = { start: s.start, end: s.end };
    const negated = NEGATED_SENTENCE.test(line);
    if (GRIEF.test(line) || (DEATH_WORD.test(line) && TEARS.test(line))) hits.grief.push(span);
    const hurt = HURT.test(line);
    const comfort = !negated && COMFORT.test(line);
    if (hurt) hits.hurt.push(span);
    if (comfort) hits.comfort.push(span);
    if (hurt && comfort) hits.hurtComfort.push(span);
    if (SADNESS.test(line) || (TEARS.test(line) && !FLUFF.test(line))) hits.sad.push(span);
    if (!negated && FLUFF.test(line)) hits.fluff.push(span);
    if (!negated && HUMOR.test(line)) hits.humor.push(span);
  }
  const words = Math.max(1, text.split(/\s+/).length);
  const perThousand = (n: number) => (n * 1000) / words;
  const valences = input.arc.map((p) => p.valence);
  const negativeShare = valences.length === 0 ? 0 : valences.filter((v) => v < -0.15).length / valences.length;
  const positiveShare = valences.length === 0 ? 0 : valences.filter((v) => v > 0.15).length / valences.length;
  const death = input.warnings.some((w) => w.value === 'Major Character Death');
  const out: AdditionalTagProposal[] = [];
  const add = (tag: AdditionalTag, confidence: number, evidence: Span[]) => {
    if (confidence > 0 && evidence.length > 0)
      out.push({ tag, confidence: Math.round(Math.min(0.95, confidence) * 100) / 100, evidence: evidence.slice(0, MAX_EVIDENCE) });
  };

  // Grief: mourning in at least two sentences (one, beside a death warning and a sad story); a death warning makes it likelier.
  if (hits.grief.length >= 2 || (death && hits.grief.length === 1 && hits.sad.length >= 3))
    add('Grief', grows(hits.grief.length, 0.4, 0.85, 2) + (death ? 0.1 : 0), hits.grief);
  // Hurt/Comfort: someone hurting and someone comforting, over several sentences, at least one both at once.
  if (hits.hurt.length >= 2 && hits.comfort.length >= 2 && hits.hurtComfort.length >= 1)
    add('Hurt/Comfort', grows(Math.min(hits.hurt.length, hits.comfort.length), 0.35, 0.85, 2), [
      ...hits.hurtComfort,
      ...hits.comfort.filter((c) => !hits.hurtComfort.includes(c)),
    ]);
  // Angst: a story that stays sad, not one sad scene; one that ends happily is less plainly Angst
  // (fans tag that "Angst with a Happy Ending").
  const tail = valences.slice(Math.floor((valences.length * 2) / 3));
  const endsHappily = tail.length > 0 && tail.reduce((x, y) => x + y, 0) / tail.length > 0.15;
  if (hits.sad.length >= 3 && negativeShare >= 0.4)
    add('Angst', grows(hits.sad.length, 0.3, 0.8, 3) * Math.min(1, negativeShare / 0.6) * (endsHappily ? 0.7 : 1), hits.sad);
  // Fluff: mostly warm, and no death at its heart.
  if (hits.fluff.length >= 3 && positiveShare >= 0.5 && perThousand(hits.fluff.length) >= 4)
    add('Fluff', grows(hits.fluff.length, 0.3, 0.8, 3) * (death ? 0.6 : 1) * Math.min(1, positiveShare / 0.7), hits.fluff);
  // Humor: laughter and jokes, often.
  if (hits.humor.length >= 3 && perThousand(hits.humor.length) >= 5 && negativeShare < 0.5)
    add('Humor', grows(hits.humor.length, 0.3, 0.75, 3), hits.humor);
  // Friendship and Family: a strong pair of that kind with passages behind it.
  if (input.characterCount >= 2) {
    for (const [kind, tag] of [
      ['friendship', 'Friendship'],
      ['family', 'Family'],
    ] as const) {
      const pairs = input.relationships.filter((r) => r.kind === kind && r.evidence.length > 0 && r.strength >= 0.3);
      if (pairs.length === 0) continue;
      // Strength is relative (the only pair is always 1): the passages behind it and the length of the
      // text say more. One passage in a short text is a hint, three in a long one a theme.
      const passages = Math.min(3, Math.max(...pairs.map((r) => r.evidence.length)));
      add(
        tag,
        0.25 + 0.15 * passages + (words >= 1000 ? 0.1 : 0),
        pairs.flatMap((r) => r.evidence),
      );
    }
  }
  return out.sort((x, y) => y.confidence - x.confidence);
}
