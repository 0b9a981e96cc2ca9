import { ConfigError, ErrorCode } from '../errors.js';
import type { Parameter } from '../parameter.js';
import type { EarlyStoppingOptions, EarlyStoppingState, EpochRecord, MonitorName } from './types.js';

const MONITORS: readonly MonitorName[] = ['val_loss', 'val_accuracy', 'loss', 'accuracy'];

/**
 * Stops training when the monitored value has not improved for `patience` epochs, and keeps a
 * copy of the best weights (buffers allocated once) to restore at the end.
 */
export class EarlyStopping {
  readonly state: EarlyStoppingState;
  private readonly patience: number;
  private readonly minDelta: number;
  private readonly maximize: boolean;

  constructor(
    options: EarlyStoppingOptions,
    hasValidation: boolean,
    private readonly parameters: readonly Parameter[],
  ) {
    const monitor = options.monitor ?? (hasValidation ? 'val_loss' : 'loss');
    if (!MONITORS.includes(monitor)) {
      throw new ConfigError(ErrorCode.INVALID_ARGUMENT, `earlyStopping.monitor '${monitor}' is unknown; valid: ${MONITORS.join(', ')}`);
    }
    if (monitor.startsWith('val_') && !hasValidation) {
      throw new ConfigError(ErrorCode.INVALID_ARGUMENT, `earlyStopping.monitor '${monitor}' needs validation data; pass options.validation or monitor 'loss'`);
    }
    if (!(Number.isInteger(options.patience) && options.patience >= 0)) {
      throw new ConfigError(ErrorCode.INVALID_ARGUMENT, `earlyStopping.patience must be a whole number ≥ 0, got ${options.patience}`);
    }
    this.patience = options.patience;
    this.minDelta = Math.abs(options.minDelta ?? 0);
    this.maximize = monitor.endsWith('accuracy');
    const keepWeights = options.restoreBestWeights ?? true;
    this.state = {
      monitor,
      best: this.maximize ? -Infinity : Infinity,
      bestEpoch: -1,
      wait: 0,
      bestWeights: keepWeights ? Object.fromEntries(parameters.map((p) => [p.name, new Float32Array(p.value.size)])) : null,
    };
  }

  /** Continues from a saved state (from a TrainerState). */
  load(saved: EarlyStoppingState): void {
    if (saved.monitor !== this.state.monitor) {
      throw new ConfigError(ErrorCode.INVALID_STATE, `resume: early stopping monitored '${saved.monitor}', now '${this.state.monitor}'; use the same options`);
    }
    // JSON turns ±Infinity into null: that is the "nothing seen yet" value.
    this.state.best = saved.best ?? (this.maximize ? -Infinity : Infinity);
    this.state.bestEpoch = saved.bestEpoch;
    this.state.wait = saved.wait;
    if (this.state.bestWeights && saved.bestWeights) {
      for (const name of Object.keys(this.state.bestWeights)) this.state.bestWeights[name].set(saved.bestWeights[name]);
    }
  }

  /** Records an epoch; returns true when training should stop. */
  update(record: EpochRecord): boolean {
    const value = this.monitored(record);
    const improved = this.maximize ? value > this.state.best + this.minDelta : value < this.state.best - this.minDelta;
    if (improved) {
      this.state.best = value;
      this.state.bestEpoch = record.epoch;
      this.state.wait = 0;
      if (this.state.bestWeights) for (const p of this.parameters) this.state.bestWeights[p.name].set(p.value.data);
      return false;
    }
    this.state.wait++;
    return this.state.wait >= this.patience;
  }

  /** Copies the best weights back into the model (when kept and an epoch was recorded). */
  restoreBest(): void {
    if (!this.state.bestWeights || this.state.bestEpoch < 0) return;
    for (const p of this.parameters) p.value.data.set(this.state.bestWeights[p.name]);
  }

  snapshot(): EarlyStoppingState {
    const weights = this.state.bestWeights;
    return {
      ...this.state,
      bestWeights: weights ? Object.fromEntries(Object.entries(weights).map(([k, v]) => [k, v.slice()])) : null,
    };
  }

  private monitored(record: EpochRecord): number {
    switch (this.state.monitor) {
      case 'val_loss':
        return record.valLoss ?? Number.NaN;
      case 'val_accuracy':
        return record.valAccuracy ?? Number.NaN;
      case 'loss':
        return record.loss;
      case 'accuracy':
        return record.accuracy;
    }
  }
}
