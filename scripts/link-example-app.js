// Makes `import nextActions from 'eslint-plugin-next-actions'` in fixtures/next-app resolve to
// this repository's build, exactly as it would resolve to an installed copy in a user's app.
import { lstatSync, mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const exampleApp = path.join(repoRoot, 'fixtures/next-app');

export function linkExampleApp() {
  const modules = path.join(exampleApp, 'node_modules');
  const link = path.join(modules, 'eslint-plugin-next-actions');
  mkdirSync(modules, { recursive: true });
  try {
    lstatSync(link);
  } catch {
    symlinkSync(path.relative(modules, repoRoot), link, 'dir');
  }
  return exampleApp;
}
