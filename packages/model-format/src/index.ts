/**
 * @scratchnet/model-format — versioned, validated checkpoints in the safetensors layout.
 * Browser-safe: bytes in, values out; no Node imports (file paths live in "./node").
 */
export { FormatError, FormatErrorCode } from './errors.js';
export { DTYPE_SIZES, type DType, type RawTensor, float32Tensor, toFloat32 } from './dtypes.js';
export { DEFAULT_MAX_HEADER_BYTES, type ReadSafetensorsOptions, type SafetensorsFile, readSafetensors } from './safetensors-read.js';
export { writeSafetensors } from './safetensors-write.js';
export { sha256, sha256Hex } from './sha256.js';
export { type CheckpointModelSpec, type ExpectedTensor, expectedParameterShapes, expectedStateTensors, modelSpecSchema } from './model-spec-schema.js';
export {
  type EpochRecord,
  MAX_HISTORY_EPOCHS,
  MAX_HISTORY_VALUES,
  type StoredEpochRecord,
  type TrainingRecord,
  datasetRecordSchema,
  epochRecordSchema,
  storedEpochRecord,
  trainingRecordSchema,
} from './training-record.js';
export { upgradeTrainingRecord } from './training-record-v4.js';
export { OPTIMIZER_PREFIX } from './optimizer-codec.js';
export { trainerStateSchema } from './trainer-state-schema.js';
export { MIGRATIONS } from './migrations.js';
export {
  type CheckpointContents,
  type CheckpointExtras,
  type CheckpointInput,
  type ModelLike,
  type Float32TensorLike,
  type DecodedCheckpoint,
  FORMAT_NAME,
  FORMAT_VERSION,
  LIBRARY_VERSION,
} from './checkpoint-types.js';
export { encodeCheckpoint } from './checkpoint-encode.js';
export { type DecodeCheckpointOptions, decodeCheckpoint } from './checkpoint-decode.js';
export { type LoadModelOptions, type LoadedModel, loadModel, modelFromCheckpoint } from './load-model.js';
export { blobFromBytes, bytesFromBlob } from './blob.js';
export { ONNX_PRODUCER_NAME, exportOnnx } from './onnx-export.js';
export { ONNX_LIMITS, type OnnxModel, type OnnxNode, type OnnxTensor, type OnnxValueInfo, readOnnx } from './onnx-read.js';
export { ONNX_IMPORT_OPS, importOnnx } from './onnx-import.js';
export { ONNX_IR_VERSION, ONNX_MAX_OPSET, ONNX_METADATA, ONNX_MIN_OPSET, ONNX_NAMES, ONNX_OPSET } from './onnx-schema.js';
export { decodeModelFile, isOnnxBytes } from './model-file.js';
