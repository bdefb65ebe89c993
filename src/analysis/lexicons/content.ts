// Content cue phrases for the rating and archive-warning proposals, written for Fanfold (MIT).
// Matched on lower-cased sentences. Deliberately conservative: proposals only, the author decides.

/** Explicitly described sexual activity (each hit counts toward Explicit). */
export const EXPLICIT_SEX =
  /\b(?:cock|dick|penis|clit(?:oris)?|pussy|cunt|nipples?|orgasm(?:ed|s)?|climax(?:ed)?|came (?:inside|hard)|thrust(?:ed|ing|s)? (?:into|inside)|erection|aroused|arousal|moan(?:ed|ing)? (?:his|her) name|between (?:her|his) legs|spread (?:her|his) legs|fuck(?:ed|ing)? (?:her|him|me)|blowjob|handjob|cum|semen|naked bod(?:y|ies) pressed)\b/;

/** Sex implied or described without detail (Mature). */
export const IMPLIED_SEX =
  /\b(?:made love|making love|make love|had sex|have sex|having sex|slept together|sleep with (?:him|her)|pull(?:ed|ing)? off (?:the|their|his|her) (?:clothes|shirt|dress)|undress(?:ed|ing)?|naked|took off (?:his|her|their) (?:clothes|shirt|dress)|clothes (?:they|we) no longer needed|hands exploring|exploring each other|one thing led to another|into (?:his|her|the) bed(?:room)? together|lust|sexual)\b/;

/** Strong profanity (Teen and up). */
export const STRONG_PROFANITY = /\b(?:fuck(?:ing|ed|er|s)?|shit(?:ty)?|bitch(?:es)?|bastard|asshole|cunt|motherfucker)\b/;

/** Mild profanity and violence that suit Teen And Up Audiences. */
export const MILD_CONTENT =
  /\b(?:hell|damn|dammit|crap|blood(?:y)?|kill(?:ed|ing)?|dead|death|die[ds]?|dying|gun|knife|stab(?:bed)?|fight|fought|punch(?:ed)?|snapped (?:his|her) neck|vampire|grief|funeral|morgue)\b/;

/** Graphic violence: gore and injury in detail. */
export const GRAPHIC_VIOLENCE =
  /\b(?:gore|gory|entrails|guts spilled|intestines|disembowel(?:ed)?|dismember(?:ed|ing)?|decapitat(?:ed|ion)|severed (?:head|limb|arm|leg|hand)|blood (?:spurted|sprayed|gushed|poured|pooled)|pool of blood|covered in blood|soaked in blood|skull (?:cracked|shattered|caved)|bones? (?:snapped|cracked|shattered|crunched) |ripped (?:out|open) (?:his|her|their) (?:throat|heart|chest)|tore (?:out|open) (?:his|her|their) (?:throat|heart|chest)|stabbed (?:him|her|them) (?:again|repeatedly)|torture[ds]?|tortured|mutilat(?:ed|ion)|brains? (?:splattered|spattered)|flesh (?:tore|torn|ripped))\b/;

/** Death of a person: the event, its aftermath or mourning. */
export const DEATH_CUES =
  /\b(?:died|dies|dead|death|deaths|passed away|passing|killed|murdered|lifeless|corpse|body (?:was|lay)|(?:her|his|their|the) body\b|morgue|funeral|burial|buried|grave|coffin|casket|last (?:moments|breath|words)|final moments|mourn(?:ed|ing)?|grie(?:f|ving|ved)|heart (?:stopped|had stopped)|no heartbeat|stopped breathing|never (?:woke|wake) up|saying goodbye|late (?:mother|father|husband|wife))\b/;

/** Non-consensual sex (Rape/Non-Con). */
export const NONCON =
  /\b(?:rape[ds]?|raping|rapist|non-?con(?:sensual)?|forced (?:himself|herself) (?:on|upon)|against (?:her|his|their) will|without (?:her|his|their) consent|didn'?t consent|molest(?:ed|ing|ation)?|sexually assault(?:ed)?|sexual assault)\b/;

/** Statements that a character is a minor. */
export const MINOR_AGE =
  /\b(?:(?:[1-9]|1[0-5]|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen)[- ]years?[- ]old|age (?:of )?(?:[1-9]|1[0-5]|twelve|thirteen|fourteen|fifteen)\b|underage|under-?age|middle school|preteen|pre-teen)\b/;
