import { ConfigError, ErrorCode } from '../errors.js';
import { isLayerArchitecture, parseLayerArchitecture } from './parse-layers.js';
import {
  type Activation,
  DEFAULT_LEAKY_ALPHA,
  isActivation,
  type LayerSpec,
  type ModelSpec,
  unknownActivation,
} from './spec.js';

/** Options of `parseArchitecture`. */
export interface ArchitectureOptions {
  /**
   * Hidden-layer activations: one name for all ('relu'), or one per hidden layer, as a
   * comma-separated string ('relu,selu,tanh') or an array. Default 'relu'.
   */
  activations?: string | readonly string[];
  /** Dropout rate inserted after every hidden activation (0 or unset: none). */
  dropout?: number;
  /** Output activation. 'identity' (default) gives logits, as cross-entropy and BCE expect. */
  output?: 'identity' | 'softmax' | 'sigmoid';
  /** LeakyReLU negative slope (default 0.01). */
  leakyAlpha?: number;
}

function invalid(message: string): ConfigError {
  return new ConfigError(ErrorCode.INVALID_ARCHITECTURE, message);
}

function activationLayer(name: Activation, leakyAlpha: number): LayerSpec {
  return name === 'leaky_relu' ? { type: 'leaky_relu', alpha: leakyAlpha } : { type: name };
}

/**
 * Parses a compact architecture such as '784-256-128-10' (input size, hidden sizes, output size)
 * into a ModelSpec laid out as PyTorch's nn.Sequential: Linear, activation, [Dropout], …, Linear,
 * [output activation]. A string that starts with an input shape such as '1x28x28' or names its
 * layers ('1x28x28-conv(6,5,pad=2)-relu-maxpool(2)-flatten-10') is read layer by layer instead:
 * see {@link parseLayerArchitecture}.
 *
 * @example parseArchitecture('784-256-128-10', { activations: 'relu,tanh', dropout: 0.2 })
 * @throws ConfigError INVALID_ARCHITECTURE naming the bad token, or UNKNOWN_ACTIVATION listing valid names.
 */
export function parseArchitecture(architecture: string, options: ArchitectureOptions = {}): ModelSpec {
  if (typeof architecture !== 'string' || architecture.trim() === '') {
    throw invalid("architecture must be a string of layer sizes such as '784-128-10'");
  }
  const output = options.output ?? 'identity';
  if (!['identity', 'softmax', 'sigmoid'].includes(output)) {
    throw new ConfigError(
      ErrorCode.UNKNOWN_ACTIVATION,
      `unknown output activation '${output}'; valid output activations: identity, softmax, sigmoid`,
    );
  }
  if (isLayerArchitecture(architecture)) return parseLayers(architecture, options);
  const tokens = architecture.trim().split('-');
  const sizes = tokens.map((token, i) => {
    const t = token.trim();
    if (!/^\d+$/.test(t) || Number(t) < 1) {
      throw invalid(
        `architecture '${architecture}': size #${i + 1} '${token}' is not a positive whole number (write sizes like '784-128-10')`,
      );
    }
    return Number(t);
  });
  if (sizes.length < 2) {
    throw invalid(`architecture '${architecture}' needs at least an input and an output size, e.g. '784-10'`);
  }
  const hiddenCount = sizes.length - 2;
  const activations = resolveActivations(options.activations ?? 'relu', hiddenCount);
  const dropout = options.dropout ?? 0;
  if (!(typeof dropout === 'number' && dropout >= 0 && dropout < 1)) {
    throw new ConfigError(ErrorCode.INVALID_ARGUMENT, `dropout must be a rate in [0, 1), got ${dropout}`);
  }
  const leakyAlpha = options.leakyAlpha ?? DEFAULT_LEAKY_ALPHA;

  const layers: LayerSpec[] = [];
  for (let i = 0; i < sizes.length - 1; i++) {
    layers.push({ type: 'dense', inputSize: sizes[i], outputSize: sizes[i + 1] });
    if (i < hiddenCount) {
      layers.push(activationLayer(activations[i], leakyAlpha));
      if (dropout > 0) layers.push({ type: 'dropout', rate: dropout });
    }
  }
  if (output !== 'identity') layers.push({ type: output });
  return { inputSize: sizes[0], layers };
}

/** The layer-by-layer syntax names every activation and dropout itself; only an output activation may be added. */
function parseLayers(architecture: string, options: ArchitectureOptions): ModelSpec {
  if (options.activations !== undefined || (options.dropout ?? 0) > 0) {
    throw invalid(
      `architecture '${architecture}' lists its layers one by one, so write activations and dropout in it (e.g. ...-conv(16,3)-relu-dropout(0.25)-...) instead of giving them separately`,
    );
  }
  const spec = parseLayerArchitecture(architecture);
  const output = options.output ?? 'identity';
  if (output !== 'identity') spec.layers.push({ type: output });
  return spec;
}

function resolveActivations(value: string | readonly string[], hiddenCount: number): Activation[] {
  const names = (typeof value === 'string' ? value.split(',') : [...value]).map((n) => String(n).trim().toLowerCase());
  names.forEach((name, i) => {
    if (!isActivation(name)) throw unknownActivation(name, `activation #${i + 1}`);
  });
  if (names.length === 1) return Array.from({ length: hiddenCount }, () => names[0] as Activation);
  if (names.length !== hiddenCount) {
    throw invalid(
      `got ${names.length} activations (${names.join(',')}) for ${hiddenCount} hidden layers; give one for all or one per hidden layer`,
    );
  }
  return names as Activation[];
}
