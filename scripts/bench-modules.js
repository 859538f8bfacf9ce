// What cross-file resolution costs on a project with hundreds of files.
//
//   npm run build && node scripts/bench-modules.js [clientFiles=400] [actionModules=200]
//
// Generates an App Router project in a temporary folder (tsconfig `paths`, "use server" modules,
// plain library modules, client components that call actions through `@/` and relative imports),
// then measures:
//   1. resolveImport + getModuleInfo for every import, cold (empty caches) and warm;
//   2. the time ESLint's own statistics charge to no-parallel-actions (which resolves every
//      imported callee it looks at) in a full lint, first with empty caches, then warm.
// Not a test: the numbers depend on the machine. Prints one summary line per measurement.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ESLint } from 'eslint';
import {
  clearModuleCaches,
  getModuleCacheStats,
  getModuleInfo,
  resolveImport,
} from '../dist/analysis/modules.js';
import plugin from '../dist/index.js';

const clientCount = Number(process.argv[2] ?? 400);
const actionCount = Number(process.argv[3] ?? 200);
const libCount = Math.max(1, Math.round(actionCount / 2));

function write(root, file, text) {
  const full = path.join(root, file);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, text);
}

/** The project, and every (importing file, specifier) pair in it. */
function generate(root) {
  const imports = [];
  write(root, 'package.json', '{ "name": "bench-app", "private": true }');
  write(root, 'tsconfig.base.json', JSON.stringify({ compilerOptions: { paths: { '@/*': ['./src/*'] } } }));
  write(root, 'tsconfig.json', JSON.stringify({ extends: './tsconfig.base.json', compilerOptions: { jsx: 'preserve', moduleResolution: 'bundler' } }));
  for (let i = 0; i < libCount; i++) {
    write(root, `src/lib/lib-${i}.ts`, `export function format${i}(value: string) {\n  return value.trim();\n}\n`);
  }
  for (let i = 0; i < actionCount; i++) {
    write(
      root,
      `src/app/feature-${i}/actions.ts`,
      `'use server';\n\nimport { revalidatePath } from 'next/cache';\nimport { format${i % libCount} } from '@/lib/lib-${i % libCount}';\n\n` +
        `export async function save${i}(title: string) {\n  format${i % libCount}(title);\n  revalidatePath('/feature-${i}');\n}\n\n` +
        `export async function remove${i}(id: string) {\n  revalidatePath('/feature-${i}');\n}\n`,
    );
  }
  for (let i = 0; i < clientCount; i++) {
    const own = i % actionCount;
    const other = (i * 7 + 3) % actionCount;
    const lib = i % libCount;
    const dir = `src/app/feature-${own}`;
    const file = `${dir}/client-${i}.tsx`;
    const specifiers = ['./actions', `@/app/feature-${other}/actions`, `@/lib/lib-${lib}`];
    for (const specifier of specifiers) imports.push([path.join(root, file), specifier]);
    const parallel = i % 2 === 0;
    write(
      root,
      file,
      `'use client';\n\nimport { useState, useTransition } from 'react';\nimport { save${own}, remove${own} } from './actions';\n` +
        `import { save${other} } from '@/app/feature-${other}/actions';\nimport { format${lib} } from '@/lib/lib-${lib}';\n\n` +
        `export function Client${i}({ id, title }: { id: string; title: string }) {\n` +
        `  const [pending, startTransition] = useTransition();\n  const [done, setDone] = useState(false);\n` +
        `  async function run() {\n` +
        (parallel
          ? `    await Promise.all([save${own}(format${lib}(title)), save${other}(title), remove${own}(id)]);\n`
          : `    await save${own}(format${lib}(title));\n    await save${other}(title);\n    await remove${own}(id);\n`) +
        `    setDone(true);\n  }\n` +
        `  return <button disabled={pending} onClick={() => startTransition(run)}>{done ? 'Done' : 'Run'}</button>;\n}\n`,
    );
  }
  return imports;
}

function time(run) {
  const start = performance.now();
  const value = run();
  return { ms: performance.now() - start, value };
}

/** One ESLint run with ESLint's own per-rule timings, which machine load disturbs less than wall time. */
async function lint(root) {
  const eslint = new ESLint({
    cwd: root,
    stats: true,
    overrideConfigFile: true,
    overrideConfig: [{ ...plugin.configs.all, rules: { 'next-actions/no-parallel-actions': 'warn' } }],
  });
  const results = await eslint.lintFiles(['src']);
  const sum = { parse: 0, rule: 0, total: 0 };
  for (const result of results) {
    for (const pass of result.stats?.times.passes ?? []) {
      sum.parse += pass.parse.total;
      sum.rule += pass.rules?.['next-actions/no-parallel-actions']?.total ?? 0;
      sum.total += pass.total;
    }
  }
  return { ...sum, files: results.length, warnings: results.reduce((total, result) => total + result.warningCount, 0) };
}

const fmt = ms => `${ms.toFixed(1)} ms`;

const root = mkdtempSync(path.join(tmpdir(), 'next-actions-bench-'));
try {
  const imports = generate(root);
  const files = clientCount + actionCount + libCount;

  clearModuleCaches();
  const cold = time(() => {
    let resolved = 0;
    for (const [from, specifier] of imports) {
      const file = resolveImport(from, specifier);
      if (file && getModuleInfo(file)) resolved++;
    }
    return resolved;
  });
  const stats = getModuleCacheStats();
  const warm = time(() => imports.forEach(([from, specifier]) => getModuleInfo(resolveImport(from, specifier) ?? '')));

  console.log(`project: ${files} files (${clientCount} client components, ${actionCount} action modules, ${libCount} libraries)`);
  console.log(
    `resolution, cold: ${imports.length} imports (${cold.value} resolved) in ${fmt(cold.ms)}, ` +
      `${(cold.ms / imports.length).toFixed(3)} ms each; ${stats.configParses} config parse(s), ${stats.fileReads} file reads`,
  );
  console.log(`resolution, warm: ${imports.length} imports in ${fmt(warm.ms)}, ${((warm.ms * 1000) / imports.length).toFixed(1)} µs each`);

  clearModuleCaches();
  const first = await lint(root);
  const second = await lint(root);
  console.log(
    `eslint, ${first.files} files: no-parallel-actions ${fmt(first.rule)} with empty caches, ${fmt(second.rule)} warm; ` +
      `for scale, parsing ${fmt(first.parse)}, the whole lint ${fmt(first.total)} (${first.warnings} warnings)`,
  );
} finally {
  rmSync(root, { recursive: true, force: true });
}
