import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { defineConfig } from 'eslint/config';
import { describe, expect, it } from 'vitest';
import plugin from '../src/index.js';
import { rules } from '../src/rules/index.js';
import { repoRoot } from './support/fixtures.js';

const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { name: string; version: string };
const ruleFiles = readdirSync(path.join(repoRoot, 'src/rules'))
  .filter(file => file.endsWith('.ts') && file !== 'index.ts')
  .map(file => file.slice(0, -3))
  .sort();

describe('the plugin object', () => {
  it('names itself after the package', () => {
    expect(plugin.meta).toEqual({ name: pkg.name, version: pkg.version, namespace: 'next-actions' });
  });

  it('registers exactly the rule files in src/rules, sorted', () => {
    expect(Object.keys(plugin.rules)).toEqual(ruleFiles);
  });
});

describe.each(Object.entries(rules))('rule %s', (id, rule) => {
  it('has its source, test, doc page and fixtures', () => {
    expect(existsSync(path.join(repoRoot, 'tests/rules', `${id}.test.ts`))).toBe(true);
    expect(existsSync(path.join(repoRoot, 'docs/rules', `${id}.md`))).toBe(true);
    expect(existsSync(path.join(repoRoot, 'fixtures', id))).toBe(true);
  });

  it('links to its own doc page', () => {
    const url = rule.meta.docs!.url;
    expect(url).toMatch(new RegExp(`/blob/v${pkg.version.replace(/\./g, '\\.')}/docs/rules/${id}\\.md$`));
  });

  it('follows the house style for descriptions and options', () => {
    expect(rule.meta.docs!.description).toMatch(/^(Enforce|Require|Disallow) .+[^. ]$/);
    const hasOptions = (rule.meta.schema as unknown[]).length > 0;
    expect(rule.meta.defaultOptions !== undefined, 'meta.defaultOptions goes with a schema').toBe(hasOptions);
    for (const messageId of Object.keys(rule.meta.messages)) expect(messageId).toMatch(/^[a-z][a-zA-Z]+$/);
  });

  it('uses the doc page template', () => {
    const doc = readFileSync(path.join(repoRoot, 'docs/rules', `${id}.md`), 'utf8');
    expect(doc.startsWith(`# next-actions/${id}\n`)).toBe(true);
    for (const heading of ['## Examples', '### ❌ Incorrect', '### ✅ Correct', '## When Not To Use It']) {
      expect(doc, heading).toContain(`\n${heading}\n`);
    }
    const hasOptions = (rule.meta.schema as unknown[]).length > 0;
    expect(doc.includes('\n## Options\n'), 'a rule with options documents them').toBe(hasOptions);
  });

  it('reports nothing on an empty file', async () => {
    const eslint = new ESLint({ overrideConfigFile: true, overrideConfig: [plugin.configs.all] });
    const [result] = await eslint.lintText('', { filePath: 'app/empty.tsx' });
    expect(result!.messages).toEqual([]);
  });
});

describe('configs', () => {
  const expectedFor = (config: 'recommended' | 'strict' | 'all') =>
    Object.fromEntries(
      Object.entries(rules).flatMap(([id, rule]) => {
        const docs = rule.meta.docs ?? {};
        const { recommended, strict } = docs as { recommended?: string; strict?: string };
        const severity =
          config === 'recommended' ? recommended : config === 'strict' ? (strict ?? recommended) : (strict ?? recommended ?? 'error');
        return severity ? [[`next-actions/${id}`, severity]] : [];
      }),
    );

  it.each(['recommended', 'strict', 'all'] as const)('%s holds what rule meta says', name => {
    expect(plugin.configs[name].rules).toEqual(expectedFor(name));
    expect(plugin.configs[name].name).toBe(`next-actions/${name}`);
  });

  it('`all` turns on every rule', () => {
    expect(Object.keys(plugin.configs.all.rules ?? {}).length).toBe(ruleFiles.length);
  });

  it.each(['recommended', 'strict', 'all'] as const)('%s works on its own, with parser and files', async name => {
    const eslint = new ESLint({ overrideConfigFile: true, overrideConfig: [plugin.configs[name]] });
    const computed = (await eslint.calculateConfigForFile('app/page.tsx')) as { rules: Record<string, unknown> };
    expect(Object.keys(computed.rules)).toEqual(expect.arrayContaining(Object.keys(plugin.configs[name].rules ?? {})));
    const [result] = await eslint.lintText(`'use server';\nexport const x = <div />;\nexport function a() {}\n`, {
      filePath: 'app/actions.tsx',
    });
    expect(result!.messages.map(message => message.ruleId)).toContain('next-actions/valid-server-actions');
    expect(result!.messages.filter(message => message.fatal)).toEqual([]);
  });

  it('works through defineConfig and extends', async () => {
    const eslint = new ESLint({
      overrideConfigFile: true,
      overrideConfig: defineConfig([{ files: ['**/*.ts'], plugins: { 'next-actions': plugin }, extends: ['next-actions/recommended'] }]),
    });
    const [result] = await eslint.lintText(`'use server';\nexport function a() {}\n`, { filePath: 'app/actions.ts' });
    expect(result!.messages.map(message => message.messageId)).toEqual(['syncExport']);
  });
});
