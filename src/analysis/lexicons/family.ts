// Family-role words, written for Fanfold (MIT). The value is the gender the role implies.

/** Family roles by their word forms, mapped to a canonical role and its gender. */
export const FAMILY_ROLES: ReadonlyMap<string, { role: string; gender: 'female' | 'male' | 'unknown' }> = new Map([
  ['mother', { role: 'mother', gender: 'female' }],
  ['mom', { role: 'mother', gender: 'female' }],
  ['mum', { role: 'mother', gender: 'female' }],
  ['mommy', { role: 'mother', gender: 'female' }],
  ['mummy', { role: 'mother', gender: 'female' }],
  ['mama', { role: 'mother', gender: 'female' }],
  ['momma', { role: 'mother', gender: 'female' }],
  ['mamma', { role: 'mother', gender: 'female' }],
  ['ma', { role: 'mother', gender: 'female' }],
  ['father', { role: 'father', gender: 'male' }],
  ['dad', { role: 'father', gender: 'male' }],
  ['daddy', { role: 'father', gender: 'male' }],
  ['papa', { role: 'father', gender: 'male' }],
  ['pa', { role: 'father', gender: 'male' }],
  ['brother', { role: 'brother', gender: 'male' }],
  ['bro', { role: 'brother', gender: 'male' }],
  ['sister', { role: 'sister', gender: 'female' }],
  ['sis', { role: 'sister', gender: 'female' }],
  ['son', { role: 'son', gender: 'male' }],
  ['daughter', { role: 'daughter', gender: 'female' }],
  ['wife', { role: 'wife', gender: 'female' }],
  ['husband', { role: 'husband', gender: 'male' }],
  ['aunt', { role: 'aunt', gender: 'female' }],
  ['uncle', { role: 'uncle', gender: 'male' }],
  ['grandmother', { role: 'grandmother', gender: 'female' }],
  ['grandma', { role: 'grandmother', gender: 'female' }],
  ['granny', { role: 'grandmother', gender: 'female' }],
  ['grandfather', { role: 'grandfather', gender: 'male' }],
  ['grandpa', { role: 'grandfather', gender: 'male' }],
  ['cousin', { role: 'cousin', gender: 'unknown' }],
  ['niece', { role: 'niece', gender: 'female' }],
  ['nephew', { role: 'nephew', gender: 'male' }],
  ['stepmother', { role: 'stepmother', gender: 'female' }],
  ['stepfather', { role: 'stepfather', gender: 'male' }],
  ['twin', { role: 'twin', gender: 'unknown' }],
  ['parents', { role: 'parents', gender: 'unknown' }],
]);

/** Regex source alternation of every family word form, longest first. */
export const FAMILY_ALTERNATION = [...FAMILY_ROLES.keys()].sort((a, b) => b.length - a.length).join('|');
