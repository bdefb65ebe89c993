// Cue words for relationships, written for Fanfold (MIT). Matched on lower-cased sentences.

/** Romantic or sexual closeness. */
export const ROMANCE_CUES =
  /\b(?:kiss(?:ed|es|ing)?|lips|i love you|in love|lovers?|made love|making love|embrac(?:e|ed|ing)|caress(?:ed|ing)?|cuddl(?:e|ed|ing)|boyfriend|girlfriend|fianc[eé]e?|flirt(?:ed|ing)?|blush(?:ed|ing)?|passion(?:ate|ately)?|intimate|romantic|sweetheart|darling|date|dating|wedding|married|marry)\b/;

/**
 * Holding hands: "took Harry's hand", "squeezed her hand", "their fingers laced". Between two people
 * a scene keeps together it is how a quiet romance shows itself; a hand held out or up, or shaken,
 * is a gesture and not counted.
 */
export const HAND_HOLDING =
  /\b(?:(?:took|take|takes|taking|caught|catch(?:es|ing)?|squeez(?:e|ed|es|ing)|clasp(?:ed|s|ing)?|held|hold(?:s|ing)?|press(?:ed|ing)) (?:his|her|their|[a-z]+['’]s) hands?\b(?! (?:out|up|back|away|over|forward|towards?|in greeting|to (?:shake|stop|silence|steady|help))\b)|(?:held|holding|hold) hands|hand in hand|fingers (?:laced|intertwined|entwined|twined)|(?:lac|intertwin|entwin|twin)(?:ed|ing) (?:their|his|her) fingers)/;

/** Physical closeness and comfort, romantic or not. */
export const CLOSENESS_CUES =
  /\b(?:hug(?:ged|s|ging)?|held|hold(?:s|ing)?|arms? around|in (?:his|her|their) arms|hand in|touch(?:ed|ing)?|strok(?:e|ed|ing)|comfort(?:ed|ing|s)?|consol(?:e|ed|ing)|cradl(?:e|ed|ing)|lean(?:ed|ing)? (?:on|against)|next to|close to|shoulder|pulled (?:her|him)|wrapp(?:ed|ing)|snuggl(?:e|ed|ing)|tuck(?:ed|ing)|brush(?:ed|ing)|stepped closer|by (?:his|her) side)\b/;

/** Hostility. */
export const CONFLICT_CUES =
  /\b(?:angry|anger|furious|fury|rage|raged|shout(?:ed|ing)? at|yell(?:ed|ing)? at|scream(?:ed|ing)? (?:at|into)|slap(?:ped)?|punch(?:ed)?|hit (?:him|her)|fought|fight(?:ing)? with|glar(?:e|ed|ing)|hate[sd]?|hatred|threat(?:en|ened|s)?|attack(?:ed)?|betray(?:ed|al)?|argu(?:e|ed|ing)|argument|insult(?:ed)?|shov(?:e|ed)|snapped (?:his|her) neck|rejection)\b/;

/** Family words used to address someone ("Alright, brother."). */
export const FAMILY_VOCATIVE =
  /(?:^|[,.!?]\s*)(brother|bro|sister|sis|mom|mum|mommy|mama|dad|daddy|papa|pop|father|mother|son|daughter|grandma|grandpa|uncle|aunt|auntie|cousin)(?=\s*[,.!?\u2026-]|$)/i;
