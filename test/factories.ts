import fs from 'node:fs';
import path from 'node:path';

/** The founding story, kept in the repository so a fresh clone's tests have it (DESIGN.md). */
export const FOUNDING_STORY_PATH = path.resolve(import.meta.dirname, 'fixtures/000_e9b62997e455ea94.txt');
/** Its expected analysis, written by hand from a close reading. */
export const FOUNDING_STORY_EXPECTED_PATH = path.resolve(import.meta.dirname, 'fixtures/000_e9b62997e455ea94.expected.json');

export function readFoundingStory(): string {
  return fs.readFileSync(FOUNDING_STORY_PATH, 'utf8');
}

/** A valid posting form; override any field. */
export function buildWorkForm(overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    title: 'A Test Work',
    summary: 'A summary.',
    rating: 'General Audiences',
    warnings: ['No Archive Warnings Apply'],
    categories: ['Gen'],
    fandoms: 'Test Fandom',
    relationships: '',
    characters: 'Alice, Bob',
    freeforms: 'Fluff',
    language: 'en',
    expected_chapters: '1',
    text_format: 'plain',
    body: 'First paragraph of the story.\n\nSecond paragraph, with "dialogue".',
    action: 'post',
    ...overrides,
  };
}
