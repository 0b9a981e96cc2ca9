import { readFileSync } from 'node:fs';

/**
 * The CLI's version, read from its package.json at run time, so `--version` never disagrees with
 * the published package. `../package.json` is the same file from src/ (tests) and from dist/
 * (the built CLI, in the workspace or installed from a tarball).
 */
export const CLI_VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
