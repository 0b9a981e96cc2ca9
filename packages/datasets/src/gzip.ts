import { DatasetError, DatasetErrorCode } from './errors.js';

/**
 * Turns gzip bytes into decompressed chunks. The Node entry passes one built on node:zlib; in
 * browsers the default uses DecompressionStream. Implementations should throw (or error the
 * iterator) on a truncated or damaged stream.
 */
export type Decompressor = (compressed: Uint8Array) => AsyncIterable<Uint8Array>;

/** True when the bytes start with the gzip magic number 0x1f 0x8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** The platform's DecompressionStream('gzip'), or undefined where there is none. */
export function webDecompressor(): Decompressor | undefined {
  const Stream = (globalThis as any).DecompressionStream;
  const Blob_ = (globalThis as any).Blob;
  if (typeof Stream !== 'function' || typeof Blob_ !== 'function') return undefined;
  return async function* decompress(compressed: Uint8Array) {
    const reader = new Blob_([compressed]).stream().pipeThrough(new Stream('gzip')).getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield value as Uint8Array;
      }
    } finally {
      // Stops decompression early when the consumer bails out (e.g. a payload over its declared size).
      reader.cancel().catch(() => {});
    }
  };
}

/** Wraps a decompressor's failure as BAD_GZIP naming the file; DatasetErrors pass through. */
export function gzipError(name: string, cause: unknown): DatasetError {
  if (cause instanceof DatasetError) return cause;
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new DatasetError(
    DatasetErrorCode.BAD_GZIP,
    `${name}: gzip data is truncated or damaged (${detail}); delete it or fetch it again`,
    { file: name, cause },
  );
}
