/**
 * Guards for JSON a client sends, applied before anything walks the parsed value: a body nested
 * deeper than MAX_JSON_DEPTH is refused from its text (so nothing recursive — validation,
 * class-transformer, our own walkers — ever sees it and overflows the stack), and a key holding a
 * control character (U+0000–U+001F, which PostgreSQL's jsonb and text cannot all hold, and no
 * field of ours is named with) is found with an iterative walk.
 */
export const MAX_JSON_DEPTH = 64;

/** The deepest nesting of arrays and objects in JSON text, or -1 once it passes `max` (scan stops). */
export function jsonDepth(text: string, max = MAX_JSON_DEPTH): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > max) return -1;
      }
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) depth--;
  }
  return deepest;
}

export function tooDeepMessage(max = MAX_JSON_DEPTH): string {
  return `request body is nested more than ${max} levels deep`;
}

const CONTROL = /[\u0000-\u001f]/;

export interface BadJsonPart {
  path: string;
  message: string;
}

/**
 * The first key holding a control character, or string value holding NUL (unless `nulValues` is
 * off: imports check values field by field), in `value` (depth first, in document order), with its
 * path (`a.b[2].c`); undefined when there is none.
 */
export function firstBadJsonPart(
  value: unknown,
  root = '',
  opts: { nulValues: boolean } = { nulValues: true },
): BadJsonPart | undefined {
  const stack: { v: unknown; path: string }[] = [{ v: value, path: root }];
  while (stack.length) {
    const { v, path } = stack.pop()!;
    if (typeof v === 'string') {
      if (opts.nulValues && v.includes('\u0000'))
        return { path, message: 'must not contain a NUL character' };
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    const entries = Object.entries(v);
    const children: { v: unknown; path: string }[] = [];
    for (const [key, child] of entries) {
      if (Array.isArray(v)) {
        children.push({ v: child, path: `${path}[${key}]` });
        continue;
      }
      const at = path ? `${path}.${printable(key)}` : printable(key);
      if (CONTROL.test(key)) {
        return { path: at, message: 'field names must not contain control characters (U+0000–U+001F)' };
      }
      children.push({ v: child, path: at });
    }
    for (let k = children.length - 1; k >= 0; k--) stack.push(children[k]!);
  }
  return undefined;
}

/** A key as it can be shown in a message and stored in an error log: control characters escaped. */
function printable(key: string): string {
  return key.replace(/[\u0000-\u001f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * JSON text that PostgreSQL's jsonb accepts: jsonb refuses the escape \u0000 ("unsupported Unicode
 * escape sequence"), so a NUL in any key or string (an error that quotes what a client sent) is stored
 * as the six visible characters \u0000 instead.
 */
export function jsonbText(value: unknown): string {
  return JSON.stringify(value).replace(/(?<!\\)((?:\\\\)*)\\u0000/g, '$1\\\\u0000');
}
