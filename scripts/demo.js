// `npm run demo`: lints the bundled example app with the built plugin and its own eslint.config.mjs.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { linkExampleApp, repoRoot } from './link-example-app.js';

const app = linkExampleApp();
const eslintBin = path.join(repoRoot, 'node_modules/eslint/bin/eslint.js');
console.log(`Linting ${path.relative(process.cwd(), app) || '.'} with eslint-plugin-next-actions (configs.strict)\n`);
const run = spawnSync(process.execPath, [eslintBin, '.', '--format', 'stylish'], { cwd: app, stdio: 'inherit' });
if (run.status === 1) {
  console.log('These findings are intended: each one is marked `// expect: <rule>` in the example app.');
  process.exit(0);
}
process.exit(run.status ?? 1);
