/**
 * JSON.parse with every number kept as the decimal string it was written as ("1150.00" and 1150.00
 * both arrive as the string "1150.00"), so money from a source never passes through a float.
 * Strings, booleans and null are unchanged. Throws SyntaxError on malformed JSON.
 */
export function parseExactJson(text: string): unknown {
  let out = '';
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === '"') {
      // copy a whole string literal, escapes included
      let j = i + 1;
      while (j < n && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      let j = i + 1;
      while (j < n && /[0-9eE+\-.]/.test(text[j]!)) j++;
      const token = text.slice(i, j);
      if (!/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(token)) {
        throw new SyntaxError(`malformed number ${token.slice(0, 40)}`);
      }
      out += `"${token}"`;
      i = j;
    } else {
      out += c;
      i++;
    }
  }
  return JSON.parse(out) as unknown;
}
