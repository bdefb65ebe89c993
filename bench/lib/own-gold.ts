// Fanfold's own annotated texts (test/fixtures/analysis/*.gold.json): the gold files and the text
// each is scored on, shared by the evaluation and the ranker's training examples.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One annotated text: `<text>` beside `<name>.gold.json`. */
export interface OwnGold {
  text: string;
  split: 'dev' | 'test';
  style: string;
  language: string;
  characters: { name: string; aliases: string[] }[];
  /**
   * Every pair of gold characters who interact on the page or whose tie the text states, by the
   * `name` of each (alphabetical), with its kind; annotated from the text alone (docs/analysis.md).
   */
  relationships: { pair: [string, string]; kind: 'romantic' | 'family' | 'friendship' | 'conflict' | 'acquaintance' }[];
  not_characters: string[];
  quotes: { text: string; speaker: string | null }[];
  /**
   * Texts read before this one, in order (files beside it): a novel's chapters before the annotated
   * one, so that it is analysed as part of the book ("Call me Ishmael" is in chapter 1). Only the
   * annotated text is scored.
   */
  context?: string[];
}

/** The directory of the own texts. */
export function ownDir(repoRoot: string): string {
  return join(repoRoot, 'test', 'fixtures', 'analysis');
}

/** Every gold file, in file-name order. */
export function readOwnGolds(dir: string): OwnGold[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.gold.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as OwnGold);
}

/** The text to analyse (its context, then the annotated text) and where the annotated text starts in it. */
export function ownText(dir: string, gold: OwnGold): { text: string; from: number; annotated: string } {
  const annotated = readFileSync(join(dir, gold.text), 'utf8');
  const before = (gold.context ?? []).map((f) => readFileSync(join(dir, f), 'utf8') + '\n\n').join('');
  return { text: before + annotated, from: before.length, annotated };
}
