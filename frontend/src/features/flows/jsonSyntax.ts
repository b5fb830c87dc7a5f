// Where a JSON text stops being JSON, and what was expected there, in the same words in every
// browser (each words JSON.parse's errors its own way, and some give no position at all).
// Only read once JSON.parse has refused the text.

export interface JsonSyntaxError {
  /** 1-based, as an editor counts. */
  line: number;
  column: number;
  expected: string;
}

class Stop extends Error {
  constructor(readonly index: number, readonly expected: string) {
    super(expected);
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPE = /["\\/bfnrt]|u[0-9a-fA-F]{4}/y;

/** The first place `text` breaks JSON's grammar, or null when it does not. */
export function jsonSyntaxError(text: string): JsonSyntaxError | null {
  let i = 0;
  const space = () => {
    while (i < text.length && " \t\n\r".includes(text[i])) i++;
  };
  const stop = (expected: string): never => {
    throw new Stop(i, expected);
  };
  const string = () => {
    i++; // the opening quote
    for (;;) {
      if (i >= text.length) stop("a closing '\"'");
      const c = text[i];
      if (c === '"') { i++; return; }
      if (c === "\\") {
        ESCAPE.lastIndex = i + 1;
        const escape = ESCAPE.exec(text);
        if (!escape) { i++; stop("an escape such as \\n, \\\" or \\u00e9 after '\\'"); }
        i += 1 + (escape as RegExpExecArray)[0].length;
        continue;
      }
      if (c < " ") stop("'\\n' for a line break inside a text (or a closing '\"')");
      i++;
    }
  };
  const value = (): void => {
    space();
    const c = text[i];
    if (c === "{") {
      i++; space();
      if (text[i] === "}") { i++; return; }
      for (;;) {
        space();
        if (text[i] !== '"') stop("a property name in double quotes");
        string(); space();
        if (text[i] !== ":") stop("':'");
        i++; value(); space();
        if (text[i] === ",") { i++; continue; }
        if (text[i] === "}") { i++; return; }
        stop("',' or '}'");
      }
    }
    if (c === "[") {
      i++; space();
      if (text[i] === "]") { i++; return; }
      for (;;) {
        value(); space();
        if (text[i] === ",") { i++; continue; }
        if (text[i] === "]") { i++; return; }
        stop("',' or ']'");
      }
    }
    if (c === '"') return string();
    for (const word of ["true", "false", "null"]) {
      if (text.startsWith(word, i)) { i += word.length; return; }
    }
    NUMBER.lastIndex = i;
    const number = NUMBER.exec(text);
    if (number) { i += number[0].length; return; }
    stop("a value (text in double quotes, a number, true, false, null, an object or a list)");
  };
  try {
    value(); space();
    if (i < text.length) stop("the end of the file");
    return null;
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    const before = text.slice(0, error.index).split("\n");
    return { line: before.length, column: before[before.length - 1].length + 1, expected: error.expected };
  }
}

/** "Not valid JSON: line 4, column 12 — expected ','" (the parser's own words when the
 *  grammar above finds nothing wrong, as for a text the parser refuses for its size). */
export function notValidJsonMessage(text: string, parserMessage: string): string {
  const found = jsonSyntaxError(text);
  if (!found) return `Not valid JSON: ${parserMessage}`;
  const end = found.line === text.split("\n").length && found.column === text.split("\n").pop()!.length + 1;
  const where = text.trim() && end && found.expected !== "the end of the file" ? "the file ends too soon" : `line ${found.line}, column ${found.column}`;
  return `Not valid JSON: ${where} — expected ${found.expected}`;
}
