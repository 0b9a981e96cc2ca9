import { Rng } from '@scratchnet/core';

/** One hyperparameter combination; trials run it once per seed. */
export interface TrialConfig {
  lr: number;
  batchSize: number;
  /** Hidden sizes, e.g. '128-64' ('' for none). */
  hidden: string;
  activations: string;
  optimizer: string;
}

/** The values to search, as given on the command line. */
export interface SearchSpace {
  lr: number[];
  batchSize: number[];
  hidden: string[];
  activations: string[];
  optimizer: string[];
}

/** Every combination, in a stable order (lr varies slowest). */
export function gridConfigs(space: SearchSpace): TrialConfig[] {
  const out: TrialConfig[] = [];
  for (const lr of space.lr)
    for (const batchSize of space.batchSize)
      for (const hidden of space.hidden)
        for (const activations of space.activations)
          for (const optimizer of space.optimizer) out.push({ lr, batchSize, hidden, activations, optimizer });
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
    out.push({ lr, batchSize: pick(space.batchSize), hidden: pick(space.hidden), activations: pick(space.activations), optimizer: pick(space.optimizer) });
  }
  return out;
}

/** A readable, stable key for a configuration (also the CSV's config column). */
export function configKey(c: TrialConfig): string {
  return `lr=${c.lr} bs=${c.batchSize} hidden=${c.hidden || 'none'} act=${c.activations} opt=${c.optimizer}`;
}

/** The network for a configuration: input, hidden sizes, output. */
export function architectureFor(c: TrialConfig, inputSize: number, classCount: number): string {
  return [inputSize, ...(c.hidden ? c.hidden.split('-') : []), classCount].join('-');
}
