import { FormatError, FormatErrorCode } from './errors.js';
import type { OnnxModel, OnnxNode, OnnxTensor } from './onnx-read.js';

/**
 * The graph side of ONNX import: which nodes form the chain from the input to the output, where
 * each constant comes from, and that nothing branches off it. The layers are read in onnx-layers.ts.
 */

/** The ops the importer maps onto scratchnet layers (Constant only as a parameter of another node). */
export const ONNX_IMPORT_OPS = [
  'Gemm', 'MatMul', 'Add', 'Conv', 'MaxPool', 'AveragePool', 'Pad', 'BatchNormalization', 'Flatten', 'Reshape',
  'Relu', 'LeakyRelu', 'Sigmoid', 'Tanh', 'Selu', 'Softmax', 'Identity', 'Dropout', 'Constant',
  // Only as torch's x.view(x.size(0), -1): Shape → Gather → Unsqueeze → Concat feeding a Reshape.
  'Shape', 'Gather', 'Unsqueeze', 'Concat',
] as const;

/** Ops that only ever compute a constant or a shape beside the chain, never a layer. */
const HELPER_OPS = ['Constant', 'Shape', 'Gather', 'Unsqueeze', 'Concat'];

export function unsupported(node: OnnxNode, problem: string): FormatError {
  return new FormatError(FormatErrorCode.UNSUPPORTED_OP, `ONNX node "${node.name}" (${node.opType}): ${problem}`);
}

export function unsupportedGraph(problem: string): FormatError {
  return new FormatError(FormatErrorCode.UNSUPPORTED_OP, `ONNX graph: ${problem}`);
}

export function bad(problem: string): FormatError {
  return new FormatError(FormatErrorCode.BAD_ONNX, `ONNX graph: ${problem}`);
}

/** The value a chain node computes on: its first input, or for Add (a MatMul's bias, either side) the one that is not a constant. */
function dataInput(node: OnnxNode, isConstant: (name: string) => boolean): string {
  if (node.opType === 'Constant') return '';
  if (node.opType === 'Add' && node.inputs.length === 2 && isConstant(node.inputs[0])) return node.inputs[1];
  return node.inputs[0] ?? '';
}

/** Where a value comes from: a node's output, an initializer, or a Constant node. */
export interface Values {
  producer: Map<string, OnnxNode>;
  /** The constant tensor `name` (an initializer, a Constant, or an Identity of one), or undefined for ''; refuses anything else. */
  constant(node: OnnxNode, name: string | undefined): OnnxTensor | undefined;
  isConstant(name: string): boolean;
  /** Nodes off the chain that were used as constants or shape helpers: the only ones allowed off it. */
  helpers: Set<OnnxNode>;
}

/**
 * The chain of nodes from the graph input to the model's output, in order. Every node must be
 * on it, a Constant feeding it, or the probabilities head; a cycle or a branch is refused.
 */
export function graphChain(model: OnnxModel): { chain: OnnxNode[]; inputShape: number[]; values: Values; head: OnnxNode | undefined; output: string } {
  const { graph } = model;
  for (const node of graph.nodes) {
    if (node.domain !== '' && node.domain !== 'ai.onnx') throw unsupported(node, `op domain "${node.domain}" is not supported; scratchnet imports standard ONNX ops only`);
    if (!(ONNX_IMPORT_OPS as readonly string[]).includes(node.opType)) {
      throw unsupported(node, `op ${node.opType} is not supported; scratchnet imports chains of ${ONNX_IMPORT_OPS.filter((o) => !HELPER_OPS.includes(o)).join(', ')}`);
    }
  }
  const producer = new Map<string, OnnxNode>();
  for (const node of graph.nodes) {
    for (const out of node.outputs) {
      if (out === '') continue;
      if (producer.has(out) || graph.initializers.has(out)) throw bad(`value "${out}" is produced twice (by node "${node.name}" and another)`);
      producer.set(out, node);
    }
  }
  /**
   * The Constant or initializer behind `name`, through Identity nodes (torch aliases equal weights
   * that way). Memoised, so a long run of Identities costs its length once; a cycle of Identities
   * ends the walk.
   */
  const sources = new Map<string, OnnxTensor | null>();
  const constantSource = (name: string): OnnxTensor | null => {
    const path: string[] = [];
    const seen = new Set<OnnxNode>();
    let found: OnnxTensor | null = null;
    for (let current = name; ; ) {
      const known = sources.get(current);
      if (known !== undefined) {
        found = known;
        break;
      }
      path.push(current);
      const init = graph.initializers.get(current);
      if (init) {
        found = init;
        break;
      }
      const source = producer.get(current);
      if (!source || seen.has(source)) break;
      seen.add(source);
      if (source.opType === 'Constant') {
        found = source.attributes.get('value')?.t ?? null;
        if (!found) throw unsupported(source, 'only a Constant with a tensor "value" is supported');
        break;
      }
      if (source.opType !== 'Identity' || source.inputs.length !== 1) break;
      current = source.inputs[0];
    }
    for (const p of path) sources.set(p, found);
    return found;
  };
  const helpers = new Set<OnnxNode>();
  /** Marks the Constant and Identity nodes behind a constant `name` as used (walked once per name). */
  const markHelpers = (name: string) => {
    const seen = new Set<string>();
    for (let current = name; !seen.has(current); ) {
      seen.add(current);
      const source = producer.get(current);
      if (!source || (source.opType !== 'Constant' && source.opType !== 'Identity')) return;
      if (helpers.has(source)) return;
      helpers.add(source);
      if (source.opType === 'Constant') return;
      current = source.inputs[0];
    }
  };
  const values: Values = {
    producer,
    helpers,
    constant(node, name) {
      if (name === undefined || name === '') return undefined;
      const tensor = constantSource(name);
      if (!tensor) throw unsupported(node, `input "${name}" must be a constant (an initializer or a Constant node)`);
      markHelpers(name);
      return tensor;
    },
    isConstant: (name) => constantSource(name) !== null,
  };

  const realInputs = graph.inputs.filter((i) => !graph.initializers.has(i.name));
  if (realInputs.length !== 1) throw unsupportedGraph(`the graph has ${realInputs.length} inputs besides its weights; scratchnet models take exactly one`);
  const input = realInputs[0];
  if (input.elemType !== 1) throw unsupportedGraph(`input "${input.name}": the graph input must be float32`);
  const dims = input.dims ?? [];
  if (dims.length < 2 || dims.length > 5) throw unsupportedGraph(`input "${input.name}": the graph input must be [batch, ...shape] with 1 to 4 dimensions per example, got rank ${dims.length}`);
  const inputShape = dims.slice(1).map((d) => {
    if (typeof d !== 'number' || d < 1 || d > 2 ** 31 - 1) throw unsupportedGraph(`input "${input.name}": every input dimension but the batch must be a fixed size, got [${dims.join(', ')}]`);
    return d;
  });

  // The output: the only one, or of scratchnet's [logits, probabilities] pair the one that is not a softmax of the other.
  if (graph.outputs.length < 1 || graph.outputs.length > 2) throw unsupportedGraph(`the graph has ${graph.outputs.length} outputs; scratchnet imports one (or logits and their probabilities)`);
  let output = graph.outputs[0].name;
  let head: OnnxNode | undefined;
  if (graph.outputs.length === 2) {
    const [a, b] = graph.outputs.map((o) => o.name);
    const pa = producer.get(a);
    const pb = producer.get(b);
    head = pb && (pb.opType === 'Softmax' || pb.opType === 'Sigmoid') && pb.inputs[0] === a ? pb : pa && (pa.opType === 'Softmax' || pa.opType === 'Sigmoid') && pa.inputs[0] === b ? pa : undefined;
    if (!head) throw unsupportedGraph(`of its two outputs "${a}" and "${b}", neither is the softmax or sigmoid of the other`);
    // A sigmoid head stays in the model (predict would apply a softmax to logits); a softmax head is what predict computes.
    output = head.opType === 'Sigmoid' ? head.outputs[0] : head.inputs[0];
    if (head.opType === 'Sigmoid') head = undefined;
  }

  // Walk back from the output along each node's data input; at most one step per node, so a cycle ends the walk.
  const chain: OnnxNode[] = [];
  const onChain = new Set<OnnxNode>();
  let value = output;
  while (value !== input.name) {
    const node = producer.get(value);
    if (!node) throw bad(`value "${value}" is used but no node produces it and it is not the input`);
    if (onChain.has(node)) throw bad(`the nodes form a cycle through node "${node.name}"`);
    if (values.isConstant(value)) throw unsupported(node, 'the model output does not depend on its input');
    onChain.add(node);
    chain.push(node);
    value = dataInput(node, values.isConstant);
  }
  chain.reverse();
  return { chain, inputShape, values, head, output };
}

/**
 * After the chain was converted (which marks the constants and shape helpers it used): every node
 * is on the chain, the head, or such a helper, and every value the chain passes along is read by
 * the next node only (the logits also by the head, a flatten's input also by its Shape helper).
 */
export function checkSequential(model: OnnxModel, { chain, values, head, output }: ReturnType<typeof graphChain>): void {
  const onChain = new Set(chain);
  for (const node of model.graph.nodes) {
    if (onChain.has(node) || node === head || values.helpers.has(node)) continue;
    throw unsupported(node, 'this node is not on the single chain from the input to the output; scratchnet imports sequential models only');
  }
  const readers = new Map<string, number>();
  for (const node of model.graph.nodes) {
    if (values.helpers.has(node)) continue;
    for (const name of node.inputs) readers.set(name, (readers.get(name) ?? 0) + 1);
  }
  for (const node of chain.slice(0, -1)) {
    const out = node.outputs[0];
    const allowed = head && out === head.inputs[0] ? 2 : 1;
    if ((readers.get(out) ?? 0) > allowed || model.graph.outputs.some((o) => o.name === out && o.name !== output && out !== head?.inputs[0])) {
      throw unsupported(node, `its output "${out}" is read more than once (a branch or skip connection); scratchnet imports sequential models only`);
    }
  }
}
