// The ESLint CLI, for `npm run bench -- --corpus`, with the CPU time of the whole process written
// to the file named by BENCH_CPU_FILE when it exits. `--concurrency` runs workers as threads of
// this process, so that figure covers them all, and unlike wall time it is not stretched when the
// workers outnumber the cores or other programs take turns on them.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

process.on('exit', () => {
  const usage = process.resourceUsage();
  writeFileSync(process.env.BENCH_CPU_FILE, String((usage.userCPUTime + usage.systemCPUTime) / 1000));
});
// ESLint's bin reads its arguments from process.argv past this script's path, as it would past its own.
// The bin is not among the package's exports; its folder is found from the package.json, which is.
const eslintPackage = createRequire(import.meta.url).resolve('eslint/package.json');
await import(pathToFileURL(path.join(path.dirname(eslintPackage), 'bin/eslint.js')).href);
