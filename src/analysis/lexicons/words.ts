// Hand-written word lists used by the name finder and the speaker rules.
// Written for Fanfold (MIT, like the rest of the project); no third-party lexicon.

/** Builds a Set from a whitespace-separated word list. */
export function wordSet(list: string): Set<string> {
  return new Set(list.split(/\s+/).filter((w) => w.length > 0));
}

/**
 * Lower-cased words that are never a character's name on their own, even when capitalised:
 * function words, pronouns, modals, interjections, sentence-opening adverbs, calendar words.
 */
export const NOT_NAMES = wordSet(`
a an the o thou thee thy thine ye this that these those there here it its it's itself i i'm i'd i'll i've ill im id ive
me my mine myself we us our ours ourselves you your yours yourself yourselves he him his himself
she her hers herself they them their theirs themselves one ones someone somebody something
anyone anybody anything everyone everybody everything noone nobody nothing none no yes yeah yep
nope not and or but nor so yet for of in on at to from by with without within into onto upon
about above across after against along among around as before behind below beneath beside
besides between beyond during except inside near off out outside over past since through
throughout till toward towards under underneath until unto up via when whenever where wherever
while whilst why how what whatever which whichever who whom whose whoever if unless though
although because since once then than thus therefore hence however moreover meanwhile otherwise
instead still also too very really just only even ever never always often sometimes maybe perhaps
probably possibly certainly surely of course be am is are was were been being have has had having
do does did doing done will would shall should can could may might must ought wont won't cant
can't dont don't didnt didn't doesnt doesn't isnt isn't wasnt wasn't arent aren't werent weren't
couldnt couldn't wouldnt wouldn't shouldnt shouldn't hasnt hasn't havent haven't hadnt hadn't
lets let's let oh ohh ah ahh aha uh um umm hmm hm huh hey hi hello bye goodbye goodnight ok okay
alright allright well wow whoa oops ouch yay ugh er erm eh oi ha haha hah heh please thanks thank
sorry pardon excuse welcome congratulations cheers damn dammit god gosh jeez geez hell shit fuck
christ lord jesus good great fine perfect right wrong sure true exactly absolutely definitely
indeed agreed fine whatever nevermind anyway anyways anyhow besides eventually finally slowly
quickly suddenly soon later now today tonight tomorrow yesterday morning evening night afternoon
again first second third last next another other others each every all both either neither few
many much more most less least some several such same own whole half any
monday tuesday wednesday thursday friday saturday sunday january february march april june july
august september october november december christmas easter
chapter part book prologue epilogue scene note author's an author disclaimer summary end
mr mrs ms miss dr sir madam ma'am mister
english french german american british italian spanish russian chinese japanese irish scottish
welsh european african indian
did do dear darling honey sweetheart babe baby love
listen look wait stop come go get see tell say said ask
quite alas tis twas indeed aye nay yea hush hurrah hurray bravo amen farewell adieu
zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
sixteen seventeen eighteen nineteen twenty thirty forty fifty hundred thousand million
got seen reach content glory tragedy comedy
`);

/** Courtesy titles and ranks that introduce a name; the value is the gender they imply. */
export const HONORIFICS: ReadonlyMap<string, 'female' | 'male' | 'unknown'> = new Map([
  ['mr', 'male'],
  ['mister', 'male'],
  ['sir', 'male'],
  ['lord', 'male'],
  ['master', 'male'],
  ['monsieur', 'male'],
  ['herr', 'male'],
  ['señor', 'male'],
  ['signor', 'male'],
  ['king', 'male'],
  ['prince', 'male'],
  ['duke', 'male'],
  ['count', 'male'],
  ['baron', 'male'],
  ['earl', 'male'],
  ['uncle', 'male'],
  ['brother', 'male'],
  ['father', 'male'],
  ['squire', 'male'],
  ['mrs', 'female'],
  ['ms', 'female'],
  ['miss', 'female'],
  ['madam', 'female'],
  ['madame', 'female'],
  ['mme', 'female'],
  ['mlle', 'female'],
  ['mademoiselle', 'female'],
  ['lady', 'female'],
  ['dame', 'female'],
  ['queen', 'female'],
  ['princess', 'female'],
  ['duchess', 'female'],
  ['countess', 'female'],
  ['baroness', 'female'],
  ['aunt', 'female'],
  ['auntie', 'female'],
  ['sister', 'female'],
  ['mother', 'female'],
  ['mistress', 'female'],
  ['frau', 'female'],
  ['señora', 'female'],
  ['signora', 'female'],
  ['dr', 'unknown'],
  ['doctor', 'unknown'],
  ['professor', 'unknown'],
  ['prof', 'unknown'],
  ['captain', 'unknown'],
  ['capt', 'unknown'],
  ['colonel', 'unknown'],
  ['col', 'unknown'],
  ['major', 'unknown'],
  ['general', 'unknown'],
  ['lieutenant', 'unknown'],
  ['lt', 'unknown'],
  ['sergeant', 'unknown'],
  ['sgt', 'unknown'],
  ['corporal', 'unknown'],
  ['private', 'unknown'],
  ['admiral', 'unknown'],
  ['commander', 'unknown'],
  ['reverend', 'unknown'],
  ['rev', 'unknown'],
  ['father', 'male'],
  ['detective', 'unknown'],
  ['inspector', 'unknown'],
  ['officer', 'unknown'],
  ['agent', 'unknown'],
  ['sheriff', 'unknown'],
  ['deputy', 'unknown'],
  ['judge', 'unknown'],
  ['nurse', 'unknown'],
  ['senator', 'unknown'],
  ['president', 'unknown'],
  ['governor', 'unknown'],
  ['mayor', 'unknown'],
  ['coach', 'unknown'],
  ['saint', 'unknown'],
]);

/** A name's first word as titles are written above: lower-cased, without its dot ("Mr. Darcy" → "mr"). */
export function leadingWord(name: string): string {
  const space = name.search(/\s/);
  return (space < 0 ? name : name.slice(0, space)).replace(/\.$/, '').toLowerCase();
}

/** Last words that make a capitalised phrase a place or an institution, not a person. */
export const PLACE_HEADS = wordSet(`
street st road rd avenue ave lane square place park hill hills mountain mountains mount river
lake sea ocean bay island islands valley forest wood woods field fields bridge hall house manor
castle palace tower church chapel cathedral abbey school college university academy hospital
station inn hotel tavern pub cafe restaurant bar club office bank court gardens garden city town
village county falls street country state kingdom empire republic hotel market shop store
building center centre museum library theatre theater prison jail farm ranch mill harbour harbor
port point beach coast desert cliffs gate gates row terrace heights common green downs moor
channel strait canal company society army navy department police ministry council
`);

/** Prepositions that put the following capitalised phrase in a place-like slot. */
export const PLACE_PREPOSITIONS = wordSet(`in at from to into near towards toward through across via around within outside inside`);

/** Verbs of speaking (past tense, present tense and participle forms). */
export const SPEECH_VERBS = wordSet(`
said says say saying asked asks ask asking replied replies reply replying answered answers answer
whispered whispers whisper whispering shouted shouts shout shouting yelled yells yell yelling
screamed screams scream screaming cried cries cry crying called calls call calling muttered
mutters mutter muttering murmured murmurs murmur murmuring mumbled mumbles mumble mumbling
exclaimed exclaims exclaim added adds add continued continues continue went began begins begin
snapped snaps snap growled growls growl hissed hisses hiss sighed sighs sigh laughed laughs laugh
giggled giggles chuckled chuckles sobbed sobs sob stammered stammers stuttered stutters
interrupted interrupts interrupt insisted insists insist demanded demands demand pleaded pleads
begged begs suggested suggests offered offers agreed agrees protested protests objected objects
declared declares announced announces admitted admits confessed confesses explained explains
observed observes remarked remarks repeated repeats responded responds retorted retorts
returned rejoined breathed breathes groaned groans moaned moans grumbled grumbles grunted grunts
barked barks roared roars bellowed bellows shrieked shrieks squealed squeals wailed wails
whimpered whimpers gasped gasps panted pants stuttered teased teases joked jokes mocked mocks
snarled snarls spoke speaks told tells tell inquired inquires enquired enquires queried
questioned concluded concludes cut corrected corrects warned warns promised promises ordered
orders commanded commands noted notes mused muses wondered wonders thought thinks think
echoed echoes urged urges assured assures reminded reminds replied sang sings called uttered
remarking observing exclaiming adding replying answering whispering murmuring muttering calling
shouting crying asking saying continuing explaining insisting protesting beginning interrupting
broke rejoined ejaculated vociferated drawled lisped faltered blurted burst chimed piped quoth commented jeered
bawled hollered expostulated remonstrated asserted opined soothed coaxed crooned acquiesced
sneered scoffed hinted intimated persisted pursued resumed ventured volunteered whined quavered
cooed sputtered spluttered stormed thundered interposed addressed advised instructed cautioned
admonished implored entreated conceded acknowledged assented affirmed averred scolded apologized
apologised greeted reasoned counselled stated
`);

/** Nouns whose possessor is the speaker when they open an action beat ("Caroline's voice shook"). */
export const VOICE_NOUNS = wordSet(
  `voice voices tone words reply answer whisper shout scream cry sobs sob laugh laughter lips mouth response question advice remark retort rejoinder greeting comment`,
);

/** Person nouns that can head a nominal speaker mention ("the old man said"). */
export const PERSON_NOUNS = wordSet(`
man woman men women boy girl lady gentleman stranger child kid baby youth lad lass fellow guy
officer soldier captain doctor nurse teacher professor student servant maid butler driver
clerk king queen prince princess duke duchess lord knight priest monk nun old young other
landlord landlady host hostess guest visitor mother father brother sister aunt uncle son
daughter wife husband friend cousin voice figure old-timer sailor farmer boatman
parson vicar rector curate pastor minister bishop cardinal pope abbot abbess squire
pedestrian traveller traveler rider horseman coachman footman waiter waitress cook
housekeeper governess nursemaid gardener porter keeper shepherd hunter fisherman
merchant shopkeeper peddler pedlar beggar thief robber prisoner guard sentinel sentry
colonel major general lieutenant sergeant corporal commander admiral mate skipper
boatswain pilot judge lawyer attorney solicitor magistrate constable policeman detective
inspector agent spy chief leader master mistress lady gentlemen ladies girls boys
blond blonde brunet brunette redhead witch wizard
children infant lad youngster elder stranger newcomer intruder wanderer widow widower
bride groom maiden damsel lover sweetheart companion comrade neighbour neighbor
villager peasant native savage warrior chief chieftain emperor empress king queen count
countess baron baroness earl marquis novice scholar pupil schoolmaster schoolmistress
tutor clergyman gentleman-farmer innkeeper landlord host barber tailor smith blacksmith
carpenter miller baker butcher grocer doctor surgeon physician patient invalid girl
creature being speaker listener narrator author reader interlocutor visitor caller
`);

/**
 * Words that introduce the speaker's own name, ending right before it ("I am Dracula", "call me
 * Ishmael", "thou art speaking to Captain Peleg", "I, Ishmael,"; "Name's Bond" only where a clause
 * begins: "his name's George" is someone else's).
 */
export const SELF_INTRODUCTION =
  /(?:(?:^|[^\p{L}'\u2019])(?:my\s+name\s+is|my\s+name['\u2019]s|i\s+am|i['\u2019]m|call\s+me|(?:you\s+are|you['\u2019]re|thou\s+art)\s+(?:speaking|talking)\s+to|i,)|(?:^|[.!?,;:\u2013\u2014-])\s*name['\u2019]s)\s+$/iu;
/** How far before a name SELF_INTRODUCTION is looked for ("thou art speaking to " is the longest form). */
export const SELF_INTRODUCTION_REACH = 24;

/** The narration's own self-introduction ("Call me Ishmael.", "I, Ishmael,"): "my name is", "call me" or "I," right before a name; a bare "I am" there is too often "I am Tom's friend". */
export const NARRATION_SELF_INTRODUCTION = /(?:^|[^\p{L}'\u2019])(?:my\s+name\s+is|my\s+name['\u2019]s|call\s+me|i,)\s+$/iu;

/** A quotation that asks for the other's name ("What is your name?", "Who are you?"). */
export const NAME_QUESTION =
  /(?:what(?:['\u2019]s|\s+is)?\s+(?:your|yer|thy)\s+name|what\s+name|who\s+are\s+(?:you|ye)\b|tell\s+(?:us|me)\s+your\s+name|your\s+name\s*[?!])/iu;
