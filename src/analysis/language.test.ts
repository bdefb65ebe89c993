import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectLanguage } from './language.ts';
import { analyzeText } from './index.ts';
import { lowerForMatching, tokenize } from './structure.ts';

const detect = (text: string): string => {
  const t = tokenize(text);
  return detectLanguage(lowerForMatching(text), t.starts, t.ends);
};

test('English, Spanish, French and German are told apart by their function words', () => {
  assert.equal(
    detect('She walked to the window and looked out at the rain. He was not there, and she knew that he would not come back to her.'),
    'en',
  );
  assert.equal(
    detect(
      'Carlos estaba sentado en la cocina cuando Lucía entró con las llaves en la mano. No dijo nada, pero ella sabía que él la esperaba.',
    ),
    'es',
  );
  assert.equal(
    detect(
      'Marie était assise dans la cuisine quand il est entré avec les clés. Elle ne dit rien, mais elle savait que tout était fini pour lui.',
    ),
    'fr',
  );
  assert.equal(
    detect(
      'Der Hund bellte, als Anna die Tür öffnete. Jonas saß am Tisch und las die Zeitung, aber er sagte nichts zu ihr und sah nicht auf.',
    ),
    'de',
  );
});

test('a language without a profile, or another script, is unknown', () => {
  assert.equal(
    detect(
      'Il cane abbaiava quando Giulia aprì la porta. Marco era seduto al tavolo e leggeva il giornale, ma non disse niente e non alzò gli occhi.',
    ),
    'unknown',
  );
  assert.equal(
    detect('「おはよう」と彼女は言った。犬が吠えて、猫は窓の外を見ていた。雨はまだ降っていて、誰も何も言わなかった。'),
    'unknown',
  );
});

test('a text too short to measure is taken as English unless another language clearly shows', () => {
  assert.equal(detect('"Hi," said Lily.'), 'en');
  assert.equal(detect('„Guten Morgen“, sagte sie und ich nickte.'), 'de');
});

test('numbers and timestamps count for no language', () => {
  assert.equal(
    detect(
      '[21:04] kat: are u still up\n[21:05] max: ya i was thinking about you and the thing we said at the party\n[21:06] kat: me too, it was so weird and i cant stop thinking about it',
    ),
    'en',
  );
});

test('German dialogue: quotations, speakers, no capitalised nouns as characters, and no rating from English words', () => {
  const text = [
    'Der Hund bellte, als Anna die Tür öffnete. Jonas saß am Tisch und las die Zeitung.',
    '„Guten Morgen“, sagte Anna.',
    '„Nein“, antwortete Jonas, ohne aufzusehen. „Der Kaffee ist kalt.“',
    '„Dann mach doch neuen“, sagte sie und lachte. Die Katze lief durch die Küche.',
    'Jonas stand auf. Er ging zum Fenster und sah in den Garten, wo der Hund die Katze jagte.',
    '„Die Katze ist schneller“, sagte er.',
  ].join('\n\n');
  const a = analyzeText(text);
  assert.equal(a.language, 'de');
  assert.deepEqual(a.characters.map((c) => c.name).sort(), ['Anna', 'Jonas']);
  assert.deepEqual(
    a.quotes.map((q) => [q.text, q.speaker]),
    [
      ['Guten Morgen', 'Anna'],
      ['Nein', 'Jonas'],
      ['Der Kaffee ist kalt.', 'Jonas'],
      ['Dann mach doch neuen', 'Anna'],
      ['Die Katze ist schneller', 'Jonas'],
    ],
  );
  assert.equal(a.rating.value, 'General Audiences');
  assert.equal(a.rating.confidence, 0, 'no rating is read from another language');
  assert.deepEqual(a.warnings, []);
});

test('Spanish dash dialogue: dijo, respondió and preguntó with names and pronouns', () => {
  const text = [
    'Carlos estaba sentado en la cocina cuando Lucía entró con las llaves en la mano.',
    '—¿Vienes esta noche? —preguntó ella.',
    '—No —respondió Carlos—. Nunca.',
    '—Siempre dices lo mismo —dijo Lucía.',
  ].join('\n\n');
  const a = analyzeText(text);
  assert.equal(a.language, 'es');
  assert.deepEqual(
    a.quotes.map((q) => [q.text, q.speaker]),
    [
      ['¿Vienes esta noche?', 'Lucía'],
      ['No', 'Carlos'],
      ['Nunca.', 'Carlos'],
      ['Siempre dices lo mismo', 'Lucía'],
    ],
  );
});

test('French: inverted attributions (dit-il, demanda-t-elle) name the speaker', () => {
  const text = [
    'Marie était dans la cuisine quand Paul est entré. Elle ne dit rien.',
    '« Tu es en retard », dit-il.',
    '« Je sais, répondit Marie, mais le train était plein. »',
    '« Encore ? » demanda-t-il.',
  ].join('\n\n');
  const a = analyzeText(text);
  assert.equal(a.language, 'fr');
  assert.deepEqual(
    a.quotes.map((q) => [q.text, q.speaker]),
    [
      ['Tu es en retard', 'Paul'],
      ['Je sais,', 'Marie'],
      ['mais le train était plein.', 'Marie'],
      ['Encore ?', 'Paul'],
    ],
  );
});

test('English dash dialogue: "said Anna" leaves the quotation and names its speaker', () => {
  const a = analyzeText("Anna came in from the rain.\n\n– Hello, said Anna. You're late again.\n\n– I know, Tom said. The bus broke down.");
  assert.deepEqual(
    a.quotes.map((q) => [q.text, q.speaker]),
    [
      ['Hello,', 'Anna'],
      ["You're late again.", 'Anna'],
      ['I know,', 'Tom'],
      ['The bus broke down.', 'Tom'],
    ],
  );
});

test('a language without word lists still gets quotations and characters, and no rating or warnings', () => {
  const text = [
    'Giulia aprì la porta e il cane abbaiava. Marco era seduto al tavolo e leggeva il giornale.',
    '"Buongiorno", disse Giulia.',
    '"No", rispose Marco. "Il caffè è freddo, e io non ho dormito."',
    'Giulia rise. Marco guardò la finestra e non disse niente per un po.',
    '"Giulia, vieni qui", disse Marco. Giulia non rispose.',
  ].join('\n\n');
  const a = analyzeText(text);
  assert.equal(a.language, 'unknown');
  assert.equal(a.quotes.length, 4);
  assert.deepEqual(a.characters.map((c) => c.name).sort(), ['Giulia', 'Marco']);
  assert.equal(a.rating.confidence, 0);
  assert.deepEqual(a.warnings, []);
});

test('AO3 HTML entities inside a quotation leave no gap: You&rsquo;ll', () => {
  const a = analyzeText('<p>&ldquo;You&rsquo;ll see,&rdquo; said Lily.</p>\n<p>Sam <em>laughed</em>.</p>');
  assert.equal(a.quotes[0]!.text, 'You\u2019ll see,');
});

test('a chat in texting English reads as English', () => {
  const chat = [
    '[23:01] kat_wolfe: u up',
    '[23:02] max_power: ya cant sleep lol',
    '[23:02] kat_wolfe: same. im so nervous about tmrw',
    '[23:03] max_power: dont be. ur gonna be great',
    '[23:04] kat_wolfe: u always say that',
    '[23:04] max_power: bc its true',
  ].join('\n');
  assert.equal(detect(chat), 'en');
});
