import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findParagraphs } from './structure.ts';
import { findQuotations } from './quotes.ts';
import { lexiconFor } from './language.ts';

const spans = (text: string): string[] => findQuotations(text, findParagraphs(text)).map((q) => text.slice(q.start, q.end));
const contents = (text: string): string[] =>
  findQuotations(text, findParagraphs(text)).map((q) => text.slice(q.contentStart, q.contentEnd));

test('straight and curly double quotes, spans include the marks', () => {
  assert.deepEqual(spans('"Go home," Mia said. \u201cNow.\u201d'), ['"Go home,"', '\u201cNow.\u201d']);
});

test('a stray space inside the opening mark is kept in the text', () => {
  assert.deepEqual(contents('" STOP IT!" Tom yelled.'), [' STOP IT!']);
});

test('a quotation running over paragraphs closes only at the last', () => {
  const text = '"The first part of the speech.\n\n"The second part," she finished.\n\nShe left.';
  assert.deepEqual(spans(text), ['"The first part of the speech.\n\n"The second part,"']);
});

test('an unterminated quotation stops at its paragraph end', () => {
  const text = '"I never closed this\n\nNarration goes on here. "But this one," he said.';
  assert.deepEqual(spans(text), ['"I never closed this', '"But this one,"']);
});

test('British single quotes, with apostrophes left alone', () => {
  const text = "\u2018I can\u2019t,\u2019 said Jo. \u2018It\u2019s Sam\u2019s turn.\u2019 'Aye,' said Pat. 'We're off.'";
  assert.deepEqual(contents(text), ['I can\u2019t,', 'It\u2019s Sam\u2019s turn.', 'Aye,', "We're off."]);
});

test('British single quotes: a plural possessive inside a quotation ("the Smiths\' dog") does not close it', () => {
  const text =
    "'It's a good idea,' said Tom. 'The Smiths' dog likes us.'\n\n\u2018The Joneses\u2019 cat,\u2019 said Ann, \u2018is worse.\u2019";
  assert.deepEqual(contents(text), ["It's a good idea,", "The Smiths' dog likes us.", 'The Joneses\u2019 cat,', 'is worse.']);
  // with no closer after it in the paragraph, the mark closes the quotation
  const closing = "'Well,' said Ann. 'Now?'\n\n'Yes,' said Tom. 'Go to the Smiths' he said.";
  assert.deepEqual(contents(closing), ['Well,', 'Now?', 'Yes,', 'Go to the Smiths']);
});

test('em-dash dialogue paragraphs', () => {
  const text = '\u2014Where are you going? \u2014asked Lena.\n\n\u2014Home.';
  assert.deepEqual(contents(text), ['Where are you going?', 'Home.']);
});

test('dash dialogue inside running text, when a text has no quotation marks', () => {
  const text =
    'He came up the stairs and called out: \u2014 Come up, Kinch! Come up! He turned. \u2014 Back to barracks! he said sternly. Slow music, please. Stephen waited. \u2014 Thanks, old chap, he cried. That will do.';
  assert.deepEqual(contents(text), [
    ' Come up, Kinch! Come up!',
    ' Back to barracks!',
    'Slow music, please.',
    ' Thanks, old chap,',
    'That will do.',
  ]);
});

test('a straight mark whose spacing shows its direction puts a long paragraph back in step after an unbalanced mark', () => {
  // the first quotation has no closing mark; without resynchronising, every later quotation would be inverted
  const text =
    'He read the entry aloud: "JOHN WARD, BOSTON. "One of the Boston men," said the clerk. The man nodded. "Good morning," he said.';
  assert.deepEqual(contents(text), ['JOHN WARD, BOSTON.', 'One of the Boston men,', 'Good morning,']);
});

const inLanguage = (text: string, language: 'en' | 'es' | 'fr' | 'de'): string[] =>
  findQuotations(text, findParagraphs(text), lexiconFor(language)).map((q) => text.slice(q.contentStart, q.contentEnd));

test('German low-high marks „…“ open low and close high', () => {
  const text = '„Guten Morgen“, sagte Anna.\n\n„Nein“, antwortete Jonas. „Der Kaffee ist kalt.“';
  assert.deepEqual(contents(text), ['Guten Morgen', 'Nein', 'Der Kaffee ist kalt.']);
});

test('guillemets face the way the text uses them: German »…«, French « … » with its spaces', () => {
  assert.deepEqual(contents('»Komm her«, rief sie.\n\n»Nein«, sagte er. »Niemals.«'), ['Komm her', 'Nein', 'Niemals.']);
  assert.deepEqual(contents('« Viens ici », cria-t-elle.\n\n« Non », dit-il.'), ['Viens ici', 'Non']);
});

test('Swedish and Finnish ”…” use one mark on both sides', () => {
  assert.deepEqual(contents('”Hej”, sa Anna.\n\n”Vad gör du?” frågade Erik. ”Ingenting.”'), ['Hej', 'Vad gör du?', 'Ingenting.']);
});

test('single marks ‚…‘ and ‹…›, and corner brackets 「…」 with 『…』 nested inside', () => {
  assert.deepEqual(contents('‚Komm‘, sagte sie. ‚Jetzt.‘ ‚Nein‘, sagte er. ‚Nie.‘'), ['Komm', 'Jetzt.', 'Nein', 'Nie.']);
  assert.deepEqual(contents('‹ Oui ›, dit-il. ‹ Non ›, dit-elle. ‹ Peut-être ›, dit-il. ‹ Jamais ›, dit-elle.'), [
    'Oui',
    'Non',
    'Peut-être',
    'Jamais',
  ]);
  assert.deepEqual(contents('「おはよう」と彼女は言った。「『さようなら』と言わないで」'), ['おはよう', '『さようなら』と言わないで']);
  assert.deepEqual(contents('『はい』と彼は言った。'), ['はい']);
});

test('a French incise inside guillemets is not part of the quotation', () => {
  assert.deepEqual(inLanguage('« Je ne sais pas, dit-elle, mais je vais voir. »', 'fr'), ['Je ne sais pas,', 'mais je vais voir.']);
});

test('dash dialogue: the attribution is split out of the spoken words', () => {
  assert.deepEqual(inLanguage("– Hello, said Anna. You're late again.", 'en'), ['Hello,', "You're late again."]);
  assert.deepEqual(inLanguage('—No —respondió Carlos—. Nunca.', 'es'), ['No', 'Nunca.']);
  assert.deepEqual(inLanguage('— Bonjour, dit-il. Tu es en retard.', 'fr'), ['Bonjour,', 'Tu es en retard.']);
  assert.deepEqual(inLanguage('\u2015 Hallo, sagte sie.', 'de'), ['Hallo,']);
  assert.deepEqual(inLanguage('– Wait, she said, and turned to the door.', 'en'), ['Wait,']);
});

test('a request inside dash dialogue is not taken for an attribution', () => {
  assert.deepEqual(inLanguage('– Please, tell me what happened.', 'en'), ['Please, tell me what happened.']);
});

test('dash lines inside one paragraph are each a turn; a rule of dashes is not speech', () => {
  const text = 'She looked up.\n– Hi, she said.\n– Hey.\n\n\u2014\u2014\u2014\n\nThe end came.';
  assert.deepEqual(inLanguage(text, 'en'), ['Hi,', 'Hey.']);
});

test('a dash after a colon opens speech mid-line', () => {
  assert.deepEqual(inLanguage('Carlos dijo: \u2014No quiero hablar.', 'es'), ['No quiero hablar.']);
});

test('a French exchange in one pair of guillemets is cut into its turns at the dashes', () => {
  const text = '\u00ab Bonjour, dit-il.\n\n\u2014 Salut, r\u00e9pondit-elle. Tu vas bien ?\n\n\u2014 Tr\u00e8s bien. \u00bb';
  assert.deepEqual(inLanguage(text, 'fr'), ['Bonjour,', 'Salut,', 'Tu vas bien ?', 'Tr\u00e8s bien.']);
});
