// Small builders for the matcher's tests: prompts written as 'fandom:A' 'character:a1', '*character' for "any".
import type { ExchangeRules, Prompt, SignUp } from './matching.types.ts';

/** A prompt from 'type:tag' and '*type' (open) strings. */
export function prompt(...parts: string[]): Prompt {
  const tags: Record<string, string[]> = {};
  const any: string[] = [];
  for (const part of parts) {
    if (part.startsWith('*')) any.push(part.slice(1));
    else {
      const [type, tag] = part.split(':') as [string, string];
      (tags[type] ??= []).push(tag);
    }
  }
  return any.length > 0 ? { tags, any } : { tags };
}

/** A sign-up from prompts given as arrays of 'type:tag' strings. */
export function signUp(id: string, requests: string[][], offers: string[][]): SignUp {
  return { id, requests: requests.map((p) => prompt(...p)), offers: offers.map((p) => prompt(...p)) };
}

/** Rules with fandom and character types (one shared tag each required), anything overridable. */
export function buildRules(overrides: Partial<ExchangeRules> = {}): ExchangeRules {
  return {
    tagTypes: {
      fandom: { required: 1, allowAny: false, min: 1, max: 3 },
      character: { required: 1, allowAny: true, min: 0, max: 4 },
    },
    requests: { min: 1, max: 3 },
    offers: { min: 1, max: 5 },
    requiredRequestMatches: 1,
    forbidMutual: false,
    ...overrides,
  };
}
