// Titles of office and rank: the nouns narration uses for a titled person ("the doctor said"), the
// forms the title takes before a name ("Dr. Archie", "Doctor Brandt"), and whether narration also
// calls the bearer by the bare title ("the Captain"). One list, so the name clusterer and the
// speaker naming read the same titles (Fanfold, MIT).

interface OfficeTitle {
  /** The title's forms before a name, lower-cased and without their dot. */
  forms: readonly string[];
  /**
   * A rank or office narration uses alone for its bearer ("the Colonel"), and never a surname; a
   * noble title ("King", "Earl") or a calling ("Parsons") may be one, so those are not ranks.
   */
  rank: boolean;
}

const rank = (...forms: string[]): OfficeTitle => ({ forms, rank: true });
const title = (...forms: string[]): OfficeTitle => ({ forms, rank: false });

/** Person nouns that are also titles, by noun. */
const OFFICE_TITLES: ReadonlyMap<string, OfficeTitle> = new Map([
  ['doctor', rank('dr', 'doctor')],
  // the words for a doctor's calling: "the surgeon" of a cast with one Dr. is that doctor
  ['physician', title('dr', 'doctor')],
  ['surgeon', title('dr', 'doctor')],
  ['professor', rank('professor', 'prof')],
  ['captain', rank('captain', 'capt')],
  ['colonel', rank('colonel', 'col')],
  ['major', rank('major')],
  ['general', rank('general')],
  ['lieutenant', rank('lieutenant', 'lt')],
  ['sergeant', rank('sergeant', 'sgt')],
  ['admiral', rank('admiral')],
  ['commander', rank('commander')],
  ['judge', rank('judge')],
  ['inspector', rank('inspector')],
  ['detective', title('detective')],
  ['sheriff', rank('sheriff')],
  ['squire', rank('squire')],
  ['parson', title('parson', 'reverend', 'rev')],
  ['vicar', title('vicar', 'reverend', 'rev')],
  ['rector', title('rector', 'reverend', 'rev')],
  ['king', title('king')],
  ['queen', title('queen')],
  ['prince', title('prince')],
  ['princess', title('princess')],
  ['duke', title('duke')],
  ['duchess', title('duchess')],
  ['count', title('count')],
  ['countess', title('countess')],
  ['baron', title('baron')],
  ['baroness', title('baroness')],
  ['earl', title('earl')],
  ['baronet', title('sir')],
  ['knight', title('sir')],
  // the words of address for a titled person: "said her ladyship" of a cast with one Lady
  ['ladyship', title('lady')],
  ['lordship', title('lord')],
]);

/** The forms a name may carry for the title a noun names ("doctor": dr, doctor); undefined for other nouns. */
export function titleForms(noun: string): readonly string[] | undefined {
  return OFFICE_TITLES.get(noun)?.forms;
}

/** Titles of rank or office that narration also uses alone for their bearer ("the Captain", "the General"). */
export const RANK_TITLES: ReadonlySet<string> = new Set([...OFFICE_TITLES].filter(([, t]) => t.rank).map(([noun]) => noun));
