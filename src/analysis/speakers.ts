// Attributes each quotation to a speaker as a pipeline of named passes: turns (speaker-turns.ts),
// vocatives (speaker-vocatives.ts), mentions and coreference (speaker-coreference.ts), the local
// attribution sieves ordered by precision (speaker-sieves.ts), turn-taking (speaker-turn-taking.ts)
// and, where it is switched on, the learnt ranker (speaker-model.ts). Each sieve has a name, so the
// evaluation can switch it off and show what it was worth (npm run eval:analysis).
import type { Span } from './structure.ts';
import { type CoreferenceInput, createSpeakerState } from './speaker-coreference.ts';
import { nameNarrator } from './speaker-narrator.ts';
import { findSpeakerCandidates, rerankSpeakers, type SpeakerCandidate, type SpeakerModel } from './speaker-model.ts';
import { runLocalSieves, type Turns } from './speaker-sieves.ts';
import { upperBound } from './speaker-text.ts';
import { runTurnTaking } from './speaker-turn-taking.ts';
import { assignUnits, findUnitBoundaries } from './speaker-turns.ts';
import { findVocative, lastCall, nameFamilyVocatives } from './speaker-vocatives.ts';

export { findVocative, type Vocative } from './speaker-vocatives.ts';

/** How a speaker was found, strongest first. */
export type SpeakerMethod = 'explicit' | 'beat' | 'paragraph' | 'vocative' | 'continuation' | 'turn-taking' | 'context' | 'model' | 'none';

/** The speaker of one quotation. */
export interface Attribution {
  /** Character id, or -1 when the speaker is not a named character. */
  speaker: number;
  /** Stable key of the speaking entity: `c:<id>`, `narrator`, `n:<noun>` or `p:<pronoun>@<offset>`. */
  key: string | null;
  /** The mention the attribution rests on (a name, pronoun or noun phrase), if any. */
  mention: Span | null;
  addressee: number;
  /** The character this quotation calls by name ("My dear Rose, …"), or -1. */
  vocative: number;
  confidence: number;
  method: SpeakerMethod;
}

/** Who speaks a turn, as the turn-taking pass passes it along: an attribution without what one quotation calls. */
export type SpeakerChoice = Omit<Attribution, 'vocative'>;

/**
 * The sieves in the order they run, most precise first. Local sieves read one quotation and the
 * narration around it; turn-taking sieves read the conversation; `other-man` is the coreference
 * rule that a pronoun opening a new paragraph after a named speaker means the other person, and
 * `called-answers` that a pronoun with no antecedent in the narration is the one the turn before called;
 * `told-answers` takes the one an attribution speaks to ("said Ann to Tom") as called by name;
 * `family-vocative` reads "papa" or "aunt" in a quotation as the cast's titled relative. The last
 * seven change no speaker, only name one: the narrator the others call by name, the speaker who
 * says their own name ("I am Dracula"), "her mother" as the
 * character the family pass linked, the "papa" a speaker calls as their titled father, "the doctor"
 * as the one Dr. of the cast, "the woman" as the one woman the scene names, "said my brother's
 * wife" as the one the next turn calls by name.
 */
export const SIEVES = [
  'chat-line',
  'interrupted',
  'explicit-after',
  'explicit-before',
  'other-man',
  'called-answers',
  'told-answers',
  'beat-after',
  'beat-before',
  'same-turn',
  'continuation',
  'family-vocative',
  'vocative',
  'alternation',
  'other-participant',
  'context',
  'narrator-name',
  'self-name',
  'family-name',
  'parent-name',
  'title-name',
  'epithet-name',
  'addressed-name',
] as const;

/** The name of one sieve (see SIEVES). */
export type SieveName = (typeof SIEVES)[number];

/** Context the speaker rules need about the whole text: what coreference reads, and the paragraphs. */
export interface SpeakerContext extends CoreferenceInput {
  paragraphs: Span[];
}

/** Switches for the evaluation's ablation table and the learnt ranker. */
export interface SpeakerOptions {
  /** Sieves not to run (default: none). */
  disabled?: ReadonlySet<SieveName>;
  /** A ranker that re-decides anaphoric and implicit speakers (default: none, the rules decide). */
  model?: SpeakerModel | null;
  /** Receives each quotation's candidate speakers and the rules' attribution (the training script reads them). */
  inspect?: (candidates: (SpeakerCandidate[] | null)[], rules: readonly Attribution[]) => void;
}

/** Attributes every quotation to a speaker and an addressee, with a confidence. */
export function attributeSpeakers(ctx: SpeakerContext, options: SpeakerOptions = {}): Attribution[] {
  // an author's note's quotations ("A/N: for the prompt “one kettle”") are no one's lines and no
  // turn of a conversation: the scene is read without them
  const inNote = ctx.quotes.map((q) => isNote(ctx, q.paragraph));
  if (!inNote.includes(true)) return attributeScene(ctx, options);
  const spread = <T>(scene: readonly T[], note: () => T): T[] => {
    let k = 0;
    return inNote.map((n) => (n ? note() : scene[k++]!));
  };
  const inspect = options.inspect;
  return spread(
    attributeScene(
      { ...ctx, quotes: ctx.quotes.filter((_, i) => !inNote[i]) },
      {
        ...options,
        inspect:
          inspect &&
          ((candidates, rules) =>
            inspect(
              spread(candidates, () => null),
              spread(rules, unattributed),
            )),
      },
    ),
    unattributed,
  );
}

/** No one's line. */
const unattributed = (): Attribution => ({
  speaker: -1,
  key: null,
  mention: null,
  addressee: -1,
  vocative: -1,
  confidence: 0,
  method: 'none',
});

/** An author's note, a disclaimer or a summary: the fan's own words about the story, not a scene. */
const NOTE_PARAGRAPH = /^[\s*_#>]*(?:a\/n|author['’]?s notes?|notes?|disclaimer|summary)\s*[:\-–—]/i;

function isNote(ctx: SpeakerContext, paragraph: number): boolean {
  const p = ctx.paragraphs[paragraph];
  return p !== undefined && NOTE_PARAGRAPH.test(ctx.text.slice(p.start, Math.min(p.end, p.start + 40)));
}

/** The sieves, turn-taking and naming passes over the quotations of a scene. */
function attributeScene(ctx: SpeakerContext, options: SpeakerOptions): Attribution[] {
  const disabled = options.disabled;
  const on = disabled === undefined || disabled.size === 0 ? (): boolean => true : (s: SieveName): boolean => !disabled.has(s);
  const st = createSpeakerState(ctx);
  const boundaries = Int32Array.from(findUnitBoundaries(ctx, st.speechVerbs));
  const turns: Turns = {
    boundaries,
    units: assignUnits(boundaries, ctx.quotes),
    nextBoundary: (at) => {
      const i = upperBound(boundaries, at);
      return i < boundaries.length ? boundaries[i]! : ctx.text.length;
    },
  };
  const vocativeOf = ctx.quotes.map((q, i) => findVocative(ctx.text, q, st.mentions, st.mentionAt, ctx.quotes[i - 1]));
  if (ctx.relativeOf !== undefined && on('family-vocative')) nameFamilyVocatives(vocativeOf, ctx.quotes, st.narration, ctx.relativeOf);
  const result: Attribution[] = ctx.quotes.map((_, i) => ({
    speaker: -1,
    key: null,
    mention: null,
    addressee: -1,
    vocative: vocativeOf[i]?.character ?? -1,
    confidence: 0,
    method: 'none' as SpeakerMethod,
  }));
  runLocalSieves(st, ctx, turns, vocativeOf, result, on);
  runTurnTaking(st, ctx, turns, vocativeOf, result, on);
  if (on('narrator-name'))
    nameNarrator(result, ctx.quotes, st.narration, (j) => {
      const last = lastCall(ctx.text, ctx.quotes[j]!, st.mentions);
      return last >= 0 ? last : result[j]!.vocative;
    });
  if (options.model || options.inspect) {
    const candidates = findSpeakerCandidates(st, ctx, turns, vocativeOf, result);
    options.inspect?.(
      candidates,
      result.map((r) => ({ ...r })),
    );
    if (options.model) rerankSpeakers(candidates, result, options.model);
  }
  return result;
}
