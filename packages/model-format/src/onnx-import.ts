import { validateModelSpec } from '@scratchnet/core';
import { z } from 'zod';
import type { CheckpointContents } from './checkpoint-types.js';
import { FormatError, FormatErrorCode } from './errors.js';
import { parseMetadataJson } from './metadata-json.js';
import { bad, checkSequential, graphChain } from './onnx-graph.js';
import { layersOf } from './onnx-layers.js';
import { type OnnxModel, readOnnx } from './onnx-read.js';
import { ONNX_MAX_OPSET, ONNX_METADATA, ONNX_MIN_OPSET } from './onnx-schema.js';
import { checkHistoryRows, trainingRecordSchema } from './training-record.js';

export { ONNX_IMPORT_OPS } from './onnx-graph.js';

/**
 * Turns an .onnx file into checkpoint contents (spec, state_dict tensors, class names, training
 * record), ready for `encodeCheckpoint`. Accepts exactly the graphs scratchnet can represent: one
 * float input [batch, ...shape], a chain of the ops in {@link ONNX_IMPORT_OPS} as
 * `torch.onnx.export` writes them for an nn.Sequential (Gemm or MatMul+Add, Conv with a fused
 * batch norm, Constant+Pad before AveragePool, Flatten or a constant Reshape to [batch, -1]), and
 * scratchnet's own exports (their `probabilities` head is dropped: `predict` computes it).
 *
 * @throws FormatError UNSUPPORTED_OP naming the op and node of anything else; BAD_ONNX,
 *   TRUNCATED, LIMIT_EXCEEDED, BAD_OFFSETS… for a malformed file; BAD_METADATA for a bad class list or record.
 */
export function importOnnx(input: Uint8Array | ArrayBuffer | OnnxModel): CheckpointContents {
  const model = input instanceof Uint8Array || input instanceof ArrayBuffer ? readOnnx(input) : input;
  checkOpset(model);
  const graph = graphChain(model);
  const { spec, tensors } = layersOf(graph.chain, graph.inputShape, graph.values, model);
  checkSequential(model, graph);
  let outputs: number;
  try {
    outputs = validateModelSpec(spec).reduce((a, b) => a * b, 1);
  } catch (cause) {
    throw new FormatError(FormatErrorCode.UNSUPPORTED_OP, `the ONNX graph maps to a model scratchnet cannot build: ${(cause as Error).message}`, { cause });
  }
  const classNames = Object.hasOwn(model.metadata, ONNX_METADATA.classNames)
    ? parseMetadataJson(model.metadata, ONNX_METADATA.classNames, z.array(z.string()), (value) => {
        if (Array.isArray(value) && value.length !== outputs) {
          throw new FormatError(FormatErrorCode.CLASS_COUNT_MISMATCH, `ONNX metadata "class_names" has ${value.length} names but the model has ${outputs} outputs`);
        }
      })
    : Array.from({ length: outputs }, (_, i) => String(i));
  const training = Object.hasOwn(model.metadata, ONNX_METADATA.training)
    ? parseMetadataJson(model.metadata, ONNX_METADATA.training, trainingRecordSchema, (value) => checkHistoryRows('ONNX metadata "training"', (value as { history?: unknown } | null)?.history))
    : undefined;
  return { spec, tensors, classNames, ...(training ? { training } : {}) };
}

function checkOpset(model: OnnxModel): void {
  const opset = model.opsets.find((o) => o.domain === '' || o.domain === 'ai.onnx');
  if (!opset) throw bad('no opset_import for the default ONNX domain');
  if (opset.version < ONNX_MIN_OPSET || opset.version > ONNX_MAX_OPSET) {
    throw new FormatError(FormatErrorCode.UNSUPPORTED_VERSION, `the ONNX model uses opset ${opset.version}; scratchnet imports opsets ${ONNX_MIN_OPSET} to ${ONNX_MAX_OPSET}: re-export it with opset_version=13`);
  }
}
