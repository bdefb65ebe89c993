// A small emotion lexicon written for Fanfold (MIT licence, like the project). It does not copy
// NRC EmoLex or any other lexicon with a non-commercial licence; the words were chosen by hand
// from everyday English, with an eye on fan fiction's vocabulary. Each word maps to one emotion.
import { wordSet } from './words.ts';

export type EmotionName = 'joy' | 'love' | 'trust' | 'surprise' | 'sadness' | 'anger' | 'fear' | 'disgust';

const LISTS: Record<EmotionName, string> = {
  joy: `happy happily happier happiest happiness joy joyful joyfully joyous glad gladly delighted delight
    delightful cheerful cheerfully cheer cheered smile smiled smiles smiling grin grinned grinning laugh
    laughed laughing laughter giggle giggled giggling chuckle chuckled bliss blissful blissfully wonderful
    beautiful lovely perfect fun funny excited exciting excitement thrilled elated ecstatic playful playfully
    bright brightened brightly pleased pleasure content contented celebrate celebrated celebration proud
    amazing awesome fantastic great good best enjoy enjoyed relaxed relief relieved free lucky triumph
    warm warmth sunshine glowing glow beaming radiant`,
  love: `love loved loves loving lovingly lover kiss kissed kisses kissing tender tenderly gentle gently
    softly sweet sweetly sweetheart darling adore adored adoring affection affectionate cuddle cuddled
    cuddling embrace embraced embracing caress caressed passion passionate passionately romantic romance
    cherish cherished devoted intimate hug hugged hugging snuggled heart hearts`,
  trust: `safe safely safety trust trusted trusting strong strength strengthen courage brave comfort
    comforted comforting comfortable protect protected protective protectively support supported
    supporting supportive together care cared caring hope hoped hopeful hopefully peace peaceful peacefully
    calm calmly calmed grateful gratitude thank thanks thankful forgive forgave forgiven faith loyal
    honest friend friends friendship reassure reassured reassuring steady heal healed healing promise
    promised okay fine survive`,
  surprise: `surprise surprised surprising suddenly sudden amazed astonished astonishment stunned startled
    unexpected unexpectedly gasp gasped wide`,
  sadness: `sad sadly sadness sorrow sorrowful grief grieve grieved grieving mourn mourned mourning cry
    cried cries crying tears tear teary sob sobs sobbed sobbing weep wept weeping broken heartbroken
    heartbreak lonely loneliness alone loss lost miss missed missing despair hopeless hopelessly goodbye
    dead death died die dies dying funeral morgue grave pain painful hurt hurting suffer suffered
    suffering regret regretted guilt guilty selfish sorry miserable misery depressed depression gloomy
    empty numb emotionless silent silence tired exhausted weary lifeless mothers heaviness weight
    overwhelm overwhelmed useless pieces apart`,
  anger: `angry angrily anger rage raged furious furiously mad hate hated hatred shout shouted shouting
    scream screamed screaming yell yelled yelling snapped snap glare glared glaring annoyed annoying
    irritated irritation bitter bitterly resent resentment hostile fury frustrated frustration outraged
    damn hell rejection slammed growl growled`,
  fear: `afraid fear feared fearful scared terrified terror panic panicked worried worry worrying anxious
    anxiety nervous nervously dread dreaded horror horrified suspicious shock shocked trembling trembled
    shaking shook danger dangerous risk threat threatened frightened fright alarm alarmed uneasy tense
    helpless desperate desperately`,
  disgust: `disgust disgusted disgusting sick sickening gross revolting vile nasty repulsed repulsive
    nauseous loathe loathing`,
};

const POSITIVE: ReadonlySet<EmotionName> = new Set(['joy', 'love', 'trust']);
const NEGATIVE: ReadonlySet<EmotionName> = new Set(['sadness', 'anger', 'fear', 'disgust']);

/** Word → emotion index (into EMOTION_NAMES). */
export const EMOTION_OF: ReadonlyMap<string, number> = (() => {
  const map = new Map<string, number>();
  EMOTION_NAMES_LIST().forEach((name, i) => {
    for (const w of wordSet(LISTS[name])) if (!map.has(w)) map.set(w, i);
  });
  return map;
})();

/** Emotion names in index order. */
export const EMOTION_NAMES: readonly EmotionName[] = EMOTION_NAMES_LIST();

/** Valence of each emotion index: +1, -1 or 0. */
export const EMOTION_VALENCE: readonly number[] = EMOTION_NAMES.map((e) => (POSITIVE.has(e) ? 1 : NEGATIVE.has(e) ? -1 : 0));

function EMOTION_NAMES_LIST(): EmotionName[] {
  return ['joy', 'love', 'trust', 'surprise', 'sadness', 'anger', 'fear', 'disgust'];
}

/** Words that flip the valence of an emotion word that follows closely. */
export const NEGATORS = wordSet(
  `not no never nothing without nobody none cannot can't don't didn't doesn't isn't wasn't won't wouldn't couldn't shouldn't hardly`,
);
