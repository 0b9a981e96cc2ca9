import { ConfigError, ErrorCode } from '../errors.js';
import type { ScheduleConfig } from '../optim/types.js';

const FORMS = ['constant', 'cosine', 'cosine:<minLr>', 'step:<every>:<gamma>', 'exp:<gamma>', 'warmup:<epochs>[:<then>]'];

function bad(message: string): ConfigError {
  return new ConfigError(ErrorCode.INVALID_ARGUMENT, message);
}

/**
 * A schedule as runs store it (`schedule` in TrainingHyperparameters): `constant`, `cosine` /
 * `cosine:1e-5`, `step:5:0.5` (× 0.5 every 5 epochs), `exp:0.95`, `warmup:2` or `warmup:2:cosine`.
 * @throws ConfigError naming the part that is wrong and the forms.
 */
export function parseScheduleText(text: string): ScheduleConfig {
  if (typeof text !== 'string') throw bad(`schedule: expected text such as 'cosine', got ${typeof text}`);
  const [kind, ...args] = text.trim().toLowerCase().split(':');
  const num = (s: string | undefined, what: string) => {
    const n = Number(s);
    if (s === undefined || s === '' || !Number.isFinite(n) || n < 0) throw bad(`schedule ${text}: ${what} must be a number ≥ 0; forms: ${FORMS.join(', ')}`);
    return n;
  };
  const count = (s: string | undefined, what: string) => {
    const n = Number(s);
    if (s === undefined || s.trim() === '' || !Number.isInteger(n) || n < 1 || n > 1_000_000) {
      throw bad(`schedule ${text}: ${what} must be a whole number of epochs ≥ 1; forms: ${FORMS.join(', ')}`);
    }
    return n;
  };
  switch (kind) {
    case 'constant':
    case 'none':
      return { type: 'constant' };
    case 'cosine':
      return args.length ? { type: 'cosine', minLr: num(args[0], 'the final learning rate') } : { type: 'cosine' };
    case 'step':
      return { type: 'step', stepSize: count(args[0] ?? '5', 'the step size'), gamma: num(args[1] ?? '0.5', 'gamma') };
    case 'exp':
    case 'exponential':
      return { type: 'exponential', gamma: num(args[0] ?? '0.95', 'gamma') };
    case 'warmup': {
      const warmupEpochs = count(args[0] ?? '1', 'the warm-up length');
      const rest = args.slice(1).join(':');
      // biome-ignore lint/suspicious/noThenProperty: `then` is ScheduleConfig's field name.
      return rest ? { type: 'warmup', warmupEpochs, then: parseScheduleText(rest) } : { type: 'warmup', warmupEpochs };
    }
    default:
      throw bad(`schedule: unknown schedule '${text}'; use one of ${FORMS.join(', ')}`);
  }
}
