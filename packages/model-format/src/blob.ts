/** Reads a Blob or File (e.g. from an `<input type="file">` or a drop) into bytes for `decodeCheckpoint`. */
export async function bytesFromBlob(blob: Blob): Promise<Uint8Array> {
  return new Uint8Array(await blob.arrayBuffer());
}

/** Wraps checkpoint bytes in a Blob, e.g. for a download link (`URL.createObjectURL`). */
export function blobFromBytes(bytes: Uint8Array): Blob {
  return new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' });
}
