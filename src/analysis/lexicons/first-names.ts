// Given names that are used for one gender only, in English and the names fans and novels borrow
// from French, German, Spanish, Italian and Russian (Fanfold, MIT; written from general knowledge,
// not from any evaluation text). Names used for both (Alex, Jean, Andrea, Sam, Robin, Leslie,
// Frances/Francis, Jordan, Charlie…) are deliberately absent: a wrong gender misleads every
// pronoun after it, a missing one only leaves the pronouns to decide.

const FEMALE = `
abigail ada adela adelaide adele adeline agatha agnes aileen alexandra alexis alice alicia alison amanda amber amelia amy
anastasia angela angelica angelina anita ann anna annabel annabella anne annette annie antoinette antonia april arabella
ariadne ariana arya astrid audrey augusta aurora ava barbara beatrice beatrix belinda bella belle bernadette bertha beryl
bess bessie beth bethany betsey betsy betty beverly bianca blanche bonnie brenda bridget brigitte brittany camilla candace carla
carmen carol caroline carolyn cassandra catalina catherine cathy cecilia cecily celeste celia charity charlotte chloe
christina christine cinderella clara clare clarissa claudia clementine colette constance cora cordelia cornelia cosette
cynthia daisy daphne deborah delia denise diana diane dinah dolly dolores dora doris dorothea dorothy edith edna eileen
elaine eleanor eleanora elinor elena eliza elizabeth ella ellen eloise elsa elsie emilia emily emma esther ethel eugenia eunice
eva evangeline eve evelina fanny felicity fiona flora florence frances francesca freya frieda gabriela gabrielle
genevieve georgiana georgina geraldine gertrude ginny gladys gloria grace greta gretchen gwendolyn hannah harriet hazel
heather heidi helen helena henrietta hermione hester hilda hildegard holly honora hope imogen irene iris isabel isabella
isabelle isadora ivy jacqueline jane janet janice jeanne jeannette jemima jenny jessica jill joan joanna josephine
joyce judith judy julia juliana julie juliet justine karen karin katarina kate katharina katharine katherine kathleen
kathryn katie katrina katya kitty laura lauren lavinia leah leila lena lenore leonora letitia lillian lily linda lisa
liza lizzie lizzy lois lorna lottie louisa louise lucia lucille lucinda lucretia lucy luisa lydia mabel madeleine
madeline mae maggie magdalena mara marcia margaret margarethe margarita margery margot marguerite maria marian marianne
marie marilla marina marion marjorie martha mary matilda maud maude maureen mavis maxine may meg megan melanie melissa
mercedes meredith mildred millicent minerva minnie miranda miriam molly monica muriel myra nadia nancy naomi natalia
natasha nell nellie nicole nina nora norah octavia olga olive olivia ophelia pamela pansy patience patricia paula
pauline pearl peggy penelope penny petra petunia philippa phoebe phyllis polly priscilla prudence rachel rebecca regina
renata renee rhoda rita roberta rosa rosalie rosalind rosamond rose rosemary rowena roxanne ruby ruth sabrina sally
samantha sara sarah selina sibyl sofia sonia sophia sophie stella stephanie susan susanna susannah suzanne sybil sylvia
tabitha tanya teresa tess tessa thea theodora theresa tilly tina ursula valentina valerie vanessa vera veronica
victoria viola violet virginia vivian wendy wilhelmina winifred yvonne zelda zoe
`;

const MALE = `
aaron abraham adam adolf adrian alan albert alberto aldous alec alexander alexei alfred algernon alistair alonzo alphonse
ambrose amos andrei andrew angus anthony antoine anton antonio archibald archie arnold arthur augustus austin axel
barnaby barney bartholomew basil ben benedict benjamin bernard bert bertie bertram bill billy bob bobby boris bruce
bruno bucky caleb carl carlos casimir caspar castiel cecil cedric charles chester christian christopher clarence
claude clement clifford clint clive colin conrad cornelius cyril cyrus damon daniel david dean dennis derek desmond
dick dimitri dmitri dominic donald douglas draco duncan dylan ebenezer edgar edmund edward edwin elias elijah elliot
emil emmanuel enrique eric ernest ernst erwin esteban eugene evan ezra felix ferdinand fernando fitzwilliam fletcher
francesco francisco franco frank franz fred freddie freddy frederick friedrich fritz gabriel gareth gaston geoffrey george
georg gerald gerard gilbert giles giovanni giuseppe godfrey gordon graham gregory guillaume gustav gustave guy hal
hamish hank hans harold harry harvey heathcliff hector heinrich henry herbert herman hiram horace horatio howard hubert
hugh hugo humphrey ian ichabod igor isaac isaiah ivan jack jacob jacques jake james jasper javier jeremiah jeremy
jerome jesus jim jimmy joachim joe johann johannes john jonah jonathan jorge jose joseph joshua josiah juan julian
julius justin karl karim kenneth kevin klaus lancelot larry laurence lawrence leo leon leonard leopold lewis lionel
lorenzo louis lucas lucius ludwig luis luke malcolm manuel marcel marco marcus mark martin matt matthew matthias
maurice max maximilian michael miguel miles mitchell montague morris mortimer moses nathan nathaniel ned neil neville
nicholas nick nicolas nigel noah norbert norman oliver oscar oswald otto owen pablo patrick paul pedro percival percy
peter philip phillip pierre quentin rafael ralph randolph raoul raymond reginald reuben richard rick robert roberto
roderick rodolphe rodrigo roger roland rolf ron ronald rudolf rufus rupert russell samuel sebastian sergei seth sherlock
siegfried sigmund silas simon solomon stanley stefan stephen steve steven stuart sven theo theodore thomas thor timothy
tobias toby tom tommy tony travis tristan ulysses uriah victor vincent vladimir walter warren wilfred wilhelm will
william willie winston wolfgang xavier yuri zachary
`;

const words = (list: string): string[] => list.split(/\s+/).filter((w) => w !== '');

/** Lower-cased given name → the gender it is used for; names used for both are absent. */
export const FIRST_NAME_GENDER: ReadonlyMap<string, 'female' | 'male'> = new Map<string, 'female' | 'male'>([
  ...words(FEMALE).map((w): [string, 'female'] => [w, 'female']),
  ...words(MALE).map((w): [string, 'male'] => [w, 'male']),
]);
