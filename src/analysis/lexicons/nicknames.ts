// A small hand-written nickname table (Fanfold, MIT): nickname → full first names.

/** Lower-cased nickname → lower-cased full first names it abbreviates. */
export const NICKNAMES: ReadonlyMap<string, readonly string[]> = new Map<string, readonly string[]>([
  ['liz', ['elizabeth']], ['lizzy', ['elizabeth']], ['lizzie', ['elizabeth']], ['beth', ['elizabeth', 'bethany']],
  ['betty', ['elizabeth']], ['eliza', ['elizabeth']], ['bill', ['william']], ['will', ['william']], ['billy', ['william']],
  ['bob', ['robert']], ['rob', ['robert']], ['bobby', ['robert']], ['tom', ['thomas']], ['tommy', ['thomas']],
  ['jim', ['james']], ['jimmy', ['james']], ['jamie', ['james']], ['dick', ['richard']], ['rick', ['richard']],
  ['kate', ['katherine', 'catherine', 'kathryn']], ['kitty', ['katherine', 'catherine']], ['katie', ['katherine', 'catherine']],
  ['cathy', ['catherine']], ['meg', ['margaret']], ['maggie', ['margaret']], ['peggy', ['margaret']],
  ['ned', ['edward']], ['ted', ['edward', 'theodore']], ['eddie', ['edward']], ['harry', ['henry', 'harold']],
  ['hal', ['henry']], ['jack', ['john']], ['johnny', ['john', 'jonathan']], ['jon', ['jonathan']], ['matt', ['matthew']],
  ['mike', ['michael']], ['mick', ['michael']], ['nick', ['nicholas', 'nicolas']], ['dan', ['daniel']], ['danny', ['daniel']],
  ['sam', ['samuel', 'samantha']], ['alex', ['alexander', 'alexandra']], ['sasha', ['alexander', 'alexandra']],
  ['chris', ['christopher', 'christine', 'christina']], ['steve', ['steven', 'stephen']], ['tony', ['anthony']],
  ['joe', ['joseph']], ['joey', ['joseph']], ['ben', ['benjamin']], ['charlie', ['charles', 'charlotte']],
  ['chuck', ['charles']], ['fred', ['frederick', 'alfred']], ['freddie', ['frederick']], ['andy', ['andrew']],
  ['drew', ['andrew']], ['pete', ['peter']], ['sue', ['susan', 'susannah']], ['susie', ['susan']], ['jenny', ['jennifer']],
  ['jen', ['jennifer']], ['becky', ['rebecca']], ['abby', ['abigail']], ['annie', ['anne', 'ann', 'anna']],
  ['nan', ['anne', 'ann']], ['nancy', ['anne', 'ann']], ['polly', ['mary']], ['molly', ['mary']], ['mamie', ['mary']],
  ['sally', ['sarah']], ['patty', ['patricia', 'martha']], ['pat', ['patricia', 'patrick']], ['vicky', ['victoria']],
  ['lucy', ['lucinda']], ['nell', ['eleanor', 'helen', 'ellen']], ['nelly', ['eleanor', 'helen', 'ellen']],
  ['ellie', ['eleanor', 'elena']], ['fanny', ['frances']], ['frank', ['francis', 'franklin']], ['gerry', ['gerald']],
  ['greg', ['gregory']], ['jeff', ['jeffrey']], ['larry', ['lawrence']], ['len', ['leonard']], ['leo', ['leonard']],
  ['louie', ['louis']], ['mandy', ['amanda']], ['max', ['maximilian', 'maxwell']], ['ollie', ['oliver']],
  ['ray', ['raymond']], ['ron', ['ronald']], ['ronnie', ['ronald']], ['rosie', ['rose', 'rosemary']], ['stef', ['stefan', 'stephanie']],
  ['tim', ['timothy']], ['vince', ['vincent']], ['walt', ['walter']], ['zach', ['zachary']], ['gwen', ['gwendolyn']],
]);
