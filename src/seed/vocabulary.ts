// Word lists for the synthetic archive: plausible fandoms, names, AO3-style additional tags
// (some with the synonyms people actually type), and words for titles and prose.

export const TOP_FANDOMS = [
  'Harry Potter - J. K. Rowling', 'Marvel Cinematic Universe', 'Supernatural', 'Sherlock (TV)', 'Star Wars - All Media Types',
  'Teen Wolf (TV)', 'Haikyuu!!', 'Boku no Hero Academia', 'The Vampire Diaries (TV)', 'Genshin Impact (Video Game)',
  'Doctor Who', 'Good Omens (TV)', 'Naruto', 'Shingeki no Kyojin', 'Stranger Things (TV 2016)', 'Hetalia: Axis Powers',
  'Percy Jackson and the Olympians', 'The Witcher (TV)', 'Critical Role (Web Series)', 'Star Trek', 'Batman - All Media Types',
  'Merlin (TV)', 'Avatar: The Last Airbender', 'Buffy the Vampire Slayer', 'The Hobbit - All Media Types', 'Pokemon - All Media Types',
  'Dragon Age (Video Games)', 'Mass Effect Trilogy', 'Hannibal (TV)', 'Supergirl (TV 2015)', 'Miraculous Ladybug', 'Jujutsu Kaisen',
  'Stargate SG-1', 'Band of Brothers', 'Pride and Prejudice - Jane Austen', 'Hamilton - Miranda', 'Final Fantasy VII', 'Voltron: Legendary Defender',
  'The Untamed (TV)', 'Heartstopper (TV)', 'Our Flag Means Death (TV)', 'The Locked Tomb Series - Tamsyn Muir', 'Hades (Video Game 2018)',
] as const;

const FANDOM_ADJECTIVES = ['Silver', 'Hollow', 'Crimson', 'Last', 'Broken', 'Quiet', 'Burning', 'Northern', 'Lost', 'Glass', 'Iron', 'Midnight', 'Wild', 'Distant', 'Golden', 'Salt', 'Paper', 'Winter', 'Hidden', 'Starlit'];
const FANDOM_NOUNS = ['Crown', 'Harbor', 'Academy', 'Frontier', 'Orchard', 'Kingdom', 'Signal', 'Library', 'Circus', 'Station', 'Archive', 'Garden', 'Tide', 'Empire', 'Lantern', 'Covenant', 'Voyage', 'Parish', 'Relay', 'Tower'];
const MEDIA_SUFFIXES = ['(TV)', '(Video Game)', '(Anime)', '- All Media Types', '(Movie)', '(Web Series)', '(Comics)', '- Novel', '(Podcast)', '(Band)'];

/** The name of the i-th fandom: real ones first, then made-up ones. */
export function fandomName(i: number): string {
  if (i < TOP_FANDOMS.length) return TOP_FANDOMS[i]!;
  const j = i - TOP_FANDOMS.length;
  const adjective = FANDOM_ADJECTIVES[j % FANDOM_ADJECTIVES.length]!;
  const noun = FANDOM_NOUNS[Math.floor(j / FANDOM_ADJECTIVES.length) % FANDOM_NOUNS.length]!;
  const suffix = MEDIA_SUFFIXES[Math.floor(j / (FANDOM_ADJECTIVES.length * FANDOM_NOUNS.length)) % MEDIA_SUFFIXES.length]!;
  const round = Math.floor(j / (FANDOM_ADJECTIVES.length * FANDOM_NOUNS.length * MEDIA_SUFFIXES.length));
  return `The ${adjective} ${noun}${round > 0 ? ` ${round + 1}` : ''} ${suffix}`;
}

export const FIRST_NAMES = [
  'Alex', 'Sam', 'Jamie', 'Morgan', 'Riley', 'Casey', 'Jordan', 'Avery', 'Quinn', 'Rowan', 'Elena', 'Stefan', 'Damon', 'Caroline', 'Bonnie',
  'Hermione', 'Draco', 'Ginny', 'Luna', 'Neville', 'Tony', 'Steve', 'Natasha', 'Bucky', 'Wanda', 'Dean', 'Castiel', 'Sherlock', 'John', 'Molly',
  'Derek', 'Stiles', 'Lydia', 'Scott', 'Hinata', 'Kageyama', 'Izuku', 'Katsuki', 'Shoto', 'Aziraphale', 'Crowley', 'Geralt', 'Jaskier', 'Yennefer',
  'Arthur', 'Merlin', 'Gwen', 'Zuko', 'Katara', 'Sokka', 'Aang', 'Kirk', 'Spock', 'Bones', 'Rey', 'Finn', 'Poe', 'Leia', 'Han', 'Anakin', 'Obi-Wan',
  'Mira', 'Tomas', 'Ines', 'Kaito', 'Yuki', 'Aiko', 'Noor', 'Ada', 'Felix', 'Iris', 'Oskar', 'Vera', 'Nico', 'Will', 'Annabeth', 'Percy',
];
export const LAST_NAMES = [
  'Forbes', 'Salvatore', 'Gilbert', 'Bennett', 'Granger', 'Malfoy', 'Weasley', 'Lovegood', 'Longbottom', 'Stark', 'Rogers', 'Romanoff', 'Barnes',
  'Winchester', 'Holmes', 'Watson', 'Hooper', 'Hale', 'Stilinski', 'Martin', 'McCall', 'Shouyou', 'Tobio', 'Midoriya', 'Bakugou', 'Todoroki',
  'Pendragon', 'Emrys', 'Rivia', 'Vengerberg', 'Okafor', 'Lindqvist', 'Moreau', 'Castellanos', 'Nakamura', 'Petrova', 'Haddad', 'Kowalski', 'Duarte',
  'Achterberg', 'Solano', 'Whitlock', 'Ashdown', 'Fairweather', 'Blackwood', 'Thorne', 'Vance', 'Kestrel', 'Marlowe', 'Sinclair', 'Ravensworth',
];

/** AO3-style additional tags, most used first; each with the variants people type for it (synonyms). */
export const FREEFORMS: ReadonlyArray<readonly [string, ...string[]]> = [
  ['Fluff', 'fluff', 'Fluffy'], ['Angst', 'angst', 'Angsty'], ['Hurt/Comfort', 'hurt/comfort', 'Hurt and Comfort'], ['Romance'], ['Alternate Universe', 'AU'],
  ['Happy Ending', 'happy ending'], ['Established Relationship'], ['Friendship'], ['Humor', 'Humour', 'crack'], ['Slow Burn', 'slow burn', 'Slowburn'],
  ['Smut'], ['First Kiss', 'first kiss'], ['Canon Compliant'], ['Enemies to Lovers', 'enemies to lovers'], ['Alternate Universe - Modern Setting', 'Modern AU'],
  ['Fix-It', 'Fix It'], ['Post-Canon'], ['Pining', 'pining'], ['Domestic Fluff'], ['Family', 'Found Family'], ['Emotional Hurt/Comfort'],
  ['Character Study'], ['Mutual Pining'], ['Minor Character Death'], ['Violence'], ['Implied Sexual Content'], ['Fluff and Angst'],
  ['Alternate Universe - Coffee Shops & Cafés', 'Coffee Shop AU'], ['Friends to Lovers', 'friends to lovers'], ['Grief/Mourning', 'Grief'],
  ['Canon Divergence', 'canon divergence'], ['Slice of Life'], ['Hurt No Comfort'], ['Getting Together'], ['Sharing a Bed', 'bed sharing'],
  ['Nightmares'], ['Protective Character'], ['Soulmates', 'Soulmate AU'], ['Time Travel', 'time travel'], ['Magic'], ['Vampires', 'vampires'],
  ['Werewolves'], ['Road Trips'], ['Holidays', 'Christmas'], ['Missing Scene'], ['Drabble', 'Drabbles'], ['Ficlet'], ['Crack Treated Seriously'],
  ['Dark', 'Dark Themes'], ['Whump', 'whump'], ['Fake/Pretend Relationship', 'Fake Dating'], ['Bodyswap'], ['Amnesia'], ['Kidfic'], ['Letters'],
  ['Epistolary'], ['Post-War'], ['Trauma'], ['Recovery'], ['Healing'], ['Rivals to Lovers'], ['Secret Identity'], ['Reunions'], ['Love Confessions'],
  ['Dancing'], ['Cooking'], ['Rain'], ['Libraries'], ['Tattoos'], ['Music'], ['Pirates'], ['Space Opera'], ['Heist'], ['Mystery'], ['Ghosts'],
  ['Summer Vacation'], ['Snow'], ['Tea'], ['Cats'], ['Dogs'], ['Dragons'], ['Royalty'], ['Fairy Tale Retelling'], ['Mythology'], ['Academia'],
];

export const TITLE_WORDS = [
  'light', 'shadow', 'home', 'winter', 'stars', 'silence', 'river', 'glass', 'ashes', 'promise', 'storm', 'morning', 'echo', 'ember', 'orbit', 'garden',
  'letters', 'bones', 'salt', 'tide', 'moon', 'ghost', 'crown', 'paper', 'thread', 'harbor', 'fire', 'rain', 'road', 'heart', 'memory', 'distance',
];
export const TITLE_PATTERNS = ['The {a} and the {b}', 'Of {a} and {b}', '{A}', 'All the {a}', 'Where the {a} Goes', 'A {A} of {B}', 'Between {a} and {b}', 'Until the {a}', 'Nothing but {a}'];

export const PROSE_WORDS = (
  'the a and of to in was she he they it that with for as on at by her his their from but not had were said would could there one ' +
  'into out back over only then like just before after again still never always even while because through under against around ' +
  'light dark night morning door window room house street city road river sea sky rain snow wind fire smoke glass stone wood paper ' +
  'hand hands eyes face voice breath heart blood skin hair mouth shoulder fingers smile laugh tears silence quiet whisper ' +
  'looked turned walked waited watched reached pulled held kept knew thought felt wanted needed remembered forgot asked answered ' +
  'slowly quietly softly suddenly finally almost already perhaps maybe nearly carefully gently barely ' +
  'cold warm bright small old young tired certain strange familiar empty heavy soft sharp broken careful ' +
  'library letter book tea kitchen table chair bed blanket coat car train station garden field forest mountain lake castle ship ' +
  'vampire wolf ghost witch dragon knight captain doctor teacher soldier friend stranger brother sister mother father'
).split(' ');
