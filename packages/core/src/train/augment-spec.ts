import { ConfigError, ErrorCode } from '../errors.js';
import { closest } from '../closest.js';
import { AUGMENT_KEYS, AUGMENT_RANGES, type AugmentConfig, ELASTIC_RANGES, THICKNESS_RANGES } from './augment-config.js';

/** A spec that cannot be read (the CLI reports it as a bad flag, exit 2; the desktop next to its field). */
function badFlag(message: string): ConfigError {
  return new ConfigError(ErrorCode.INVALID_ARGUMENT, message);
}

/** `elastic` alone: Simard et al.'s alpha 34, sigma 4 for 28×28 digits. */
export const DEFAULT_ELASTIC = { alpha: 34, sigma: 4 } as const;

/** `on` / `default`: small tilts, shifts and size changes, as handwritten digits vary (see the presets for measurements). */
export const DIGITS_AUGMENT = 'rotate=10,shift=2,scale=0.1';

const EXAMPLE = 'rotate=15,shift=3,scale=0.15,shear=10,elastic';
const UNITS: Record<keyof typeof AUGMENT_RANGES, string> = {
  rotate: 'degrees',
  scale: 'fraction of the size',
  shift: 'pixels',
  shear: 'degrees',
  stroke: 'probability',
  erase: 'probability',
};

/**
 * Reads an `--augment` spec: comma-separated `key=value` items, e.g.
 * `rotate=15,shift=3,scale=0.15,shear=10,elastic`. `elastic` alone is alpha 34, sigma 4
 * (`elastic=34:4` spells them out); `thickness=t` changes stroke widths by up to t pixels per side
 * either way (`thickness=0.3:1`: up to 0.3 thinner, up to 1 thicker); `stroke=p` and `erase=p`
 * are probabilities; `on` or `default`
 * is DIGITS_AUGMENT; `off` or `none` is no augmentation (returns null).
 * @throws ConfigError INVALID_ARGUMENT naming the closest key or the value's range.
 */
export function parseAugmentSpec(text: string, flag = '--augment'): AugmentConfig | null {
  const spec = text.trim().toLowerCase();
  if (spec === 'off' || spec === 'none') return null;
  if (spec === 'on' || spec === 'default') return parseAugmentSpec(DIGITS_AUGMENT, flag);
  const items = spec.split(',').map((s) => s.trim());
  if (spec === '' || items.some((s) => s === '')) throw badFlag(`${flag}: '${text}' is not a spec; try ${flag} ${EXAMPLE} (or on, off)`);
  const config: AugmentConfig = {};
  for (const item of items) {
    const [key, value, ...extra] = item.split('=');
    if (!(AUGMENT_KEYS as readonly string[]).includes(key)) {
      throw badFlag(`${flag}: unknown augmentation '${key}'; did you mean '${closest(key, AUGMENT_KEYS)}'? (valid: ${AUGMENT_KEYS.join(', ')})`);
    }
    if (Object.hasOwn(config, key)) throw badFlag(`${flag}: '${key}' is given twice`);
    if (extra.length) throw badFlag(`${flag}: '${item}' has more than one '='`);
    if (key === 'elastic') {
      config.elastic = value === undefined ? { ...DEFAULT_ELASTIC } : parseElastic(value, flag);
      continue;
    }
    if (key === 'thickness') {
      config.thickness = parseThickness(value, flag);
      continue;
    }
    const name = key as keyof typeof AUGMENT_RANGES;
    const [lo, hi] = AUGMENT_RANGES[name];
    if (value === undefined) throw badFlag(`${flag}: '${key}' needs a value in [${lo}, ${hi}] ${UNITS[name]}, e.g. ${key}=${example(name)}`);
    config[name] = number(value, lo, hi, `${flag}: ${key}`, `${UNITS[name]}`);
  }
  return config;
}

/**
 * The spec a run records: every item spelled out (`elastic` → `elastic=34:4`, `thickness=1` →
 * `thickness=1:1`, `on` →
 * DIGITS_AUGMENT), so a checkpoint means the same thing if a default changes; `off` for none.
 */
export function formatAugmentSpec(config: AugmentConfig | null): string {
  if (!config) return 'off';
  return Object.entries(config)
    .map(([key, value]) =>
      key === 'elastic' ? `elastic=${value.alpha}:${value.sigma}` : key === 'thickness' ? `thickness=${value.thin}:${value.thick}` : `${key}=${value}`,
    )
    .join(',');
}

function example(key: keyof typeof AUGMENT_RANGES): number {
  return { rotate: 10, scale: 0.1, shift: 2, shear: 10, stroke: 0.2, erase: 0.25 }[key];
}

function number(value: string, lo: number, hi: number, what: string, unit: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < lo || n > hi) {
    throw badFlag(`${what}: '${value}' must be a number from ${lo} to ${hi} (${unit})`);
  }
  return n;
}

function parseElastic(value: string, flag: string): { alpha: number; sigma: number } {
  const parts = value.split(':');
  if (parts.length !== 2) throw badFlag(`${flag}: elastic takes alpha:sigma, e.g. elastic=34:4 (or elastic alone for 34:4), got '${value}'`);
  const alpha = number(parts[0], ELASTIC_RANGES.alpha[0], ELASTIC_RANGES.alpha[1], `${flag}: elastic alpha`, 'pixels of displacement');
  const sigma = number(parts[1], ELASTIC_RANGES.sigma[0], ELASTIC_RANGES.sigma[1], `${flag}: elastic sigma`, 'pixels of smoothing');
  return { alpha, sigma };
}

function parseThickness(value: string | undefined, flag: string): { thin: number; thick: number } {
  const parts = value?.split(':') ?? [];
  if (value === undefined || parts.length > 2) {
    throw badFlag(`${flag}: thickness takes pixels per side, thin:thick or one value for both, e.g. thickness=0.3:1 or thickness=0.5, got '${value ?? ''}'`);
  }
  const thin = number(parts[0], THICKNESS_RANGES.thin[0], THICKNESS_RANGES.thin[1], `${flag}: thickness (thinner)`, 'pixels per side');
  const thick = parts.length === 2 ? number(parts[1], THICKNESS_RANGES.thick[0], THICKNESS_RANGES.thick[1], `${flag}: thickness (thicker)`, 'pixels per side') : thin;
  return { thin, thick };
}
