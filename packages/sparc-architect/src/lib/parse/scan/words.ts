/** The scanner's vocabulary: what brackets open, and the words it reacts to. */

/** What the braces, parentheses and brackets around the current token open. */
export const CTX_TOP = 0;
export const CTX_BLOCK = 1;
export const CTX_OBJECT = 2;
export const CTX_CLASS = 3;
export const CTX_PAREN = 4;
/** The parenthesised head of `if`, `for`, `while`, `with`, `switch`, `catch`. */
export const CTX_COND = 5;
export const CTX_BRACKET = 6;
export const CTX_TEMPLATE = 7;
export const CTX_JSX_EXPR = 8;
export const CTX_ENUM = 9;

/** Words the scanner reacts to, each with what it means. Everything else is a plain identifier. */
export const W_IMPORT = 1;
export const W_EXPORT = 2;
export const W_REQUIRE = 3;
/** `let`, `const`, `var`: a `:` after their names starts a type annotation. */
export const W_DECLARATION = 4;
export const W_CLASS = 5;
export const W_CASE = 6;
export const W_DEFAULT = 7;
/** An operand follows (`return`, `typeof`, `if`, `else`, `function`, ...). */
export const W_OPERAND = 8;
/** An operand itself (`this`, `null`, `true`, ...). */
export const W_VALUE = 9;
/** TypeScript-only words; in JavaScript they are identifiers. */
export const W_TS_ONLY = 20;
export const W_TS_TYPE = 20;
export const W_TS_INTERFACE = 21;
export const W_TS_DECLARE = 22;
export const W_TS_ENUM = 23;
export const W_TS_ABSTRACT = 24;
export const W_TS_AS = 25;
export const W_TS_IMPLEMENTS = 26;

export const WORDS = new Map<string, number>([
  ['import', W_IMPORT],
  ['export', W_EXPORT],
  ['require', W_REQUIRE],
  ['let', W_DECLARATION],
  ['const', W_DECLARATION],
  ['var', W_DECLARATION],
  ['class', W_CLASS],
  ['case', W_CASE],
  ['default', W_DEFAULT],
  ...['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'do', 'else', 'yield', 'await', 'extends', 'if', 'for', 'while', 'with', 'switch', 'catch', 'try', 'finally', 'static', 'function', 'namespace', 'module'].map((w): [string, number] => [w, W_OPERAND]),
  ...['this', 'super', 'null', 'true', 'false', 'undefined'].map((w): [string, number] => [w, W_VALUE]),
  ['type', W_TS_TYPE],
  ['interface', W_TS_INTERFACE],
  ['declare', W_TS_DECLARE],
  ['enum', W_TS_ENUM],
  ['abstract', W_TS_ABSTRACT],
  ['as', W_TS_AS],
  ['satisfies', W_TS_AS],
  ['implements', W_TS_IMPLEMENTS],
]);

/** Words that are operators after an operand (`x of y`) and identifiers where an operand is expected. */
export const CONTEXTUAL_OPERATORS = new Set(['of']);

/** Keywords after which an operand comes, and `{` opens an object literal (`return {`, `typeof {`). */
export const OPERAND_KEYWORDS = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await', 'extends', 'default']);
/** Keywords whose parenthesised head is a condition, not a call. */
export const COND_KEYWORDS = new Set(['if', 'for', 'while', 'with', 'switch', 'catch']);
/** Identifiers that declare the name after them, so that name is not a reference. */
export const DECLARING_KEYWORDS = new Set(['function', 'class', 'let', 'const', 'var', 'interface', 'type', 'enum', 'namespace', 'module']);

