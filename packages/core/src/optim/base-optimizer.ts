import type { Backend } from '../backend/backend.js';
import { ConfigError, ErrorCode, ShapeError, formatShape } from '../errors.js';
import type { Parameter } from '../parameter.js';
import { clipGradientNorm } from './clip.js';
import { describe, resolveOptimizerConfig } from './optimizer-config.js';
import type { Optimizer, OptimizerConfig, OptimizerState, OptimizerType } from './types.js';

/**
 * What every optimizer shares: the parameter list, the learning rate, the step count, gradient
 * clipping, and per-parameter slot buffers (allocated once with `backend.allocate`) with their
 * export and restore. A subclass names its slots and implements `updateParameter`, one backend
 * kernel call per parameter.
 */
export abstract class BaseOptimizer implements Optimizer {
  readonly config: Readonly<OptimizerConfig>;
  readonly parameters: readonly Parameter[];
  /** Global gradient norm before clipping, from the last `step()`; NaN until then or without clipNorm. */
  lastGradientNorm = Number.NaN;
  protected readonly backend: Backend;
  /** slots[slotIndex][parameterIndex], in the order of the slot names given to the constructor. */
  protected readonly slots: Float32Array[][];
  private readonly slotNames: readonly string[];
  private rate: number;
  private steps = 0;
  private disposed = false;

  /**
   * Validates `config` (filling its defaults), checks it is one of `types`, and allocates the
   * slots `slotNamesFor(resolved config)` names for every parameter.
   */
  protected constructor(
    config: OptimizerConfig,
    parameters: readonly Parameter[],
    backend: Backend,
    types: readonly OptimizerType[],
    slotNamesFor: (config: Readonly<OptimizerConfig>) => readonly string[],
  ) {
    const resolved = resolveOptimizerConfig(config);
    if (!types.includes(resolved.type)) {
      throw new ConfigError(
        ErrorCode.INVALID_ARGUMENT,
        `${new.target.name} implements ${types.map((t) => `'${t}'`).join(' and ')}, not '${resolved.type}'; use createOptimizer(config, parameters)`,
      );
    }
    checkParameters(parameters);
    this.config = resolved;
    this.parameters = Object.freeze([...parameters]);
    this.backend = backend;
    const slotNames = slotNamesFor(resolved);
    this.slotNames = slotNames;
    this.rate = resolved.lr;
    this.slots = slotNames.map(() => this.parameters.map((p) => backend.allocate(p.value.data.length)));
  }

  /**
   * Hands the slot buffers back to the backend (they may live in WebAssembly memory, which is not
   * garbage-collected). The optimizer cannot step afterwards. Calling it twice is harmless.
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const slot of this.slots) for (const buffer of slot) this.backend.release(buffer);
  }

  /** Current learning rate; a schedule sets it before each step (see `scheduledLearningRate`). */
  get learningRate(): number {
    return this.rate;
  }

  /** @throws ConfigError (INVALID_ARGUMENT) unless a finite number ≥ 0. */
  set learningRate(value: number) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new ConfigError(ErrorCode.INVALID_ARGUMENT, `optimizer.learningRate must be a finite number ≥ 0, got ${describe(value)}`);
    }
    this.rate = value;
  }

  /** Steps taken so far. */
  get stepCount(): number {
    return this.steps;
  }

  /**
   * One update of every parameter from its accumulated gradient: clips the gradients in place to
   * `config.clipNorm` first when set (recording `lastGradientNorm`), then counts the step and
   * calls the backend kernel once per parameter. Does not zero the gradients.
   */
  step(): void {
    if (this.disposed) {
      throw new ConfigError(ErrorCode.INVALID_STATE, 'optimizer.step() after dispose(): create a new optimizer to keep training');
    }
    if (this.config.clipNorm !== undefined) {
      this.lastGradientNorm = clipGradientNorm(this.parameters, this.config.clipNorm, this.backend);
    }
    this.steps++;
    for (let i = 0; i < this.parameters.length; i++) this.updateParameter(i, this.rate, this.steps);
  }

  /** Sets every parameter's gradient to 0 (gradients accumulate across backward passes). */
  zeroGrad(): void {
    for (const p of this.parameters) p.grad.data.fill(0);
  }

  /** Copies of every slot keyed '<slot>/<parameter name>', plus the step count and learning rate. */
  stateDict(): OptimizerState {
    const slots: Record<string, Float32Array> = {};
    this.slotNames.forEach((slot, s) => {
      this.parameters.forEach((p, i) => {
        slots[`${slot}/${p.name}`] = this.slots[s][i].slice();
      });
    });
    return { type: this.config.type, step: this.steps, learningRate: this.rate, slots };
  }

  /**
   * Restores a `stateDict()` (copying the slots in), so training continues bit-identically.
   * Checks everything before changing anything.
   *
   * @throws ConfigError (INVALID_STATE) when the type differs, a slot is missing, unexpected or of
   *   the wrong size, or the step or learning rate is invalid.
   */
  loadStateDict(state: OptimizerState): void {
    const fail = (message: string): never => {
      throw new ConfigError(ErrorCode.INVALID_STATE, `optimizer.loadStateDict: ${message}`);
    };
    if (typeof state !== 'object' || state === null) fail(`expected an object from stateDict(), got ${describe(state)}`);
    if (state.type !== this.config.type) {
      fail(`state is for a '${state.type}' optimizer but this one is '${this.config.type}'; create a '${state.type}' optimizer to resume`);
    }
    if (!Number.isInteger(state.step) || state.step < 0) fail(`step must be a whole number ≥ 0, got ${describe(state.step)}`);
    if (typeof state.learningRate !== 'number' || !Number.isFinite(state.learningRate) || state.learningRate < 0) {
      fail(`learningRate must be a finite number ≥ 0, got ${describe(state.learningRate)}`);
    }
    const slots = state.slots ?? {};
    const expected = new Set<string>();
    // Check everything before changing anything, so a bad state leaves the optimizer as it was.
    this.slotNames.forEach((slot, s) => {
      this.parameters.forEach((p, i) => {
        const key = `${slot}/${p.name}`;
        expected.add(key);
        const values = slots[key];
        if (values === undefined) fail(`missing slot '${key}'; the state does not match these parameters`);
        if (values.length !== this.slots[s][i].length) {
          fail(`slot '${key}' has ${values.length} values but parameter '${p.name}' has ${this.slots[s][i].length}`);
        }
      });
    });
    const unexpected = Object.keys(slots).filter((key) => !expected.has(key));
    if (unexpected.length > 0) {
      fail(`unexpected slot(s) ${unexpected.map((k) => `'${k}'`).join(', ')}; expected ${[...expected].map((k) => `'${k}'`).join(', ') || 'none'}`);
    }
    this.slotNames.forEach((slot, s) => {
      this.parameters.forEach((p, i) => {
        this.slots[s][i].set(slots[`${slot}/${p.name}`]);
      });
    });
    this.steps = state.step;
    this.rate = state.learningRate;
  }

  /** Updates parameter `index` in place with one backend kernel call. `step` is 1-based. */
  protected abstract updateParameter(index: number, lr: number, step: number): void;
}

function checkParameters(parameters: readonly Parameter[]): void {
  if (!Array.isArray(parameters) || parameters.length === 0) {
    throw new ConfigError(ErrorCode.INVALID_ARGUMENT, 'optimizer: got no parameters to optimize; pass model.parameters()');
  }
  const seen = new Set<string>();
  for (const p of parameters) {
    if (seen.has(p.name)) {
      throw new ConfigError(ErrorCode.INVALID_ARGUMENT, `optimizer: parameter '${p.name}' appears twice; each parameter may be listed once`);
    }
    seen.add(p.name);
    if (p.grad.data.length !== p.value.data.length) {
      throw new ShapeError('optimizer', `parameter '${p.name}' has shape ${formatShape(p.value.shape)} but its gradient ${formatShape(p.grad.shape)}`);
    }
  }
}
