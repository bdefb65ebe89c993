import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { proposeAdditionalTags } from './additional-tags.ts';
import { analyzeText } from './index.ts';

function tagsOf(text: string) {
  const a = analyzeText(text);
  const proposals = proposeAdditionalTags({
    text: a.structure.plain,
    language: a.language,
    sentences: a.structure.sentences,
    arc: a.arc,
    relationships: a.relationships,
    warnings: a.warnings,
    characterCount: a.characters.filter((c) => c.role !== 'mentioned').length,
  });
  return { proposals, text: a.structure.plain, language: a.language };
}

const GRIEF = [
  'The funeral was on a grey Tuesday. Mara stood by the grave and could not stop shaking.',
  'Theo held her close while she cried. "It is okay," Theo whispered. "I am here."',
  'For weeks Mara grieved. She missed her so much that the house felt empty and she wept at night.',
  'Theo comforted her every evening, and his arms around her were the only warm thing left.',
  'Her grief did not fade. She mourned her mother through the whole winter, numb and lonely.',
].join('\n\n');

describe('proposeAdditionalTags', () => {
  it('proposes Grief and Hurt/Comfort with the sentences behind them', () => {
    const { proposals, text } = tagsOf(GRIEF);
    const grief = proposals.find((p) => p.tag === 'Grief');
    assert.ok(grief, JSON.stringify(proposals.map((p) => p.tag)));
    assert.ok(grief.confidence > 0 && grief.confidence < 1);
    assert.ok(grief.evidence.length >= 2 && grief.evidence.length <= 3);
    assert.ok(grief.evidence.some((e) => /funeral|grave|grieved|mourned/.test(text.slice(e.start, e.end))));
    const hc = proposals.find((p) => p.tag === 'Hurt/Comfort');
    assert.ok(hc, JSON.stringify(proposals.map((p) => p.tag)));
    assert.ok(hc.evidence.some((e) => /held her|comforted|arms around/.test(text.slice(e.start, e.end))));
  });

  it('proposes nothing for a text in another language, even with English-looking words', () => {
    const german = [
      'Die Beerdigung war an einem grauen Dienstag. Mara stand am Grab und konnte nicht aufhören zu zittern.',
      'Theo hielt sie fest, während sie weinte. „Es ist okay“, flüsterte Theo. „Ich bin hier.“',
      'Wochenlang trauerte Mara. Sie vermisste ihre Mutter so sehr, dass das Haus leer wirkte, und sie weinte nachts.',
      'Theo tröstete sie jeden Abend, und seine Arme um sie waren das einzige Warme, das blieb. Sie war so sad, so lonely, so numb.',
    ].join('\n\n');
    const { proposals, language } = tagsOf(german);
    assert.equal(language, 'de');
    assert.deepEqual(proposals, []);
  });

  it('stays quiet on a calm text without cues', () => {
    const { proposals } = tagsOf(
      'Nora walked to the market and bought apples. Nora paid the grocer and went home. The road was long and the afternoon was quiet.',
    );
    assert.deepEqual(proposals, []);
  });

  it('reads laughter in a light story as Humor, not Angst', () => {
    const text = [
      'Pip laughed so hard she snorted tea. "That joke was terrible," Jun said, grinning.',
      'Jun teased her about the tea for the rest of the day, and Pip giggled every time.',
      '"You are ridiculous," Pip said, and she rolled her eyes, laughing. Jun smirked and told another joke.',
      'By evening they were both giggling at nothing. It was the happiest, silliest afternoon, warm and sweet.',
    ].join('\n\n');
    const tags = tagsOf(text).proposals.map((p) => p.tag);
    assert.ok(tags.includes('Humor'), JSON.stringify(tags));
    assert.ok(!tags.includes('Angst'));
    assert.ok(!tags.includes('Grief'));
  });
});
