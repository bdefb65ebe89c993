// Hand-written verb lists (Fanfold, MIT).
import { wordSet } from './words.ts';

/** Common irregular or frequent past-tense and present verbs that follow a subject name. */
export const COMMON_VERBS = wordSet(`
was is had has did does went came saw took gave got made knew thought felt left ran sat stood
held kept let put set began fell found heard meant met paid read rose sent shook slept spoke
spent struck swam swore taught told threw understood woke wore won wrote brought bought caught
fought sought drew drove ate grew hid hit hung laid led lay lost sang sank shot shut sprang
stole stuck swung tore broke chose froze bit blew flew forgot forgave lit quit rode rang
says smiles nods looks turns walks runs sits stands laughs sighs shrugs grins frowns knows thinks
wants needs seems comes goes gets takes makes sees hears feels tries can could would will should
might must may shall also never just still always only then suddenly slowly quickly finally
quietly softly gently
`);

/** Past-tense verbs of nodding, looking and moving that mark an action beat. */
export function looksLikeVerb(word: string): boolean {
  if (word.length < 3) return false;
  if (COMMON_VERBS.has(word)) return true;
  if (word.endsWith('ed') && word.length > 3) return true;
  if (word.endsWith('ly') && word.length > 4) return true; // "Stefan slowly turned"
  return false;
}
