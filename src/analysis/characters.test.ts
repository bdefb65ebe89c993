import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText, type StoryAnalysis } from './index.ts';

const story = [
  'Miss Harper walked into the kitchen. Eleanor Harper was tired, and she sat down.',
  '"Will you eat?" asked Tom. He put a plate in front of her.',
  '"Perfect," Eleanor said. "Its fine. Thank you, Tom."',
  'Eventually, Tom smiled. Nothing was wrong. Slowly Eleanor laughed.',
  'Oh, the rain. Will it stop? Alright. Hey. Ill go, she thought. Tom nodded and left for London.',
  'Jonah waved from the garden.',
].join('\n\n');

/** The cast as a message: every character with its aliases. */
const castOf = (a: StoryAnalysis): string => a.characters.map((c) => `${c.name} [${c.aliases.join(', ')}]`).join('; ');

test('interjections, sentence openers and typos are not characters', () => {
  const names = analyzeText(story).characters.flatMap((c) => [c.name, ...c.aliases]);
  for (const trap of ['Will', 'Perfect', 'Its', 'Thank', 'Eventually', 'Nothing', 'Slowly', 'Oh', 'Alright', 'Hey', 'Ill', 'London']) {
    assert.ok(!names.includes(trap), `${trap} should not be a character (got ${names.join(', ')})`);
  }
});

test('full names, first names and titled surnames cluster into one character', () => {
  const a = analyzeText(story);
  const eleanor = a.characters.find((c) => c.name === 'Eleanor Harper');
  assert.ok(eleanor, a.characters.map((c) => c.name).join(', '));
  assert.ok(eleanor.aliases.includes('Eleanor'));
  assert.ok(eleanor.aliases.includes('Miss Harper'));
  assert.equal(eleanor.gender, 'female');
  assert.ok(eleanor.mentions >= 4);
});

test('a name seen once, at a sentence start before a verb, is still a character', () => {
  const a = analyzeText(story);
  assert.ok(a.characters.some((c) => c.name === 'Jonah'));
});

test('roles follow prominence', () => {
  const a = analyzeText(story);
  const roles = Object.fromEntries(a.characters.map((c) => [c.name, c.role]));
  assert.equal(roles['Eleanor Harper'], 'protagonist');
  assert.equal(roles.Jonah, 'minor');
});

test('a common word can be the surname of a titled full name, and then names its speaker', () => {
  const text = [
    'Sir Oliver Brand came in with Captain John Good, who was getting fat.',
    '"Three years," said Good.',
    '"Too long," said Sir Oliver.',
  ].join('\n\n');
  const a = analyzeText(text);
  assert.ok(
    a.characters.some((c) => c.name === 'Captain John Good'),
    a.characters.map((c) => c.name).join(', '),
  );
  assert.equal(a.quotes[0]!.speaker, 'Captain John Good');
  // and nowhere else: "Good" alone is still not a character
  assert.ok(!analyzeText('Good news came. "Good," said Ann.').characters.some((c) => c.name === 'Good'));
});

test('a title and first name ("Sir Oliver") join the full name with that title', () => {
  const text = 'Sir Oliver Brand rode in. Sir Oliver laughed. Later Sir Oliver slept.';
  const names = analyzeText(text).characters.map((c) => c.name);
  assert.deepEqual(names, ['Sir Oliver Brand']);
});

test('"Miss Pinkerton" stays apart from a sister called "Miss Jemima Pinkerton"; "Mrs. Sedley" from "Miss Amelia Sedley"', () => {
  const text = [
    'Miss Jemima Pinkerton opened the door. Miss Jemima smiled, and Miss Jemima waved.',
    'Miss Pinkerton frowned at her sister. Miss Pinkerton said nothing.',
    'Miss Amelia Sedley came down the stairs. Mrs. Sedley waited in the coach.',
  ].join('\n\n');
  const byName = new Map(analyzeText(text).characters.map((c) => [c.name, c]));
  assert.ok(byName.has('Miss Pinkerton'), [...byName.keys()].join(', '));
  assert.ok(!byName.get('Miss Jemima Pinkerton')!.aliases.includes('Miss Pinkerton'));
  assert.ok(!(byName.get('Miss Amelia Sedley')?.aliases ?? []).includes('Mrs. Sedley'));
});

test('one whitespace character of any kind joins a name, but a paragraph break does not', () => {
  for (const gap of ['\u00a0', '\t', '\n', '\r\n']) {
    const text = [`Captain${gap}John Good came in. Captain John Good sat down.`, '"Tea?" asked Ann.'].join('\n\n');
    const names = analyzeText(text).characters.map((c) => c.name);
    assert.ok(names.includes('Captain John Good'), `joined by ${JSON.stringify(gap)}: ${names.join(', ')}`);
  }
  // without blank lines every line is a paragraph: the name before a line break ends there
  const lines = analyzeText('"Tea?" said Ann\nMax nodded. Ann smiled at Max.').characters.map((c) => c.name);
  assert.ok(!lines.includes('Ann Max'), lines.join(', '));
});

test('seasons and weather in a text without dialogue are not characters', () => {
  const text = [
    'Autumn came early that year. Autumn always came early to the valley, and the leaves turned before anyone was ready.',
    'Then Snow fell on the roofs. Snow covered the road, and Snow lay on the fields for a week.',
    'Mara watched it from the window. Mara had never seen so much of it, and she wrote to her brother about the cold.',
  ].join('\n\n');
  const names = analyzeText(text).characters.map((c) => c.name);
  assert.deepEqual(names, ['Mara']);
});

test('a season is a name when a person\u2019s evidence says so', () => {
  const names = analyzeText('"Come in," said Summer. Summer smiled at Jo.\n\n"Thanks," Jo said. Summer laughed.').characters.map(
    (c) => c.name,
  );
  assert.ok(names.includes('Summer'), names.join(', '));
});

test('a bare name joins its titled form ("Mr. Greyson" and "Greyson", "Dr. Archie" and "Dr. Howard Archie"), but not after a wife\'s title', () => {
  const text = [
    'Mr. Greyson opened the door. Greyson smiled at the boy, and Greyson waved.',
    'Dr. Howard Archie came in. Dr. Archie sat down.',
    'Mrs. Morel looked up. Morel was late again, and Morel was drunk.',
  ].join('\n\n');
  const chars = analyzeText(text).characters;
  const withName = (n: string) => chars.filter((c) => c.name === n || c.aliases.includes(n));
  assert.equal(withName('Greyson').length, 1);
  assert.deepEqual(withName('Greyson'), withName('Mr. Greyson'));
  assert.deepEqual(withName('Dr. Archie'), withName('Dr. Howard Archie'));
  assert.notDeepEqual(withName('Morel'), withName('Mrs. Morel'));
});

test('a one-gender given name decides a gender the pronouns do not show, nicknames included', () => {
  const text = [
    'Alice and Gregory met Liz and Alex at the station.',
    'Alice carried the bags. Gregory bought the tickets. Liz found the platform. Alex read the board.',
  ].join('\n\n');
  const gender = new Map(analyzeText(text).characters.map((c) => [c.name, c.gender]));
  assert.equal(gender.get('Alice'), 'female');
  assert.equal(gender.get('Gregory'), 'male');
  assert.equal(gender.get('Liz'), 'female'); // Elizabeth's nickname
  assert.equal(gender.get('Alex'), 'unknown'); // a name used for both is left to the pronouns
});

test('pronouns that clearly say otherwise outweigh a given name', () => {
  const text = [
    'Evelyn came home late. He was tired.',
    'Evelyn took off his coat. He sat down. Evelyn poured himself a drink, and he drank it.',
    'Evelyn slept. He dreamt of the sea.',
  ].join('\n\n');
  const evelyn = analyzeText(text).characters.find((c) => c.name === 'Evelyn');
  assert.equal(evelyn?.gender, 'male');
});

test('a word never used without "the" names a ship or a place, not a person; a title after "the" still does', () => {
  const ferry = [
    'The ferry had left Penhallow at six. By seven the Marigold was an hour late, and Nell Carver stood at the rail.',
    '"We\'ll miss the tide," said Luke.',
    '"The Marigold always misses the tide." Nell laughed. "The Marigold is slow."',
  ].join('\n\n');
  const names = analyzeText(ferry).characters.map((c) => c.name);
  assert.deepEqual(names, ['Nell Carver', 'Luke']);
  const castle = [
    'The Count stood at the window. Jonathan watched the Count turn and smile.',
    '"Welcome to my house," said the Count.',
    '"Thank you," Jonathan said.',
  ].join('\n\n');
  assert.deepEqual(
    analyzeText(castle).quotes.map((q) => q.speaker),
    ['Count', 'Jonathan'],
  );
});

test('a first name and its nickname, each alone, are one character ("Theodore" and Theo)', () => {
  const text = [
    'Theo came in late, shaking rain off his coat. Theo always came in late.',
    '"Theodore, stop slouching," said Mrs. Adeyemi.',
    '"Nobody calls me Theodore," said Theo.',
  ].join('\n\n');
  const theo = analyzeText(text).characters.filter((c) => c.name === 'Theo' || c.name === 'Theodore');
  assert.equal(theo.length, 1);
  assert.deepEqual(theo[0]!.aliases, ['Theodore']);
});

test('a bare surname joins "Mr. Temple", not a daughter "Charlotte Temple", whose given name says she is a woman', () => {
  const text = [
    'Charlotte Temple sat by the window. Charlotte was sixteen.',
    'Mr. Temple came home late. Temple was a kind man, and Temple loved his daughter.',
    '"You are late," said Charlotte. "I am," said Temple.',
  ].join('\n\n');
  const chars = analyzeText(text).characters;
  const withName = (n: string) => chars.filter((c) => c.name === n || c.aliases.includes(n));
  assert.equal(withName('Temple').length, 1);
  assert.deepEqual(withName('Temple'), withName('Mr. Temple'));
  assert.notDeepEqual(withName('Mr. Temple'), withName('Charlotte Temple'));
  assert.equal(withName('Charlotte Temple')[0]?.gender, 'female');
});

test('a given name heard only in calls is a character (the narrator others call by name); a greeting is not', () => {
  const text = [
    'I sat in the window seat with my book, and my aunt came in.',
    '"Jane, put that book away," said my aunt. "Sit with the others."',
    '"Why must I?" I asked.',
    '"Well, dear, because I say so."',
  ].join('\n\n');
  const names = analyzeText(text).characters.map((c) => c.name);
  assert.ok(names.includes('Jane'), names.join(', '));
  assert.ok(!names.includes('Well'), names.join(', '));
});

test('"Mrs. Newland Archer" is Newland Archer\'s wife, not him; "Mrs. Sarah Hale" is Sarah Hale', () => {
  // a given name the lexicon does not know: the title alone must not make Newland a woman
  const text = [
    'Ellen ran to meet Newland Archer, and he shook the rain from his coat. "Late again," said Newland Archer.',
    'Behind him came Mrs. Newland Archer, and she kissed her mother.',
    "Ellen greeted Sarah Hale at the door. Mrs. Sarah Hale was the vicar's wife, and she smiled.",
  ].join('\n\n');
  const a = analyzeText(text);
  const listed = castOf(a);
  const newland = a.characters.find((c) => c.name === 'Newland Archer');
  assert.equal(newland?.gender, 'male', listed);
  assert.ok(!newland.aliases.includes('Mrs. Newland Archer'), listed);
  assert.ok(
    a.characters.some((c) => c.name === 'Mrs. Newland Archer' && c.gender === 'female'),
    listed,
  );
  assert.ok(a.characters.find((c) => c.name === 'Sarah Hale')?.aliases.includes('Mrs. Sarah Hale'), listed);
  // "Lady" is a title of her own, not a wife's: Lady Ysolde Marsh is Ysolde Marsh, whatever her given name
  const lady = analyzeText(
    'The rain stopped when Ysolde Marsh rode in, and she dismounted. "Welcome," said Lady Ysolde Marsh, and she smiled. Ysolde Marsh laughed.',
  );
  assert.ok(lady.characters.find((c) => c.name === 'Ysolde Marsh')?.aliases.includes('Lady Ysolde Marsh'), castOf(lady));
});

test('a chapter\'s title is not read for names: "Stubb Kills a Whale" is a heading', () => {
  const text = [
    'CHAPTER 61. Stubb Kills a Whale.',
    'Stubb leaned over the side, and he watched the water. "There she blows!" cried Stubb.',
    'Flask Goes Aloft',
    'Flask climbed the mast. "Nothing yet," said Flask.',
  ].join('\n\n');
  const names = analyzeText(text).characters.flatMap((c) => [c.name, ...c.aliases]);
  assert.ok(names.includes('Stubb') && names.includes('Flask'), names.join(', '));
  for (const heading of ['Stubb Kills', 'Whale', 'Flask Goes', 'Goes Aloft', 'Aloft'])
    assert.ok(!names.includes(heading), `${heading} in ${names.join(', ')}`);
});

test('archaic address is not part of a name: "O Jonah", "Thou Bildad"', () => {
  const text =
    'Father Mapple raised his hands. "O Jonah, where art thou?" he cried. Jonah slept. "Thou Bildad, hear me," said Peleg, and Bildad turned.';
  const names = analyzeText(text).characters.flatMap((c) => [c.name, ...c.aliases]);
  assert.ok(!names.some((n) => /^(?:O|Thou) /.test(n)), names.join(', '));
});

test('"Mrs. Bennet" is not the daughter the text calls Miss; "Miss Bennet" beside two Bennet sisters joins neither', () => {
  const text = [
    'Elizabeth Bennet walked in, and she smiled at her father. "My dear Mr. Bennet," said Mrs. Bennet, "have you heard?"',
    'Mr. Bennet replied that he had not. Elizabeth laughed, and Miss Elizabeth Bennet sat down by Jane Bennet.',
    'Jane Bennet blushed, and she looked at Elizabeth. Miss Bennet was the eldest. Mrs. Bennet sighed.',
  ].join('\n\n');
  const a = analyzeText(text);
  const listed = castOf(a);
  const lizzy = a.characters.find((c) => c.name === 'Elizabeth Bennet');
  assert.ok(lizzy !== undefined, listed);
  assert.ok(!lizzy.aliases.includes('Mrs. Bennet'), listed);
  assert.ok(!lizzy.aliases.includes('Miss Bennet'), listed);
  assert.ok(
    a.characters.some((c) => c.name === 'Mrs. Bennet'),
    listed,
  );
});

test('a given name opening a sentence before a surname is part of the name ("Ginny Weasley came up")', () => {
  const text = [
    'Ron Weasley appeared at the end of the aisle. "Harry! There you are," said Ron.',
    'Ginny Weasley came up behind her brother and rolled her eyes. "Honestly, Ron, he will not bite."',
    '"He might," said Ron.',
  ].join('\n\n');
  const a = analyzeText(text);
  const listed = castOf(a);
  assert.ok(
    a.characters.some((c) => c.name === 'Ginny Weasley'),
    listed,
  );
  assert.equal(a.quotes[1]!.speaker, 'Ginny Weasley');
});

test('"Mrs. Weasley" stays apart from the one Weasley woman named in full: a wife\'s title does not say which woman she is', () => {
  const text = [
    'Ginny Weasley came up behind her brother and rolled her eyes. "Honestly, Ron," she said.',
    'Ron Weasley laughed. Ginny was already gone.',
    'Mrs. Weasley wrote that evening. Mrs. Weasley wanted them all home for Christmas.',
  ].join('\n\n');
  const a = analyzeText(text);
  const listed = castOf(a);
  // the given name opening the first sentence is part of the name, not a sentence's capital
  const ginny = a.characters.find((c) => c.name === 'Ginny Weasley');
  assert.ok(ginny !== undefined, listed);
  assert.ok(!ginny.aliases.includes('Mrs. Weasley'), listed);
  assert.ok(
    a.characters.some((c) => c.name === 'Mrs. Weasley'),
    listed,
  );
});

test('"Mr. Knightley" beside "Mr. John Knightley" is the elder brother, not John', () => {
  const text = [
    'Mr. Knightley came in, and he sat down by the fire. "Good morning," said Mr. John Knightley.',
    'Emma smiled at Mr. Knightley. John Knightley laughed, and he took his hat.',
  ].join('\n\n');
  const a = analyzeText(text);
  const listed = castOf(a);
  assert.ok(
    a.characters.some((c) => c.name === 'Mr. Knightley'),
    listed,
  );
  assert.ok(!a.characters.find((c) => c.name === 'John Knightley')?.aliases.includes('Mr. Knightley'), listed);
});

test('a bare title ("the English Captain") is the one character who bears it, and stays apart beside two', () => {
  const one = [
    '"Hast seen the White Whale?" cried Ahab. The English Captain held up his arm.',
    '"This is Captain Boomer," said Bunger. "See you this?" said the Captain, and Ahab nodded.',
  ].join('\n\n');
  const a = analyzeText(one);
  assert.ok(a.characters.find((c) => c.name === 'Captain Boomer')?.aliases.includes('Captain'), castOf(a));
  assert.ok(!a.characters.some((c) => c.name === 'Captain'), castOf(a));
  // a rank before the title ("a Post Captain") is no full name for "Captain" to join as its surname
  const ranked = analyzeText(one.replace('held up his arm.', 'held up his arm; he had been a Post Captain once.'));
  assert.ok(ranked.characters.find((c) => c.name === 'Captain Boomer')?.aliases.includes('Captain'), castOf(ranked));
  const two = one.replace('"Hast seen', 'Captain Ahab looked over. "Hast seen');
  const b = analyzeText(two);
  assert.ok(!b.characters.some((c) => c.aliases.includes('Captain')), castOf(b));
});

test('a phrase opened by a place word ("Cape Horn") or closed by a plural one ("… Companies") is a place; "Rebecca West" and "Jeremy Banks" are people', () => {
  const text = [
    'Rebecca West had sailed round Cape Horn twice, and she had wintered in New Zealand.',
    '"Cape Horn is nothing," said Rebecca West. Cape Horn was behind them. New Zealand lay ahead, and Lake Taupo.',
    'Jeremy Banks had paid the Life Insurance Companies, and he laughed. "Twice," said Jeremy Banks.',
  ].join('\n\n');
  const names = analyzeText(text).characters.flatMap((c) => [c.name, ...c.aliases]);
  for (const person of ['Rebecca West', 'Jeremy Banks']) assert.ok(names.includes(person), `${person} not in ${names.join(', ')}`);
  for (const place of ['Cape Horn', 'New Zealand', 'Lake Taupo', 'Life Insurance Companies'])
    assert.ok(!names.includes(place), `${place} in ${names.join(', ')}`);
});

test('a given name after "to" and "of" is still a person: "obedient to John" is John Reed', () => {
  const text = [
    'The voice of John Reed rang out, and Eliza ran to John Reed at once.',
    'John had no affection for me. Habitually obedient to John, I came up to his chair.',
  ].join('\n\n');
  const john = analyzeText(text).characters.find((c) => c.name === 'John Reed');
  assert.ok(john?.aliases.includes('John'), JSON.stringify(john));
});

test('a known given name used twice, once inside a sentence, is a character in a language whose verbs are not read', () => {
  const text = [
    'Det snöade över hamnen. Lena stod vid fönstret när Johan kom in.',
    '”Är du kall?” frågade Johan.',
    '”Lite”, svarade Lena.',
  ].join('\n\n');
  assert.ok(analyzeText(text).characters.some((c) => c.name === 'Lena'));
});

/** Looks up, in the cast of `text`, the character a name or alias belongs to. */
function characterCalled(text: string): (name: string) => string | undefined {
  const cast = analyzeText(text).characters;
  return (name) => cast.find((c) => c.name === name || c.aliases.includes(name))?.name;
}

test('a pet form of a given name ("Stevie", "Buck" for Bucky) is that character; "Emily" is not "Emil"', () => {
  const text = [
    'Steve Rogers stood at the stove. Bucky Barnes came in with the quilt round his shoulders.',
    '"Stevie. There\'s smoke," Bucky said.',
    '"That\'s steam, Buck," Steve said.',
    'Emil Novak and Emily Shaw were already at the table. Emil laughed, and Emily rolled her eyes.',
  ].join('\n\n');
  const of = characterCalled(text);
  assert.equal(of('Stevie'), 'Steve Rogers');
  assert.equal(of('Buck'), 'Bucky Barnes');
  assert.notEqual(of('Emily'), of('Emil'));
});

test('a given name cut short ("Nat." for Natasha) is that character, but not across genders', () => {
  const text = [
    'Natasha Romanoff strolled in with a bag of bagels. Natasha dropped it on the table.',
    '"Nat." Steve crossed the kitchen to hug her.',
    'Samantha Reed and Sam Okafor sat by the window. Sam waved, and Samantha ignored him.',
  ].join('\n\n');
  const of = characterCalled(text);
  assert.equal(of('Nat'), 'Natasha Romanoff');
  assert.notEqual(of('Sam'), of('Samantha'));
});

test('an initial belongs to the name it opens ("J. Smith", "M. Poirot"), and "I." is no initial', () => {
  const text = [
    'J. Smith and M. Poirot came in together.',
    '"Hello," said J. Smith.',
    '"Good day," said M. Poirot.',
    '"Yes," said Poirot, and Smith nodded.',
    '"It was not I. Smith did it," said Poirot.',
  ].join('\n\n');
  const called = characterCalled(text);
  assert.equal(called('Smith'), 'J. Smith');
  assert.equal(called('Poirot'), 'M. Poirot');
  const names = analyzeText(text).characters.map((c) => c.name);
  assert.ok(!names.includes('J') && !names.includes('M') && !names.some((n) => n.startsWith('I.')), names.join(', '));
});

test('"Mr. Hale" is not "Tom Hale" when one sentence names them both, and is him otherwise', () => {
  const apart = ['Tom Hale stood by the gate with old Mr. Hale.', '"Go where?" said Mr. Hale.', '"To the fair," said Tom Hale.'].join(
    '\n\n',
  );
  assert.equal(characterCalled(apart)('Mr. Hale'), 'Mr. Hale');
  const one = ['Tom Hale stood by the gate.', '"Go where?" said Mr. Hale.', '"To the fair," said Tom Hale.'].join('\n\n');
  assert.equal(characterCalled(one)('Mr. Hale'), 'Tom Hale');
});
