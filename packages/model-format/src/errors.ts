import { ScratchnetError } from '@scratchnet/core';

/**
 * Codes a {@link FormatError} carries. Stable: the CLI and the desktop app map them to messages
 * and exit codes.
 */
export const FormatErrorCode = {
  /** The file is larger than the reader was allowed to open. */
  FILE_TOO_LARGE: 'FILE_TOO_LARGE',
  /** The file ends before the header or the tensor data it announces. */
  TRUNCATED: 'TRUNCATED',
  /** The announced JSON header is larger than the reader allows. */
  HEADER_TOO_LARGE: 'HEADER_TOO_LARGE',
  /** Not a safetensors file, or a safetensors file that is not a scratchnet checkpoint. */
  BAD_MAGIC: 'BAD_MAGIC',
  /** The JSON header is not valid UTF-8 / JSON, or does not follow the safetensors schema. */
  BAD_HEADER: 'BAD_HEADER',
  /** A tensor uses a dtype this reader does not know. */
  UNSUPPORTED_DTYPE: 'UNSUPPORTED_DTYPE',
  /** Tensor byte ranges out of bounds, overlapping, leaving holes, or not matching dtype × shape. */
  BAD_OFFSETS: 'BAD_OFFSETS',
  /** The checkpoint was written by a newer (or otherwise unknown) format version. */
  UNSUPPORTED_VERSION: 'UNSUPPORTED_VERSION',
  /** A scratchnet metadata field is missing or malformed. */
  BAD_METADATA: 'BAD_METADATA',
  /** The SHA-256 of the tensor data does not match the one recorded in the header. */
  CHECKSUM_MISMATCH: 'CHECKSUM_MISMATCH',
  /** The tensors do not match the model spec (missing, extra, or wrongly shaped parameters). */
  TENSOR_MISMATCH: 'TENSOR_MISMATCH',
  /** The caller passed something that cannot be written (bad name, shape/data disagreement…). */
  INVALID_INPUT: 'INVALID_INPUT',
  /** Reading or writing the file failed (not found, permission, disk full…). */
  IO_ERROR: 'IO_ERROR',
  /**
   * The path is a FIFO, device, socket or directory (or a symlink to one), which is neither read
   * (it could block for ever or never end) nor replaced by a save. Give the path of a regular file.
   */
  NOT_A_REGULAR_FILE: 'NOT_A_REGULAR_FILE',
  /**
   * A JSON object in the header or its metadata has the same key twice. JSON readers disagree on
   * which one counts, so a checker and a loader could see different values: restore a good copy.
   */
  DUPLICATE_KEY: 'DUPLICATE_KEY',
  /** The number of class names differs from the number of model outputs: the file is damaged or was edited. */
  CLASS_COUNT_MISMATCH: 'CLASS_COUNT_MISMATCH',
  /**
   * A count in the file (epochs or values in a training history) is over the reader's cap, so
   * reading it would cost out of proportion to a real checkpoint: the file is damaged or hostile.
   */
  LIMIT_EXCEEDED: 'LIMIT_EXCEEDED',
  /** An .onnx file whose protobuf or graph structure is malformed (bad field, dangling value, cycle…). */
  BAD_ONNX: 'BAD_ONNX',
  /**
   * A well-formed ONNX model that scratchnet cannot represent: an op, attribute or pattern outside
   * the chain of layers it has; the message names the op and its node.
   */
  UNSUPPORTED_OP: 'UNSUPPORTED_OP',
} as const;
export type FormatErrorCode = (typeof FormatErrorCode)[keyof typeof FormatErrorCode];

/** A checkpoint or safetensors file that cannot be read or written; `code` says why. */
export class FormatError extends ScratchnetError {
  declare readonly code: FormatErrorCode;
  override readonly namespace = 'format';
  constructor(code: FormatErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'FormatError';
  }
}
