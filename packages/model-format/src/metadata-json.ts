import type { z } from 'zod';
import { FormatError, FormatErrorCode } from './errors.js';
import { exceedsJsonDepth } from './json-depth.js';

/** Deepest JSON nesting accepted in a metadata value; real ones stay under 10. */
export const MAX_METADATA_DEPTH = 64;

/** Reads `metadata[key]` as JSON and validates it with `schema`; every failure is a BAD_METADATA FormatError. */
export function parseMetadataJson<T extends z.ZodType>(metadata: Record<string, string>, key: string, schema: T): z.output<T> {
  const text = metadata[key];
  if (text === undefined) {
    throw new FormatError(FormatErrorCode.BAD_METADATA, `checkpoint metadata has no "${key}" entry: the file is damaged or was not written by scratchnet`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new FormatError(FormatErrorCode.BAD_METADATA, `checkpoint metadata "${key}" is not valid JSON: the file is damaged`, { cause });
  }
  if (exceedsJsonDepth(value, MAX_METADATA_DEPTH)) {
    throw new FormatError(FormatErrorCode.BAD_METADATA, `checkpoint metadata "${key}" nests deeper than ${MAX_METADATA_DEPTH} levels: the file is damaged or hostile`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    throw new FormatError(FormatErrorCode.BAD_METADATA, `checkpoint metadata "${key}" is malformed: ${issue.message}${path}`, {
      cause: parsed.error,
    });
  }
  return parsed.data;
}
