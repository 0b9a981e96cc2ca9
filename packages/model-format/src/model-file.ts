import { decodeCheckpoint, type DecodeCheckpointOptions } from './checkpoint-decode.js';
import { encodeCheckpoint } from './checkpoint-encode.js';
import type { DecodedCheckpoint } from './checkpoint-types.js';
import { importOnnx } from './onnx-import.js';

/**
 * True when `bytes` look like an ONNX model rather than a safetensors checkpoint. ONNX writers (the
 * onnx package, PyTorch, scratchnet) serialise fields in number order, so a model starts with its
 * ir_version key, 0x08; a safetensors file starts with its header length (a little-endian u64 far
 * below 2^32: bytes 4–7 are zero) followed by `{`. Anything else is left to the checkpoint reader,
 * whose errors say what a checkpoint should be.
 */
export function isOnnxBytes(bytes: Uint8Array): boolean {
  const safetensors = bytes.length >= 9 && bytes[4] === 0 && bytes[5] === 0 && bytes[6] === 0 && bytes[7] === 0 && bytes[8] === 0x7b;
  return bytes.length > 0 && bytes[0] === 0x08 && !safetensors;
}

/**
 * Decodes a model file a user picked: a scratchnet checkpoint, or an ONNX model, which is imported
 * (`importOnnx`) and passes the same checks as a checkpoint (encoded and decoded again), so both
 * come out as a `DecodedCheckpoint`. What the desktop app's "Open" and "Upload" accept.
 *
 * @throws FormatError for anything either reader refuses.
 */
export function decodeModelFile(bytes: Uint8Array, options: DecodeCheckpointOptions = {}): DecodedCheckpoint {
  if (!isOnnxBytes(bytes)) return decodeCheckpoint(bytes, options);
  return decodeCheckpoint(encodeCheckpoint(importOnnx(bytes)), options);
}
