import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { it } from 'vitest';
import { Linter } from 'eslint';
import parser from '@typescript-eslint/parser';
import rule from '../src/rules/no-fetch-own-api.js';

function walk(dir: string, out: string[], limit: number) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (out.length >= limit) return;
    if (e.name === '.git' || e.name === 'x' || e.name === 'y') continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out, limit);
    else if (/\.(tsx?|jsx?|mjs)$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
  }
}

it('fuzz', () => {
  const files: string[] = [];
  walk('/tmp/nfoa/real', files, 5000);
  for (const d of [] as string[]) { void d; } for (const d of ['node_modules/axios/lib', 'node_modules/ky', 'node_modules/swr', 'node_modules/eslint/lib/rules', 'node_modules/@typescript-eslint/eslint-plugin/dist/rules']) { try { void d; } catch {} }
  let crashes = 0, reports = 0, n = 0;
  const linter = new Linter({ configType: 'flat', cwd: '/tmp/nfoa/real/y' });
  const t = Date.now();
  const byId: Record<string, number> = {};
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const [prefix, name] of [["'use client';\n", 'components/a.tsx'], ['', 'app/p/page.tsx'], ["'use server';\n", 'app/p/actions.ts'], ['', 'app/api/r/route.ts']] as const) {
      n++;
      const ms = linter.verify(prefix + text, [{ files: ['**/*.ts', '**/*.tsx'], languageOptions: { parser, parserOptions: { ecmaFeatures: { jsx: true } } }, plugins: { x: { rules: { r: rule as never } } }, rules: { 'x/r': ['error', { reads: 'all' }] } }], { filename: path.join('/tmp/nfoa/real/y', name) });
      for (const m of ms) {
        if (m.ruleId !== 'x/r') continue; if (m.ruleId === 'x/r') { reports++; byId[m.messageId!] = (byId[m.messageId!] ?? 0) + 1; if (process.env.SHOW) console.log(file, name, m.line, m.message.slice(0, 120)); }
        else if (!m.fatal && !m.message.startsWith('No matching configuration')) { crashes++; console.log('CRASH', file, m.message); }
      }
    }
  }
  console.log('files', files.length, 'runs', n, 'crashes', crashes, 'reports', reports, JSON.stringify(byId), Date.now() - t, 'ms');
}, 600000);
