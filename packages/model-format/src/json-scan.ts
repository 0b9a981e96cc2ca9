/**
 * A single bounded pass over JSON text, run before `JSON.parse`, for what `JSON.parse` cannot
 * see or would pay for first: a key repeated in one object (JSON.parse silently keeps the last,
 * so a file could show one value to a checker and another to a reader), nesting deeper than a
 * limit, and more containers than a limit (each costs a heap object once parsed). Iterative, so
 * `[[[[…` cannot overflow the stack; time linear in the text; memory bounded by the keys of
 * the objects currently open. It does not validate syntax: on malformed text it stops quietly
 * and leaves the error to `JSON.parse`.
 */

import { FormatError, FormatErrorCode } from './errors.js';

/** Limits for {@link scanJson}. */
export interface JsonLimits {
  /** Deepest nesting of objects/arrays accepted (the root container is depth 1). */
  maxDepth: number;
  /** Most objects + arrays accepted in the whole text. */
  maxContainers: number;
  /** Most keys accepted in one object (a huge object is far costlier to build than many small ones). */
  maxKeys: number;
  /** Most items accepted in one array. */
  maxItems: number;
}

/** What {@link scanJson} found wrong; `path` is where (e.g. `__metadata__.format`). */
export type JsonProblem =
  | { kind: 'duplicate-key'; key: string; path: string }
  | { kind: 'too-deep'; limit: number; path: string }
  | { kind: 'too-many-containers'; limit: number }
  | { kind: 'too-many-keys'; limit: number; path: string }
  | { kind: 'too-many-items'; limit: number; path: string };

interface Frame {
  /** Keys seen so far; null for an array. */
  keys: Set<string> | null;
  /** In an object: the next string is a key. */
  expectKey: boolean;
  /** In an array: commas so far (items − 1). */
  commas: number;
  /** The key (or index placeholder) under which this container sits in its parent, for messages. */
  name: string;
  /** The last key read in this object: the name its child containers get. */
  lastKey: string;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Returns the first problem in `text`, or undefined when it has none of them. */
export function scanJson(text: string, limits: JsonLimits): JsonProblem | undefined {
  const stack: Frame[] = [];
  let containers = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      const parent = stack[stack.length - 1];
      const name = parent === undefined ? '' : parent.keys === null ? '[]' : parent.lastKey;
      stack.push({ keys: c === 0x7b ? new Set() : null, expectKey: c === 0x7b, name, lastKey: '', commas: 0 });
      if (stack.length > limits.maxDepth) return { kind: 'too-deep', limit: limits.maxDepth, path: pathOf(stack) };
      if (++containers > limits.maxContainers) return { kind: 'too-many-containers', limit: limits.maxContainers };
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
    } else if (c === 0x2c /* , */) {
      const top = stack[stack.length - 1];
      if (top?.keys) top.expectKey = true;
      else if (top && ++top.commas >= limits.maxItems) return { kind: 'too-many-items', limit: limits.maxItems, path: pathOf(stack) };
    } else if (c === QUOTE) {
      const end = stringEnd(text, i);
      if (end < 0) return undefined; // unterminated: JSON.parse reports it
      const top = stack[stack.length - 1];
      if (top?.keys && top.expectKey) {
        const key = keyText(text, i, end);
        if (key === undefined) return undefined; // bad escape: JSON.parse reports it
        if (top.keys.has(key)) return { kind: 'duplicate-key', key, path: pathOf(stack) };
        if (top.keys.size >= limits.maxKeys) return { kind: 'too-many-keys', limit: limits.maxKeys, path: pathOf(stack) };
        top.keys.add(key);
        top.lastKey = key;
        top.expectKey = false;
      }
      i = end;
    }
  }
  return undefined;
}

/** Index of the quote closing the string that opens at `start`, or -1. */
function stringEnd(text: string, start: number): number {
  for (let j = start + 1; ; ) {
    const quote = text.indexOf('"', j);
    if (quote < 0) return -1;
    // Escaped when preceded by an odd run of backslashes; each run is walked once, so linear.
    let run = 0;
    while (text.charCodeAt(quote - 1 - run) === BACKSLASH) run++;
    if (run % 2 === 0) return quote;
    j = quote + 1;
  }
}

/** The key's value with escapes resolved, so that "a" and "\u0061" are the same key. */
function keyText(text: string, start: number, end: number): string | undefined {
  const raw = text.slice(start + 1, end);
  if (!raw.includes('\\')) return raw;
  try {
    return JSON.parse(text.slice(start, end + 1)) as string;
  } catch {
    return undefined;
  }
}

/** Where the innermost open container sits, as keys joined by dots ("[]" for an array element). */
function pathOf(stack: Frame[]): string {
  const names = stack.slice(1).map((frame) => frame.name);
  return names.length === 0 ? '(root)' : names.join('.').slice(0, 200);
}

/** Nesting accepted in a header or metadata value; real ones stay under 10. */
export const MAX_JSON_DEPTH = 64;
/**
 * Objects + arrays accepted in one header or metadata value. A real header has 3 per tensor and a
 * history 1 per epoch; the cap keeps what `JSON.parse` builds from 16 MiB of `[{},{},…]` small.
 */
export const MAX_JSON_CONTAINERS = 500_000;
/** Keys accepted in one object: a header has one per tensor (a 10,000-layer model with Adam state has ~40,000). */
export const MAX_JSON_KEYS = 100_000;
/** Items accepted in one array: 16 MiB of `0,0,…` would otherwise become 8M numbers (64 MB) at once. */
export const MAX_JSON_ITEMS = 1_000_000;

/**
 * `JSON.parse` for untrusted text, after {@link scanJson}: a repeated key is DUPLICATE_KEY,
 * too deep or too many containers and invalid JSON are `code` (BAD_HEADER or BAD_METADATA).
 * `where` names the text in messages, e.g. 'header' or 'checkpoint metadata "training"'.
 */
export function parseUntrustedJson(text: string, where: string, code: 'BAD_HEADER' | 'BAD_METADATA'): unknown {
  const problem = scanJson(text, { maxDepth: MAX_JSON_DEPTH, maxContainers: MAX_JSON_CONTAINERS, maxKeys: MAX_JSON_KEYS, maxItems: MAX_JSON_ITEMS });
  if (problem?.kind === 'duplicate-key') {
    const place = problem.path === '(root)' ? 'at its top level' : `in "${problem.path}"`;
    throw new FormatError(
      FormatErrorCode.DUPLICATE_KEY,
      `${where} has the key ${JSON.stringify(problem.key.slice(0, 100))} twice ${place}; JSON readers disagree on which one counts, ` +
        'so the file is refused: it was edited by hand or is hostile; restore a good copy',
    );
  }
  if (problem?.kind === 'too-deep') {
    throw new FormatError(code, `${where} nests deeper than ${problem.limit} levels (at ${problem.path}): the file is damaged or hostile`);
  }
  if (problem?.kind === 'too-many-keys') {
    throw new FormatError(code, `${where} has an object with more than ${problem.limit} keys (at ${problem.path}): the file is damaged or hostile`);
  }
  if (problem?.kind === 'too-many-items') {
    throw new FormatError(code, `${where} has an array of more than ${problem.limit} items (at ${problem.path}): the file is damaged or hostile`);
  }
  if (problem?.kind === 'too-many-containers') {
    throw new FormatError(code, `${where} holds more than ${problem.limit} JSON objects and arrays: the file is damaged or hostile`);
  }
  try {
    // JSON.parse only builds plain data; nothing in the text is evaluated.
    return JSON.parse(text);
  } catch (cause) {
    throw new FormatError(code, `${where} is not valid JSON (${(cause as Error).message.slice(0, 200)}): the file is damaged`, { cause });
  }
}
