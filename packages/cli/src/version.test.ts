import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createProgram } from './program.js';
import { CLI_VERSION } from './version.js';

describe('--version', () => {
  it('is the version in packages/cli/package.json, not a copy', () => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(CLI_VERSION).toBe(version);
    expect(createProgram().version()).toBe(version);
  });
});
