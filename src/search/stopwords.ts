// English question words and glue that every text has: as search terms they only add noise, and a
// lexicon that learned them would translate every Korean word into "the".
export const STOPWORDS_EN: ReadonlySet<string> = new Set(
  'a an and are as at be by can do does for from how i in is it its me my of on or so that the their then there these this to was what when where which who why will with you your'.split(' '),
);
