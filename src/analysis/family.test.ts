import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from './index.ts';

test('"her mother" and "your mom" resolve to the named mother the text links', () => {
  const text = [
    "Ruth sat by the window of Greta's house. Ruth held her mother's letter. Greta had written it before she left.",
    "Ruth read her mother's words twice, then called Greta again.",
    'Paul came in. "Ruth, your mom will call back," he said.',
  ].join('\n\n');
  const a = analyzeText(text);
  const greta = a.characters.find((c) => c.name === 'Greta')!;
  assert.ok(
    greta.aliases.some((x) => /her mother/i.test(x)),
    greta.aliases.join(', '),
  );
  assert.ok(
    greta.aliases.some((x) => /your mom/i.test(x)),
    greta.aliases.join(', '),
  );
  assert.equal(greta.gender, 'female');
  assert.ok(a.relationships.some((r) => r.kind === 'family' && [r.a, r.b].includes('Greta') && [r.a, r.b].includes('Ruth')));
});

test('an apposition links a relative directly', () => {
  const text = 'Leo smiled at his father, Victor. Victor nodded. Leo thanked his father. Victor laughed.';
  const a = analyzeText(text);
  const victor = a.characters.find((c) => c.name === 'Victor')!;
  assert.ok(victor.aliases.some((x) => /his father/i.test(x)));
});

test("Mr. Bennet's wife is Mrs. Bennet, whoever was named nearer", () => {
  const text = [
    'Mr. Bennet sat by the fire. Mrs. Bennet came in from the hall, where Mrs. Long had kept her talking.',
    'Mrs. Long had gone home at last. Mr. Bennet turned a page.',
    '"Netherfield is let at last," said his wife.',
    '"Is it?" said Mr. Bennet.',
  ].join('\n\n');
  const a = analyzeText(text);
  assert.equal(a.quotes[0]!.speaker, 'Mrs. Bennet');
  assert.ok(a.characters.find((c) => c.name === 'Mrs. Bennet')!.aliases.includes('his wife'));
});

test('"his aunt" is the one character the cast calls Aunt, and "aunt" in a quotation calls her', () => {
  const text = [
    'Aunt Polly looked over her spectacles. Tom Sawyer was nowhere, and Aunt Polly frowned.',
    'Tom came out of the closet. His aunt caught him by the jacket.',
    '"What have you been doing in there?"',
    '"Nothing, aunt."',
    '"Nothing! Look at your hands."',
  ].join('\n\n');
  const a = analyzeText(text);
  const polly = a.characters.find((c) => c.name === 'Aunt Polly')!;
  assert.ok(
    polly.aliases.some((x) => /his aunt/i.test(x)),
    polly.aliases.join(', '),
  );
  assert.deepEqual(
    a.quotes.map((q) => q.speaker),
    ['Aunt Polly', 'Tom Sawyer', 'Aunt Polly'],
  );
});
