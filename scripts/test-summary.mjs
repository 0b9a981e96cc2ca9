// Adds up the vitest JSON reports that each package's `test` task writes to
// test-artifacts/vitest.json and prints one closing line: "Tests: N passed, N failed, N skipped".
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const roots = ['tests', 'bench', ...readdirSync('packages').map((p) => join('packages', p))];
let passed = 0;
let failed = 0;
let skipped = 0;
for (const root of roots) {
  const file = join(root, 'test-artifacts', 'vitest.json');
  if (!existsSync(file)) continue;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
}
console.log(`Tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
if (failed > 0 || passed === 0) process.exit(1);
