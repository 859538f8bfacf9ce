import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ESLint, type Linter } from 'eslint';
import typescriptParser from '@typescript-eslint/parser';
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

  // Every rule agrees on which files hold actions: a stray "use server" on top of a file that
  // answers HTTP itself gets the build errors Next.js gives it, not a list of action findings.
  it.each([
    ['a Route Handler', 'app/api/orders/route.ts'],
    ['a Pages API route', 'pages/api/orders.ts'],
    ['the proxy', 'proxy.ts'],
  ])('gives %s with a stray "use server" no action findings', async (_kind, filePath) => {
    const eslint = new ESLint({ overrideConfigFile: true, overrideConfig: [plugin.configs.all] });
    const code = `'use server';
import { db } from '@/lib/db';
export const dynamic = 'force-dynamic';
export async function POST(request: Request) {
  const order = await db.order.create({ data: await request.json() });
  return Response.json(order, { status: 201 });
}
`;
    const [result] = await eslint.lintText(code, { filePath });
    const findings = result!.messages.map(message => `${message.line}:${message.ruleId}:${message.messageId}`);
    // Next.js still compiles the directive, and fails the build on the value export under it.
    const build = '3:next-actions/valid-server-actions:valueExportBuild';
    expect(findings).toEqual(filePath.endsWith('route.ts') ? ['1:next-actions/valid-server-actions:serverDirectiveInRoute', build] : [build]);
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

  it.each(['recommended', 'strict', 'all'] as const)('%s spreads into an ignores-only object, the TypeScript parser for TypeScript files, JSX for JavaScript files and the rules', name => {
    const config = plugin.configs[name];
    const list = [...config];
    expect(list.map(item => item.name)).toEqual(['next-actions/ignores', 'next-actions/typescript', 'next-actions/javascript', `next-actions/${name}`]);
    expect(Object.keys(list[0]!)).toEqual(['name', 'ignores']);
    expect(list[3]!.rules).toEqual(config.rules);
    // ESLint validates config objects by their keys; the list must not show up among them.
    expect(Object.keys(config)).toEqual(['name', 'files', 'plugins', 'rules', 'processor', 'languageOptions']);
    expect(Symbol.iterator in { ...config }).toBe(false);
  });

  describe('build output', () => {
    const built = ['.next/server/app/page.js', '.next/static/chunks/0a1b2c3d._.js', 'apps/web/.next/types/routes.d.ts', 'out/index.js', 'build/server.js', 'next-env.d.ts', 'apps/web/next-env.d.ts'];
    const source = ['app/page.tsx', 'app/build/page.tsx', 'src/out/format.ts', 'lib/db.js'];

    it('is ignored altogether by the spread config', async () => {
      const eslint = new ESLint({ overrideConfigFile: true, overrideConfig: [...plugin.configs.recommended] });
      for (const file of built) expect(await eslint.isPathIgnored(file), file).toBe(true);
      for (const file of source) expect(await eslint.isPathIgnored(file), file).toBe(false);
    });

    it.each(['object', 'list'] as const)('as a config %s, lints no file there and still lints the sources', async form => {
      const config = form === 'object' ? [plugin.configs.recommended] : [...plugin.configs.recommended];
      const eslint = new ESLint({ overrideConfigFile: true, overrideConfig: config });
      // A chunk keeps its sources' directives, naming rules of plugins this config does not load.
      const chunk = `'use server';\n// eslint-disable-next-line react-hooks/exhaustive-deps\nexport function a() {}\n`;
      const report = async (file: string) => {
        const [result] = await eslint.lintText(chunk, { filePath: file, warnIgnored: false });
        return (result?.messages ?? []).map(message => `${message.line}:${message.ruleId}`);
      };
      for (const file of built) expect(await report(file), file).toEqual([]);
      for (const file of source) {
        expect(await report(file), file).toEqual(['2:react-hooks/exhaustive-deps', '3:next-actions/valid-server-actions']);
      }
    });
  });

  it('as a config object, still fixes through its processor', async () => {
    const eslint = new ESLint({ overrideConfigFile: true, overrideConfig: [plugin.configs.recommended], fix: true });
    const code = `export default function Page() {\n  function discard() {\n    'use server';\n  }\n  return <form action={discard} />;\n}\n`;
    const [result] = await eslint.lintText(code, { filePath: 'app/page.tsx' });
    expect(result!.output).toBe(code.replace('  function discard()', '  async function discard()'));
    expect(result!.messages).toEqual([]);
  });

  describe('the parser', () => {
    const userParser = { meta: { name: 'user-parser' }, parse: (code: string, options: unknown) => typescriptParser.parse(code, options as never) };
    const userConfig = { files: ['**/*.{js,jsx,mjs,cjs}'], languageOptions: { parser: userParser as Linter.Parser } };
    const parserFor = async (config: Linter.Config[], file: string) =>
      ((await new ESLint({ overrideConfigFile: true, overrideConfig: config }).calculateConfigForFile(file)) as Linter.Config).languageOptions!.parser;

    it.each(['app/page.jsx', 'lib/db.js', 'lib/db.mjs', 'next.config.cjs'])('is left to another config for %s, before or after it', async file => {
      expect(await parserFor([userConfig, ...plugin.configs.recommended], file)).toBe(userParser);
      expect(await parserFor([...plugin.configs.recommended, userConfig], file)).toBe(userParser);
    });

    it.each(['app/page.tsx', 'lib/db.ts', 'lib/db.mts', 'lib/db.cts'])('is the TypeScript parser for %s', async file => {
      expect(await parserFor([...plugin.configs.recommended], file)).toBe(typescriptParser);
    });

    it('alone, parses JSX in .js files with ESLint\'s default parser', async () => {
      const eslint = new ESLint({ overrideConfigFile: true, overrideConfig: [...plugin.configs.recommended] });
      const [result] = await eslint.lintText(`'use server';\nexport function a() {\n  return <div />;\n}\n`, { filePath: 'app/actions.js' });
      expect(result!.messages.map(message => `${message.line}:${message.messageId}`)).toEqual(['2:syncExport']);
    });
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
