/**
 * Every environment variable scratchnet reads, for `--help`. Kept in one list so the help cannot
 * forget one; a test greps the sources for SCRATCHNET_* and checks each is here.
 */
export const ENVIRONMENT: ReadonlyArray<readonly [name: string, meaning: string]> = [
  ['SCRATCHNET_CACHE_DIR', 'where downloaded data sets are kept (default: ~/.cache/scratchnet, or $XDG_CACHE_HOME/scratchnet)'],
  ['SCRATCHNET_MIRROR', 'a mirror URL tried before the official ones'],
  ['SCRATCHNET_OFFLINE', '1: never download; use the cache, --data-dir, system data dirs or the bundled digits'],
  ['SCRATCHNET_SYSTEM_DATA_DIRS', "folders searched for installed data sets, ':'-separated (default /usr/share/datasets; empty: none)"],
  ['SCRATCHNET_DATASETS', 'a JSON file of extra data set specs (name, classes, files, digests, mirrors)'],
  ['SCRATCHNET_DOWNLOAD_TIMEOUT_MS', "longest silence from a server before a download fails (default 30000)"],
  ['SCRATCHNET_DOWNLOAD_DEADLINE_MS', 'longest one download may take in all (default 600000)'],
  ['SCRATCHNET_BACKEND', 'js | wasm | auto: the kernels to run (default auto: WebAssembly SIMD when available)'],
  ['SCRATCHNET_THREADS', 'threads for the large matrix products when --threads is not given (default 1)'],
  ['SCRATCHNET_REDIS_PASSWORD', 'the Redis password for tune --queue and worker when the --queue URL has none (keeps it out of ps)'],
  ['NO_COLOR', 'any non-empty value: no colour (predict --show and play draw with shade characters)'],
  ['FORCE_COLOR', 'colour even when stdout is not a terminal (0 or false: never); NO_COLOR wins'],
  ['TERM', 'dumb: no colour and no progress line redrawn in place'],
];

export function environmentHelp(): string {
  const width = Math.max(...ENVIRONMENT.map(([name]) => name.length));
  return `\nEnvironment:\n${ENVIRONMENT.map(([name, meaning]) => `  ${name.padEnd(width)}  ${meaning}`).join('\n')}\n`;
}
