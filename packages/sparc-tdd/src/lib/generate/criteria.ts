/**
 * Which derived check, if any, an acceptance criterion asks for. A criterion about an entity that
 * talks about creating, listing, reading, updating or deleting it, about invalid input or about
 * unknown ids becomes a real test; anything else becomes an `it.todo` naming the criterion.
 */
export type DerivedCheck = 'create' | 'get' | 'list' | 'update' | 'delete' | 'validation' | 'not-found';

/** Most specific first: "rejects an update with an invalid title" is about validation, not updating. */
const RULES: Array<[DerivedCheck, RegExp]> = [
  ['not-found', /\b(not[ -]found|unknown (id|identifier)|non-?existent|does(n't| not) exist|missing (id|record)|404)\b/i],
  ['validation', /\b(invalid|validat\w*|reject\w*|malformed|wrong type|required field|is required|are required|bad input|400)\b/i],
  ['delete', /\b(delet\w*|remov\w*|destroy\w*)\b/i],
  ['update', /\b(updat\w*|edit\w*|chang\w*|modif\w*|renam\w*|patch\w*)\b/i],
  ['list', /\b(list\w*|paginat\w*|pages? of|a page at a time|brows\w*)\b/i],
  ['create', /\b(creat\w*|add\w*|register\w*|submit\w*|sav(e|es|ed|ing)|stor(e|es|ed))\b/i],
  ['get', /\b(get|gets|fetch\w*|retriev\w*|look(s|ed)? up|by (its )?id)\b/i],
];

export function derivedCheckFor(criterion: string): DerivedCheck | undefined {
  for (const [check, pattern] of RULES) if (pattern.test(criterion)) return check;
  return undefined;
}
