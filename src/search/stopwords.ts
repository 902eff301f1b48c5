// English question words and glue that every text has: as search terms they only add noise, and a
// lexicon that learned them would translate every Korean word into "the".
export const STOPWORDS_EN: ReadonlySet<string> = new Set(
  'a am an and are as at be been by can could did do does for from had has have he her his how i in is it its me my of on or our she should so that the their them then there these they this to us was we were what when where which who why will with would you your'.split(' '),
);
