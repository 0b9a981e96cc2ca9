import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** `pnpm release` (scripts/release.mjs) must never publish from CI. */
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const script = fileURLToPath(new URL('../scripts/release.mjs', import.meta.url));

describe('pnpm release', () => {
  it.each(['true', '1', 'TRUE'])('refuses with CI=%s, before building or publishing anything', (ci) => {
    const result = spawnSync(process.execPath, [script], { cwd: repoRoot, env: { PATH: process.env.PATH, CI: ci }, encoding: 'utf8', timeout: 30_000 });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/refusing to publish from CI/);
    expect(result.stderr).not.toMatch(/release: pnpm/);
  });

  it('is the root "release" script, next to changeset and version-packages', () => {
    const { scripts, devDependencies } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(scripts).toMatchObject({ release: 'node scripts/release.mjs', changeset: 'changeset', 'version-packages': 'changeset version' });
    expect(devDependencies['@changesets/cli']).toMatch(/^~2\./);
  });
});
