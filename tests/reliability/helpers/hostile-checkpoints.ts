import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * Builders of hostile checkpoint files (issue 19), as text surgery on a real checkpoint so that
 * each reaches the check it aims at: the SHA-256 covers only the tensor data, so header and
 * metadata edits pass it.
 */

/** A real checkpoint split into its header text (padding trimmed) and data section. */
export function splitCheckpoint(file: Uint8Array): { text: string; data: Uint8Array } {
  const n = Number(new DataView(file.buffer, file.byteOffset).getBigUint64(0, true));
  return { text: new TextDecoder().decode(file.subarray(8, 8 + n)).trimEnd(), data: file.subarray(8 + n) };
}

/** A file made of `text` as header and `data` as data section. */
export function joinCheckpoint(text: string, data: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(text);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

/** `file` with its `__metadata__` entries changed by `edit` (values are strings, as stored). */
export function withMetadata(file: Uint8Array, edit: (metadata: Record<string, string>) => void): Uint8Array {
  const { text, data } = splitCheckpoint(file);
  const header = JSON.parse(text);
  edit(header.__metadata__);
  return joinCheckpoint(JSON.stringify(header), data);
}

/** `file` with the `__metadata__` entry `key` set to `value`. */
export function withMetadataValue(file: Uint8Array, key: string, value: string): Uint8Array {
  return withMetadata(file, (metadata) => {
    metadata[key] = value;
  });
}

/** A v1 training record whose history is `columns` metrics of `length` values each (as JSON text). */
export function v1History(file: Uint8Array, columns: number, length: number, value = '0.5'): Uint8Array {
  const column = `[${`${value},`.repeat(Math.max(0, length - 1))}${length > 0 ? value : ''}]`;
  const history = `{${Array.from({ length: columns }, (_, i) => `"m${i}":${column}`).join(',')}}`;
  return withMetadata(file, (m) => {
    m.format_version = '1';
    m.training = `{"dataset":{"name":"x"},"hyperparameters":{},"seed":1,"epochs":${length},"finalMetrics":{},"history":${history}}`;
  });
}

/**
 * Repeats one key of one object in the header text: at `level` 0 a top-level key (a tensor name
 * or `__metadata__`), 1 a field of a tensor entry, 2 a key of `__metadata__`, 3 a key inside a
 * metadata JSON value (spec, class names, training, optimizer, trainer). `pick` chooses which.
 * The copy carries another value where that is easy, so that "last one wins" would change meaning.
 */
export function duplicateKey(file: Uint8Array, level: number, pick: number): Uint8Array {
  const { text, data } = splitCheckpoint(file);
  const header = JSON.parse(text) as Record<string, any>;
  const names = Object.keys(header);
  if (level === 0) {
    const name = names[pick % names.length];
    return joinCheckpoint(`${text.slice(0, -1)},${JSON.stringify(name)}:${JSON.stringify(header[name])}}`, data);
  }
  if (level === 1) {
    const tensors = names.filter((n) => n !== '__metadata__');
    const name = tensors[pick % tensors.length];
    const field = ['dtype', 'shape', 'data_offsets'][pick % 3];
    const entry = JSON.stringify(header[name]);
    const forged = `${entry.slice(0, -1)},${JSON.stringify(field)}:${JSON.stringify(header[name][field])}}`;
    return joinCheckpoint(text.replace(`${JSON.stringify(name)}:${entry}`, `${JSON.stringify(name)}:${forged}`), data);
  }
  const metadata = header.__metadata__ as Record<string, string>;
  const keys = Object.keys(metadata);
  const key = keys[pick % keys.length];
  if (level === 2) {
    const body = JSON.stringify(metadata);
    const forged = `${body.slice(0, -1)},${JSON.stringify(key)}:${JSON.stringify(metadata[key])}}`;
    return joinCheckpoint(text.replace(`"__metadata__":${body}`, `"__metadata__":${forged}`), data);
  }
  const jsonKeys = keys.filter((k) => /^\{/.test(metadata[k]) && metadata[k] !== '{}');
  const jsonKey = jsonKeys[pick % jsonKeys.length];
  const value = metadata[jsonKey];
  // Repeat the first key of the innermost object that opens at a chosen `{`.
  const opens = [...value.matchAll(/\{"/g)].map((m) => m.index!);
  const at = opens[pick % opens.length];
  const keyEnd = value.indexOf('"', at + 2);
  const innerKey = value.slice(at + 1, keyEnd + 1);
  const forged = `${value.slice(0, at + 1)}${innerKey}:null,${value.slice(at + 1)}`;
  return withMetadata(file, (m) => {
    m[jsonKey] = forged;
  });
}

/** A sparse file of `size` bytes that starts with `head`; the rest reads as zeros and takes no disk. */
export function writeSparse(path: string, head: Uint8Array, size: number): void {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, head);
    if (size > head.length) writeSync(fd, new Uint8Array(1), 0, 1, size - 1);
  } finally {
    closeSync(fd);
  }
}
