import { ConfigError, ErrorCode } from '../errors.js';
import { LAYER_REGISTRY } from '../layers/registry.js';
import { DEFAULT_LEAKY_ALPHA, isActivation, type LayerSpec, type ModelSpec, type Shape, type Size2d, shapeSize } from './spec.js';

/**
 * The layer-by-layer architecture syntax, for networks beyond a plain MLP. Tokens are joined by
 * '-': the input shape first, then one token per nn.Sequential entry.
 *
 *   1x28x28-conv(6,5,pad=2)-relu-maxpool(2)-conv(16,5)-relu-maxpool(2)-flatten-120-relu-84-relu-10
 *
 * - `CxHxW` (or `N`): the input shape, channels first.
 * - `N`: a Linear layer with N outputs (needs a flat input: put `flatten` before it).
 * - `conv(out, kernel[, stride[, padding]])`, with `stride=`, `pad=`/`padding=` (a number, `HxW`
 *   or `same`) and `bias=false` by name; a kernel may be `3x5`.
 * - `maxpool(kernel[, stride[, padding]])`, `avgpool(…)`: the stride defaults to the kernel.
 * - `bn` / `batchnorm(momentum=…, eps=…)`: BatchNorm2d after a conv, BatchNorm1d on flat input.
 * - `flatten`, `dropout(rate)`, and the activations `relu`, `leaky_relu(alpha)`, `sigmoid`,
 *   `tanh`, `selu`, `softmax`, `identity`.
 */
export function parseLayerArchitecture(architecture: string): ModelSpec {
  const tokens = splitTokens(architecture);
  const inputShape = parseShape(tokens[0], architecture);
  const layers: LayerSpec[] = [];
  let shape: Shape = inputShape;
  tokens.slice(1).forEach((token, i) => {
    const where = `architecture '${architecture}': token #${i + 2} '${token}'`;
    const layer = parseToken(token, shape, where);
    const kind = LAYER_REGISTRY[layer.type];
    (kind.validate as (s: LayerSpec, shape: Shape, where: string) => void)(layer, shape, where);
    shape = (kind.outputShape as (s: LayerSpec, shape: Shape) => Shape)(layer, shape);
    layers.push(layer);
  });
  if (layers.length === 0) throw invalid(`architecture '${architecture}' has an input shape but no layers`);
  const spec: ModelSpec = { inputSize: shapeSize(inputShape), layers };
  if (inputShape.length > 1) spec.inputShape = [...inputShape];
  return spec;
}

/** Whether a string uses the layer-by-layer syntax (an input shape like 1x28x28 or a named layer). */
export function isLayerArchitecture(architecture: string): boolean {
  const tokens = splitTokens(architecture);
  return /^\d+(x\d+)+$/i.test(tokens[0] ?? '') || tokens.slice(1).some((t) => /^[a-z_]/i.test(t));
}

function invalid(message: string): ConfigError {
  return new ConfigError(ErrorCode.INVALID_ARCHITECTURE, message);
}

/** Splits on '-' outside parentheses (so 'conv(6,5,pad=2)' stays one token), trimming spaces. */
function splitTokens(architecture: string): string[] {
  const tokens: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of architecture.trim()) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === '-' && depth === 0) {
      tokens.push(current.trim());
      current = '';
    } else current += ch;
  }
  tokens.push(current.trim());
  return tokens;
}

function parseShape(token: string, architecture: string): Shape {
  if (!/^\d+(x\d+){0,3}$/i.test(token)) {
    throw invalid(`architecture '${architecture}': the first token '${token}' must be the input shape, e.g. 784 or 1x28x28 (channels x height x width)`);
  }
  const dims = token.toLowerCase().split('x').map(Number);
  if (dims.some((d) => d < 1)) throw invalid(`architecture '${architecture}': input shape '${token}' has a zero dimension`);
  return dims;
}

interface Call {
  name: string;
  positional: string[];
  named: Map<string, string>;
}

function parseCall(token: string, where: string): Call {
  const match = /^([a-z_0-9]+)\s*(?:\((.*)\))?$/i.exec(token);
  if (!match) throw invalid(`${where} is not a layer; write e.g. conv(6,5), maxpool(2), relu, flatten or 120`);
  const positional: string[] = [];
  const named = new Map<string, string>();
  for (const raw of match[2]?.split(',') ?? []) {
    const arg = raw.trim();
    if (arg === '') continue;
    const eq = arg.indexOf('=');
    if (eq < 0) positional.push(arg);
    else named.set(arg.slice(0, eq).trim().toLowerCase(), arg.slice(eq + 1).trim());
  }
  return { name: match[1].toLowerCase(), positional, named };
}

function size2d(text: string | undefined, what: string, where: string): Size2d | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d+)(?:x(\d+))?$/i.exec(text);
  if (!m) throw invalid(`${where}: ${what} '${text}' must be a whole number or HxW`);
  return m[2] === undefined ? Number(m[1]) : [Number(m[1]), Number(m[2])];
}

function number(text: string | undefined, what: string, where: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text === '' || !Number.isFinite(value)) throw invalid(`${where}: ${what} '${text}' is not a number`);
  return value;
}

function allowOnly(call: Call, names: string[], maxPositional: number, where: string): void {
  const unknown = [...call.named.keys()].filter((n) => !names.includes(n));
  if (unknown.length) throw invalid(`${where}: unknown option '${unknown[0]}'; valid options: ${names.join(', ') || 'none'}`);
  if (call.positional.length > maxPositional) throw invalid(`${where}: takes at most ${maxPositional} positional values`);
}

function parseToken(token: string, shape: Shape, where: string): LayerSpec {
  if (/^\d+$/.test(token)) return { type: 'dense', inputSize: shape.length === 1 ? shape[0] : shapeSize(shape), outputSize: Number(token) };
  const call = parseCall(token, where);
  const { name, positional: p, named } = call;
  switch (name) {
    case 'conv':
    case 'conv2d': {
      allowOnly(call, ['stride', 'pad', 'padding', 'bias'], 4, where);
      const out = number(p[0], 'output channels', where);
      const kernel = size2d(p[1], 'kernel size', where);
      if (out === undefined || kernel === undefined) throw invalid(`${where}: write conv(outChannels, kernelSize), e.g. conv(16,3,pad=1)`);
      const padText = named.get('pad') ?? named.get('padding') ?? p[3];
      const bias = named.get('bias');
      if (bias !== undefined && bias !== 'true' && bias !== 'false') throw invalid(`${where}: bias must be true or false`);
      return {
        type: 'conv2d',
        inChannels: shape[0],
        outChannels: out,
        kernelSize: kernel,
        ...(named.get('stride') ?? p[2] ? { stride: size2d(named.get('stride') ?? p[2], 'stride', where) } : {}),
        ...(padText !== undefined ? { padding: padText === 'same' ? 'same' : size2d(padText, 'padding', where) } : {}),
        ...(bias === 'false' ? { bias: false } : {}),
      };
    }
    case 'maxpool':
    case 'avgpool': {
      allowOnly(call, ['stride', 'pad', 'padding'], 3, where);
      const kernel = size2d(p[0], 'kernel size', where);
      if (kernel === undefined) throw invalid(`${where}: write ${name}(kernelSize), e.g. ${name}(2)`);
      const stride = size2d(named.get('stride') ?? p[1], 'stride', where);
      const padding = size2d(named.get('pad') ?? named.get('padding') ?? p[2], 'padding', where);
      return {
        type: name === 'maxpool' ? 'max_pool2d' : 'avg_pool2d',
        kernelSize: kernel,
        ...(stride !== undefined ? { stride } : {}),
        ...(padding !== undefined ? { padding } : {}),
      };
    }
    case 'bn':
    case 'batchnorm': {
      allowOnly(call, ['momentum', 'eps'], 0, where);
      const momentum = number(named.get('momentum'), 'momentum', where);
      const eps = number(named.get('eps'), 'eps', where);
      return {
        type: shape.length === 3 ? 'batch_norm2d' : 'batch_norm1d',
        numFeatures: shape[0],
        ...(momentum !== undefined ? { momentum } : {}),
        ...(eps !== undefined ? { eps } : {}),
      };
    }
    case 'flatten':
      allowOnly(call, [], 0, where);
      return { type: 'flatten' };
    case 'dropout': {
      allowOnly(call, ['p', 'rate'], 1, where);
      const rate = number(p[0] ?? named.get('p') ?? named.get('rate'), 'rate', where);
      if (rate === undefined) throw invalid(`${where}: write dropout(rate), e.g. dropout(0.25)`);
      return { type: 'dropout', rate };
    }
    case 'leaky_relu':
    case 'leakyrelu': {
      allowOnly(call, ['alpha'], 1, where);
      return { type: 'leaky_relu', alpha: number(p[0] ?? named.get('alpha'), 'alpha', where) ?? DEFAULT_LEAKY_ALPHA };
    }
    default:
      if (isActivation(name)) {
        allowOnly(call, [], 0, where);
        return { type: name } as LayerSpec;
      }
      throw invalid(`${where}: unknown layer '${name}'; valid layers: a size (Linear), conv, maxpool, avgpool, bn, flatten, dropout, relu, leaky_relu, sigmoid, tanh, selu, softmax, identity`);
  }
}
