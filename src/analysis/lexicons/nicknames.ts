// A small hand-written nickname table (Fanfold, MIT): nickname → full first names.

/** Lower-cased nickname → lower-cased full first names it abbreviates. */
export const NICKNAMES: ReadonlyMap<string, readonly string[]> = new Map<string, readonly string[]>([
  ['liz', ['elizabeth']],
  ['lizzy', ['elizabeth']],
  ['lizzie', ['elizabeth']],
  ['beth', ['elizabeth', 'bethany']],
  ['betty', ['elizabeth']],
  ['eliza', ['elizabeth']],
  ['bill', ['william']],
  ['will', ['william']],
  ['billy', ['william']],
  ['bob', ['robert']],
  ['rob', ['robert']],
  ['bobby', ['robert']],
  ['tom', ['thomas']],
  ['tommy', ['thomas']],
  ['jim', ['james']],
  ['jimmy', ['james']],
  ['jamie', ['james']],
  ['dick', ['richard']],
  ['rick', ['richard']],
  ['kate', ['katherine', 'catherine', 'kathryn']],
  ['kitty', ['katherine', 'catherine']],
  ['katie', ['katherine', 'catherine']],
  ['cathy', ['catherine']],
  ['meg', ['margaret']],
  ['maggie', ['margaret']],
  ['peggy', ['margaret']],
  ['ned', ['edward']],
  ['ted', ['edward', 'theodore']],
  ['theo', ['theodore', 'theodora']],
  ['eddie', ['edward']],
  ['harry', ['henry', 'harold']],
  ['hal', ['henry']],
  ['jack', ['john']],
  ['johnny', ['john', 'jonathan']],
  ['jon', ['jonathan']],
  ['matt', ['matthew']],
  ['mike', ['michael']],
  ['mick', ['michael']],
  ['nick', ['nicholas', 'nicolas']],
  ['dan', ['daniel']],
  ['danny', ['daniel']],
  ['sam', ['samuel', 'samantha']],
  ['alex', ['alexander', 'alexandra']],
  ['sasha', ['alexander', 'alexandra']],
  ['chris', ['christopher', 'christine', 'christina']],
  ['steve', ['steven', 'stephen']],
  ['tony', ['anthony']],
  ['joe', ['joseph']],
  ['joey', ['joseph']],
  ['ben', ['benjamin']],
  ['charlie', ['charles', 'charlotte']],
  ['chuck', ['charles']],
  ['fred', ['frederick', 'alfred']],
  ['freddie', ['frederick']],
  ['andy', ['andrew']],
  ['drew', ['andrew']],
  ['pete', ['peter']],
  ['sue', ['susan', 'susannah']],
  ['susie', ['susan']],
  ['jenny', ['jennifer']],
  ['jen', ['jennifer']],
  ['becky', ['rebecca']],
  ['abby', ['abigail']],
  ['annie', ['anne', 'ann', 'anna']],
  ['nan', ['anne', 'ann']],
  ['nancy', ['anne', 'ann']],
  ['polly', ['mary']],
  ['molly', ['mary']],
  ['mamie', ['mary']],
  ['sally', ['sarah']],
  ['patty', ['patricia', 'martha']],
  ['pat', ['patricia', 'patrick']],
  ['vicky', ['victoria']],
  ['lucy', ['lucinda']],
  ['nell', ['eleanor', 'helen', 'ellen']],
  ['nelly', ['eleanor', 'helen', 'ellen']],
  ['ellie', ['eleanor', 'elena']],
  ['fanny', ['frances']],
  ['frank', ['francis', 'franklin']],
  ['gerry', ['gerald']],
  ['greg', ['gregory']],
  ['jeff', ['jeffrey']],
  ['larry', ['lawrence']],
  ['len', ['leonard']],
  ['leo', ['leonard']],
  ['louie', ['louis']],
  ['mandy', ['amanda']],
  ['max', ['maximilian', 'maxwell']],
  ['ollie', ['oliver']],
  ['ray', ['raymond']],
  ['ron', ['ronald']],
  ['ronnie', ['ronald']],
  ['rosie', ['rose', 'rosemary']],
  ['stef', ['stefan', 'stephanie']],
  ['tim', ['timothy']],
  ['vince', ['vincent']],
  ['walt', ['walter']],
  ['zach', ['zachary']],
  ['gwen', ['gwendolyn']],
]);

/**
 * The given names a pet form in -ie or -y may be made from, most likely first: "stevie" → steve,
 * stev; "sammy" → sam; "eddie" → ed. The caller keeps those that are known names of the text.
 */
export function petFormBases(word: string): string[] {
  const m = /^([a-z]{2,})(?:ie|y)$/.exec(word);
  if (m === null) return [];
  const stem = m[1]!;
  const bases = [stem + 'e', stem];
  // "sammy", "tommy": the doubled consonant is the pet form's
  if (stem.length > 2 && stem[stem.length - 1] === stem[stem.length - 2]) bases.push(stem.slice(0, -1));
  return bases;
}

/** The pet forms a given name may take ("steve" → stevie, stevy; "sam" → sammy, sammie, samy, samie). */
export function petFormsOf(name: string): string[] {
  const stem = name.endsWith('e') ? name.slice(0, -1) : name;
  const forms = [stem + 'y', stem + 'ie'];
  if (/[bcdfghjklmnprstvz]$/.test(stem)) forms.push(stem + stem[stem.length - 1] + 'y', stem + stem[stem.length - 1] + 'ie');
  return forms;
}
