/**
 * The few parts of onnx.proto (onnx/onnx, onnx/onnx.proto) that scratchnet writes and reads:
 * field numbers and enum values, in one place for the writer and the reader.
 */

/** The opset scratchnet writes; 13 is the first with Softmax over one axis. */
export const ONNX_OPSET = 13;
/** IR version that goes with opset 13. */
export const ONNX_IR_VERSION = 7;
/** Oldest and newest default-domain opsets the importer accepts (the ops it maps mean the same across them). */
export const ONNX_MIN_OPSET = 7;
export const ONNX_MAX_OPSET = 23;

export const MODEL = { irVersion: 1, producerName: 2, producerVersion: 3, domain: 4, modelVersion: 5, docString: 6, graph: 7, opsetImport: 8, metadataProps: 14, trainingInfo: 20, functions: 25 } as const;
export const OPSET_ID = { domain: 1, version: 2 } as const;
export const STRING_ENTRY = { key: 1, value: 2 } as const;
export const GRAPH = { node: 1, name: 2, initializer: 5, docString: 10, input: 11, output: 12, valueInfo: 13, sparseInitializer: 15 } as const;
export const NODE = { input: 1, output: 2, name: 3, opType: 4, attribute: 5, docString: 6, domain: 7 } as const;
export const ATTRIBUTE = { name: 1, f: 2, i: 3, s: 4, t: 5, g: 6, floats: 7, ints: 8, type: 20 } as const;
export const ATTRIBUTE_TYPE = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, GRAPH: 5, FLOATS: 6, INTS: 7 } as const;
export const VALUE_INFO = { name: 1, type: 2 } as const;
export const TYPE = { tensorType: 1 } as const;
export const TENSOR_TYPE = { elemType: 1, shape: 2 } as const;
export const SHAPE = { dim: 1 } as const;
export const DIMENSION = { dimValue: 1, dimParam: 2 } as const;
export const TENSOR = { dims: 1, dataType: 2, floatData: 4, int32Data: 5, int64Data: 7, name: 8, rawData: 9, externalData: 13, dataLocation: 14 } as const;
export const DATA_TYPE = { FLOAT: 1, INT32: 6, INT64: 7 } as const;

/** Metadata keys scratchnet writes into `metadata_props`. */
export const ONNX_METADATA = { classNames: 'class_names', training: 'training', modelSpec: 'scratchnet_model_spec' } as const;

/** The graph's input and output names in every export. */
export const ONNX_NAMES = { input: 'input', logits: 'logits', probabilities: 'probabilities', batch: 'batch' } as const;
