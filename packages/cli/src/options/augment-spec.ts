// The spec syntax is core's (the desktop reads the same specs from presets and checkpoints).
export { DEFAULT_ELASTIC, DIGITS_AUGMENT, formatAugmentSpec, parseAugmentSpec } from '@scratchnet/core';
