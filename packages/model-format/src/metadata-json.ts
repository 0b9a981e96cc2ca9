import type { z } from 'zod';
import { FormatError, FormatErrorCode } from './errors.js';
import { parseUntrustedJson } from './json-scan.js';

/** Reads `metadata[key]` as JSON (see {@link parseUntrustedJson}), with a BAD_METADATA FormatError for anything missing or malformed. */
export function metadataJson(metadata: Record<string, string>, key: string): unknown {
  const text = metadata[key];
  if (text === undefined) {
    throw new FormatError(FormatErrorCode.BAD_METADATA, `checkpoint metadata has no "${key}" entry: the file is damaged or was not written by scratchnet`);
  }
  return parseUntrustedJson(text, `checkpoint metadata "${key}"`, FormatErrorCode.BAD_METADATA);
}

/**
 * Reads `metadata[key]` as JSON and validates it with `schema`; every failure is a FormatError
 * (BAD_METADATA, or DUPLICATE_KEY for a repeated key). `precheck` runs on the parsed value before
 * the schema, to refuse cheaply what would be costly to validate (e.g. a history too long).
 */
export function parseMetadataJson<T extends z.ZodType>(
  metadata: Record<string, string>,
  key: string,
  schema: T,
  precheck?: (value: unknown) => void,
): z.output<T> {
  const value = metadataJson(metadata, key);
  precheck?.(value);
  return validateMetadataValue(key, value, schema);
}

/** Validates an already parsed `metadata[key]` with `schema` (BAD_METADATA naming the path). */
export function validateMetadataValue<T extends z.ZodType>(key: string, value: unknown, schema: T): z.output<T> {
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
