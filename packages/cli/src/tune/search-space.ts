import { type ModelSpec, Rng, isLayerArchitecture, parseArchitecture } from '@scratchnet/core';

/** One hyperparameter combination; trials run it once per seed. */
export interface TrialConfig {
  lr: number;
  batchSize: number;
  /** Hidden sizes, e.g. '128-64' ('' for none). */
  hidden: string;
  activations: string;
  optimizer: string;
  /** A fixed layer-by-layer architecture (e.g. a CNN preset's): replaces hidden and activations. */
  arch?: string;
}

/** The values to search, as given on the command line. */
export interface SearchSpace {
  lr: number[];
  batchSize: number[];
  hidden: string[];
  activations: string[];
  optimizer: string[];
  /** A fixed architecture for every configuration (tune --arch). */
  arch?: string;
}

/** Every combination, in a stable order (lr varies slowest). */
export function gridConfigs(space: SearchSpace): TrialConfig[] {
  const out: TrialConfig[] = [];
  for (const lr of space.lr)
    for (const batchSize of space.batchSize)
      for (const hidden of space.hidden)
        for (const activations of space.activations)
          for (const optimizer of space.optimizer) out.push(withArch({ lr, batchSize, hidden, activations, optimizer }, space.arch));
  return out;
}

/**
 * `count` random combinations: the learning rate log-uniform between the smallest and largest
 * given (learning rates matter on a log scale), everything else picked from its list. Seeded,
 * so a resumed search draws the same configurations and can skip the finished ones.
 */
export function randomConfigs(space: SearchSpace, count: number, seed: number): TrialConfig[] {
  const rng = Rng.derive(seed, 7919);
  const pick = <T>(list: T[]) => list[rng.int(list.length)];
  const lo = Math.log(Math.min(...space.lr));
  const hi = Math.log(Math.max(...space.lr));
  const out: TrialConfig[] = [];
  for (let i = 0; i < count; i++) {
    const lr = Number(Math.exp(lo + (hi - lo) * rng.uniform()).toPrecision(3));
    out.push(withArch({ lr, batchSize: pick(space.batchSize), hidden: pick(space.hidden), activations: pick(space.activations), optimizer: pick(space.optimizer) }, space.arch));
  }
  return out;
}

/** A readable, stable key for a configuration (also the CSV's config column). */
export function configKey(c: TrialConfig): string {
  if (c.arch) return `lr=${c.lr} bs=${c.batchSize} arch=${c.arch} opt=${c.optimizer}`;
  return `lr=${c.lr} bs=${c.batchSize} hidden=${c.hidden || 'none'} act=${c.activations} opt=${c.optimizer}`;
}

/** A fixed architecture stands for hidden sizes and activations, which then play no part. */
function withArch(c: TrialConfig, arch: string | undefined): TrialConfig {
  return arch ? { ...c, hidden: '', activations: '', arch } : c;
}

/** The network for a configuration: its fixed architecture, or input, hidden sizes, output. */
export function architectureFor(c: TrialConfig, inputSize: number, classCount: number): string {
  if (c.arch) return c.arch;
  return [inputSize, ...(c.hidden ? c.hidden.split('-') : []), classCount].join('-');
}

/** The model spec of a configuration (an MLP's hidden activations come from the configuration). */
export function trialSpec(c: TrialConfig, inputSize: number, classCount: number): ModelSpec {
  const arch = architectureFor(c, inputSize, classCount);
  return isLayerArchitecture(arch) ? parseArchitecture(arch) : parseArchitecture(arch, { activations: c.activations });
}
