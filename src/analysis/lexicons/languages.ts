// Per-language word lists for Spanish, French and German (English lives in words.ts), written for
// Fanfold (MIT). Each list is used only on texts detected to be in its language.
import { wordSet } from './words.ts';

/** The languages the library knows words of; `unknown` gets quotations and characters only. */
export type Language = 'en' | 'es' | 'fr' | 'de' | 'unknown';

/**
 * The most frequent function words of each language: the profiles of the language detector. Words
 * shared by two languages (`a`, `en`, `de`, `la`…) are kept, since frequency decides, not presence.
 * English has its texting forms too (`u`, `im`, `dont`), so that a chat fic in them reads as English.
 */
export const STOP_WORDS: Readonly<Record<Exclude<Language, 'unknown'>, Set<string>>> = {
  en: wordSet(`the and to of a in was he she it that i you his her with had for on at but not is as my
    be me him they we said what were this have so out from there all no up would could when did do
    an them then just like if are your been were don't didn't i'm it's
    u ur im dont cant didnt yeah ya lol`),
  es: wordSet(`de la que el en y a los se del las un por con no una su para es al lo como más pero sus
    le ya o fue este ha sí porque esta entre cuando muy sin sobre también me hasta hay donde quien
    desde nos durante ni contra ese eso mi te tu yo él ella qué estaba había dijo`),
  fr: wordSet(`de la le et les des en un du une que est pour qui dans a par plus pas au sur ne se ce il
    sont elle ses mais avec on tout nous comme je tu vous lui son sa leur y était avait dit moi
    toi cette ça c'est j'ai`),
  de: wordSet(`der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als auch es
    an er hat aus bei sie nach wird um noch wie einem über einen so zum war ich du wir ihr ihn
    mir dich mich nicht sagte hatte aber was ja nein`),
};

/** Speech verbs per language (past, present and common forms), the attribution cue after or before a quotation. */
export const SPEECH_VERBS_BY_LANGUAGE: Readonly<Record<'es' | 'fr' | 'de', Set<string>>> = {
  es: wordSet(`dijo dije dice digo decía respondió respondí responde contestó contestó contesta preguntó
    pregunté pregunta preguntaba gritó grita susurró susurra murmuró murmura exclamó exclama añadió
    añade continuó continúa insistió insiste explicó explica replicó replica repitió repite suspiró
    suspira rió ríe sonrió sonríe admitió confesó ordenó pidió suplicó protestó interrumpió llamó
    comentó observó advirtió anunció declaró murmuraba gruñó bromeó musitó balbuceó sollozó`),
  fr: wordSet(`dit dis disait répondit répond répondait demanda demande demandait cria crie criait
    murmura murmure murmurait chuchota chuchote souffla souffle ajouta ajoute continua continue
    reprit reprend insista insiste expliqua explique répliqua réplique répéta répète soupira soupire
    rit sourit admit avoua ordonna supplia protesta interrompit appela lança lance fit observa
    remarqua annonça déclara grogna plaisanta balbutia sanglota s'exclama hurla`),
  de: wordSet(`sagte sagt sage sagten fragte fragt fragten antwortete antwortet rief ruft flüsterte
    flüstert murmelte murmelt schrie schreit meinte meint erwiderte erwidert entgegnete fügte fuhr
    erklärte erklärt wiederholte seufzte seufzt lachte lacht lächelte bat befahl protestierte
    unterbrach rief brüllte knurrte stammelte schluchzte bemerkte verkündete gestand gab warf
    murrte zischte stöhnte`),
};

/** Subject pronouns with the gender they show (German `sie` is also "they"; in an attribution it is mostly "she"). */
export const PRONOUN_GENDER: Readonly<Record<Language, ReadonlyMap<string, 'male' | 'female'>>> = {
  en: new Map([
    ['he', 'male'],
    ['she', 'female'],
  ]),
  es: new Map([
    ['él', 'male'],
    ['ella', 'female'],
  ]),
  fr: new Map([
    ['il', 'male'],
    ['elle', 'female'],
  ]),
  de: new Map([
    ['er', 'male'],
    ['sie', 'female'],
  ]),
  unknown: new Map(),
};

/**
 * Capitalised words that are never a character's name on their own, per language: articles,
 * pronouns, function words, greetings, answers, interjections, calendar words.
 */
export const NOT_NAMES_BY_LANGUAGE: Readonly<Record<'es' | 'fr' | 'de', Set<string>>> = {
  es: wordSet(`el la los las un una unos unas lo al del de en y o pero que qué quién cómo cuándo dónde
    por para con sin sobre entre hasta desde yo tú tu usted él ella nosotros vosotros ellos ellas mi
    mis su sus me te se nos le les este esta estos estas ese esa eso aquel aquella sí si no nunca
    siempre ya aquí allí ahora luego después antes entonces también tampoco muy más menos bien mal
    hola adiós gracias buenos buenas días tardes noches perdón vale claro bueno pues oye mira ay
    señor señora señorita don doña dios lunes martes miércoles jueves viernes sábado domingo enero
    febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre primavera
    verano otoño invierno capítulo nada todo todos algo alguien nadie cada otro otra hay había es
    era fue está estaba`),
  fr: wordSet(`le la les l' un une des du de d' et ou mais que qu' qui quoi comment quand où pourquoi
    par pour avec sans sur sous dans entre je j' tu il elle on nous vous ils elles mon ma mes ton
    ta tes son sa ses notre votre leur leurs ce cet cette ces ça cela oui non si jamais toujours
    déjà ici là maintenant puis alors aussi très plus moins bien mal bonjour bonsoir salut merci
    pardon adieu voilà voici allez tiens bon eh ah oh hé monsieur madame mademoiselle dieu lundi
    mardi mercredi jeudi vendredi samedi dimanche janvier février mars avril mai juin juillet août
    septembre octobre novembre décembre printemps été automne hiver chapitre rien tout tous
    quelque quelqu'un personne chaque autre est était c'est`),
  de: wordSet(`der die das den dem des ein eine einen einem einer eines kein keine keinen und oder aber
    doch denn dass daß wer was wie wann wo warum wieso weshalb von zu mit ohne für über unter auf
    aus bei nach vor seit bis durch gegen um an in im am zum zur vom beim ins ans ich du er sie es
    wir ihr mich mir dich dir ihn ihm uns euch mein meine dein deine sein seine ihre unser euer
    dieser diese dieses jener ja nein nicht nie immer schon hier dort da jetzt dann also auch sehr
    mehr gut guten gute schlecht hallo tschüss danke bitte entschuldigung morgen tag abend nacht
    herr frau fräulein gott montag dienstag mittwoch donnerstag freitag samstag sonntag januar
    februar märz april mai juni juli august september oktober november dezember frühling sommer
    herbst winter kapitel nichts alles alle etwas jemand niemand jeder andere ist war hat hatte
    wird ach oh na naja okay gleich heute`),
};

/**
 * Determiners and article contractions after which a capitalised word is a common noun: German
 * writes every noun with a capital, so "die Tür" and "der Hund" show the noun is no name.
 */
export const ARTICLES_BY_LANGUAGE: Readonly<Record<'es' | 'fr' | 'de', Set<string>>> = {
  es: wordSet(`el la los las un una unos unas al del este esta ese esa`),
  fr: wordSet(`le la les un une des du au aux ce cet cette ces`),
  de: wordSet(`der die das den dem des ein eine einen einem einer eines kein keine keinen keinem
    keiner mein meine meinen meinem dein deine sein seine seinen seinem ihr ihre ihren ihrem unser
    unsere euer eure dieser diese dieses diesen diesem zum zur im am vom beim ins ans jeder jede
    jedes`),
};

/** Prepositions that put a following capitalised word in a place-like slot, per language. */
export const PLACE_PREPOSITIONS_BY_LANGUAGE: Readonly<Record<'es' | 'fr' | 'de', Set<string>>> = {
  es: wordSet(`en a de desde hacia hasta por`),
  fr: wordSet(`à en de vers depuis par chez`),
  de: wordSet(`in nach aus von bei zu durch über`),
};
