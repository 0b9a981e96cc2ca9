import { z } from 'zod';
import { DTYPE_SIZES, type RawTensor, isDType } from './dtypes.js';
import { FormatError, FormatErrorCode } from './errors.js';
import { parseUntrustedJson } from './json-scan.js';

/**
 * Default cap on the JSON header (16 MiB). A scratchnet header is a few kilobytes; the cap exists so
 * that a hostile length prefix cannot make the reader decode or allocate gigabytes.
 */
export const DEFAULT_MAX_HEADER_BYTES = 16 * 1024 * 1024;

/** A parsed safetensors file: its tensors in header order and its `__metadata__`. */
export interface SafetensorsFile {
  /** Tensors by name. Their `bytes` are views into the input (no copy). */
  readonly tensors: Map<string, RawTensor>;
  /** The `__metadata__` string map (empty when absent). */
  readonly metadata: Record<string, string>;
  /** The whole byte buffer after the header, which the tensors tile exactly. */
  readonly data: Uint8Array;
}

export interface ReadSafetensorsOptions {
  /** Largest JSON header accepted, in bytes. Default {@link DEFAULT_MAX_HEADER_BYTES}. */
  maxHeaderBytes?: number;
}

const dimension = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const offset = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const tensorInfoSchema = z.strictObject({
  dtype: z.string(),
  shape: z.array(dimension).max(64),
  data_offsets: z.tuple([offset, offset]),
});
const metadataSchema = z.record(z.string(), z.string());

/**
 * Parses a safetensors file. Everything is validated before any tensor is exposed: the header
 * length is capped and bounded by the input, the header must be UTF-8 JSON following the schema,
 * each tensor's dtype must be known and its byte range must match dtype × shape, and the ranges
 * must tile the data buffer exactly (in bounds, no overlaps, no holes). Nothing in the file is
 * executed, and nothing larger than the input is allocated.
 *
 * @throws FormatError with code TRUNCATED, HEADER_TOO_LARGE, BAD_MAGIC, BAD_HEADER, DUPLICATE_KEY
 *   (a key repeated in any object of the header), UNSUPPORTED_DTYPE or BAD_OFFSETS.
 */
export function readSafetensors(input: Uint8Array | ArrayBuffer, options: ReadSafetensorsOptions = {}): SafetensorsFile {
  // A plain Uint8Array view, even for a Node.js Buffer, whose slice and subarray differ.
  const bytes = input instanceof Uint8Array ? new Uint8Array(input.buffer, input.byteOffset, input.byteLength) : new Uint8Array(input);
  const headerLength = headerLengthOf(bytes, bytes.length, options.maxHeaderBytes);
  const header = parseSafetensorsHeader(bytes.subarray(8, 8 + headerLength));
  return withData(header, bytes.subarray(8 + headerLength));
}

/** A validated safetensors header: its tensors' places in the data section and its metadata. */
export interface SafetensorsHeader {
  entries: TensorEntry[];
  metadata: Record<string, string>;
  /** Bytes the tensors take after the header, exactly (they tile the data section). */
  dataLength: number;
}

/**
 * The header length announced by the first 8 bytes of a file of `fileLength` bytes, checked
 * against the cap and the file's length before any header byte is read.
 * @internal Shared by `readSafetensors` and the file reader of "./node".
 */
export function headerLengthOf(prefix: Uint8Array, fileLength: number, maxHeaderBytes = DEFAULT_MAX_HEADER_BYTES): number {
  if (fileLength < 8 || prefix.length < 8) {
    throw new FormatError(
      FormatErrorCode.TRUNCATED,
      `file is ${fileLength} bytes long, shorter than the 8-byte safetensors header length: it is empty or was cut off; copy it again`,
    );
  }
  const view = new DataView(prefix.buffer, prefix.byteOffset, 8);
  const headerLength = view.getUint32(4, true) * 0x100000000 + view.getUint32(0, true);
  if (headerLength > maxHeaderBytes) {
    throw new FormatError(
      FormatErrorCode.HEADER_TOO_LARGE,
      `header length prefix says ${headerLength} bytes, over the ${maxHeaderBytes}-byte limit: ` +
        'this is probably not a safetensors file (or it is corrupted); if it is genuine, raise maxHeaderBytes',
    );
  }
  if (headerLength < 2) {
    throw new FormatError(FormatErrorCode.BAD_MAGIC, `header length prefix is ${headerLength}: not a safetensors file (its header must be a JSON object)`);
  }
  if (8 + headerLength > fileLength) {
    throw new FormatError(
      FormatErrorCode.TRUNCATED,
      `header needs ${headerLength} bytes after the 8-byte prefix but the file has only ${fileLength - 8}: the file was cut off; copy it again`,
    );
  }
  return headerLength;
}

/**
 * Parses and validates the JSON header: schema, dtypes, each byte range against dtype × shape,
 * and the ranges tiling the data section (which gives its length).
 * @internal Shared by `readSafetensors` and the file reader of "./node".
 */
export function parseSafetensorsHeader(headerBytes: Uint8Array): SafetensorsHeader {
  if (headerBytes[0] !== 0x7b /* { */) {
    throw new FormatError(FormatErrorCode.BAD_MAGIC, 'header does not start with "{": not a safetensors file');
  }
  const { entries, metadata } = validateHeader(parseHeaderJson(headerBytes));
  return { entries, metadata, dataLength: tiledLength(entries) };
}

/**
 * The file from its header and data section, which must be exactly as long as the tensors need.
 * @internal Shared by `readSafetensors` and the file reader of "./node".
 */
export function withData({ entries, metadata, dataLength }: SafetensorsHeader, data: Uint8Array): SafetensorsFile {
  checkDataLength(dataLength, data.length);
  const tensors = new Map<string, RawTensor>();
  for (const { name, dtype, shape, begin, end } of entries) {
    tensors.set(name, { dtype, shape, bytes: data.subarray(begin, end) });
  }
  return { tensors, metadata, data };
}

/**
 * Refuses a data section of `actual` bytes for tensors that need `needed`: TRUNCATED when shorter,
 * BAD_OFFSETS when longer (bytes no tensor covers).
 * @internal Shared by `readSafetensors` and the file reader of "./node", which checks before reading.
 */
export function checkDataLength(needed: number, actual: number): void {
  if (needed > actual) {
    throw new FormatError(FormatErrorCode.TRUNCATED, `tensors need ${needed} bytes of data but the file has ${actual}: the file was cut off; copy it again`);
  }
  if (needed < actual) {
    throw new FormatError(
      FormatErrorCode.BAD_OFFSETS,
      `the file has ${actual - needed} bytes after the last tensor that no tensor covers: it is corrupted or was appended to`,
    );
  }
}

function parseHeaderJson(headerBytes: Uint8Array): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(headerBytes);
  } catch (cause) {
    throw new FormatError(FormatErrorCode.BAD_HEADER, 'header is not valid UTF-8: the file is corrupted', { cause });
  }
  // Refuses repeated keys (a second "__metadata__" must not silently win) and absurd nesting.
  return parseUntrustedJson(text, 'header', FormatErrorCode.BAD_HEADER);
}

/** One tensor of a header: where its bytes lie in the data section. */
export interface TensorEntry {
  name: string;
  dtype: RawTensor['dtype'];
  shape: number[];
  begin: number;
  end: number;
}

function validateHeader(header: unknown): { entries: TensorEntry[]; metadata: Record<string, string> } {
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new FormatError(FormatErrorCode.BAD_HEADER, 'header must be a JSON object mapping tensor names to {dtype, shape, data_offsets}');
  }
  const entries: TensorEntry[] = [];
  let metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(header)) {
    if (name === '__metadata__') {
      const parsed = metadataSchema.safeParse(value);
      if (!parsed.success) throw schemaError('__metadata__', parsed.error, 'must map strings to strings');
      metadata = Object.fromEntries(Object.entries(parsed.data));
      continue;
    }
    const parsed = tensorInfoSchema.safeParse(value);
    if (!parsed.success) throw schemaError(`tensor "${name}"`, parsed.error, 'must be {dtype, shape, data_offsets}');
    const { dtype, shape, data_offsets: [begin, end] } = parsed.data;
    if (!isDType(dtype)) {
      throw new FormatError(
        FormatErrorCode.UNSUPPORTED_DTYPE,
        `tensor "${name}" has dtype "${dtype}", which this reader does not support (supported: ${Object.keys(DTYPE_SIZES).join(', ')}); ` +
          'convert it to F32 before saving',
      );
    }
    if (end < begin) {
      throw new FormatError(FormatErrorCode.BAD_OFFSETS, `tensor "${name}" has data_offsets [${begin}, ${end}]: end before begin; the file is corrupted`);
    }
    // Multiply with an early exit so that a hostile shape cannot overflow to a small number.
    let expected = DTYPE_SIZES[dtype];
    for (const d of shape) {
      expected *= d;
      if (expected > Number.MAX_SAFE_INTEGER) break;
    }
    if (expected !== end - begin) {
      throw new FormatError(
        FormatErrorCode.BAD_OFFSETS,
        `tensor "${name}" is ${dtype} with shape [${shape.join(', ')}], which needs ${expected} bytes, but its data_offsets [${begin}, ${end}] span ${end - begin}; the file is corrupted`,
      );
    }
    entries.push({ name, dtype, shape, begin, end });
  }
  return { entries, metadata };
}

/** Length of the data section the tensors tile, or a FormatError when they overlap or leave holes. */
function tiledLength(entries: TensorEntry[]): number {
  // The safetensors specification requires the ranges to tile the buffer: sorted by begin, each
  // starts where the previous ended, the last ends at the end of the file.
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  for (const entry of sorted) {
    if (entry.begin !== cursor) {
      const problem = entry.begin < cursor ? 'overlaps the previous tensor' : `leaves a gap of ${entry.begin - cursor} bytes before it`;
      throw new FormatError(
        FormatErrorCode.BAD_OFFSETS,
        `tensor "${entry.name}" at data_offsets [${entry.begin}, ${entry.end}] ${problem}: the file is corrupted`,
      );
    }
    cursor = entry.end;
  }
  return cursor;
}

function schemaError(where: string, error: z.ZodError, expectation: string): FormatError {
  const issue = error.issues[0];
  const path = issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  return new FormatError(FormatErrorCode.BAD_HEADER, `header entry ${where} ${expectation}; ${issue.message}${path}: the file is corrupted`, {
    cause: error,
  });
}
