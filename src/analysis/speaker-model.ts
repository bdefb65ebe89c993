import type { SpeakerState } from './speaker-coreference.ts';
import type { Turns } from './speaker-sieves.ts';
import type { TurnContext } from './speaker-turns.ts';
import type { Vocative } from './speaker-vocatives.ts';
import type { Attribution } from './speakers.ts';
export interface SpeakerModel {
  features: string[];
  weights: number[];
}
export function rerankSpeakers(
  _st: SpeakerState,
  _ctx: TurnContext,
  _t: Turns,
  _v: (Vocative | null)[],
  _r: Attribution[],
  _m: SpeakerModel,
): void {}
