// Well-known places, peoples, languages and faiths that are capitalised but never characters.
// A short hand-written list (Fanfold, MIT); the name finder's own evidence handles the rest.
import { wordSet } from './words.ts';

/** Lower-cased single words. */
export const NOT_PERSON_PROPER = wordSet(`
africa america americas antarctica arctic asia atlantic australia europe pacific
afghanistan albania algeria argentina armenia austria belgium bohemia brazil britain bulgaria
burma canada chile china colombia congo croatia cuba cyprus czechia denmark egypt england
ethiopia finland france germany ghana greece holland hungary iceland  indonesia iran iraq
ireland  italy jamaica japan  kenya korea lebanon libya mexico mongolia morocco
nepal netherlands nigeria norway pakistan palestine  peru philippines poland portugal
prussia romania russia scotland serbia siam spain sudan sweden switzerland syria tibet turkey
ukraine vietnam wales yugoslavia arabia babylon byzantium carthage judea mesopotamia
london  rome berlin vienna madrid lisbon moscow petersburg venice  naples milan
athens jerusalem cairo bombay calcutta delhi tokyo peking boston chicago philadelphia
manchester liverpool birmingham bristol oxford cambridge edinburgh glasgow dublin bath
brighton  lyons marseilles geneva lausanne brussels amsterdam hamburg munich prague
warsaw constantinople bagdad baghdad damascus alexandria  melbourne quebec montreal
toronto washington    texas california ohio kentucky tennessee
massachusetts pennsylvania maryland louisiana mississippi alabama missouri illinois michigan
wisconsin minnesota iowa kansas nebraska dakota montana colorado nevada arizona oregon
yorkshire lancashire devonshire    sussex surrey essex suffolk norfolk
cheshire derbyshire hampshire somerset dorset wiltshire oxfordshire berkshire
thames seine rhine danube nile mississippi hudson alps andes himalayas sahara
english french german american british italian spanish russian chinese japanese irish
scottish scotch welsh european african indian persian greek roman turkish dutch swiss swedish
norwegian danish polish austrian hungarian egyptian arab arabian hebrew jewish 
catholic protestant papist muslim moslem mohammedan hindu buddhist quaker puritan yankee
yankees englishman englishmen frenchman frenchmen americans indians swedes eskimo
god lord jesus christ christianity heaven hell bible gospel testament scripture angel
devil satan  paradise church
sunday monday tuesday wednesday thursday friday saturday christmas easter michaelmas
lent whitsun advent armistice
`);

/** First words that make a capitalised phrase of two or more words a place: "Cape Horn", "New Zealand", "Lake Como". */
export const PLACE_LEADS = wordSet(`cape mount mt lake fort port new north south east west`);
