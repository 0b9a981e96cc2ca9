import { INITIALIZER_NAMES } from '../init.js';
import { invalidLayer } from './layer-kind.js';

/** Checks a layer spec's optional `init` field. */
export function checkInitializer(init: unknown, where: string): void {
  if (init !== undefined && !(INITIALIZER_NAMES as readonly unknown[]).includes(init)) {
    throw invalidLayer(where, `unknown initializer '${init}'; valid initializers: ${INITIALIZER_NAMES.join(', ')}`);
  }
}
