import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectedFindings, fixturesDir } from '../support/fixtures.js';
import { installedVersion, npm, run, type RunResult, sourceFiles } from './support.js';

/*
 * The plugin where users put it: its config as an object, spread and through `extends` under the
 * oldest and newest ESLint we support, on an app that has been built; next to eslint-config-next
 * and typed typescript-eslint in either order; and under oxlint. Four installs, each shared by
 * every case that needs it.
 */

const PLUGIN = 'eslint-plugin-next-actions';
const OXLINT_VERSION = '1.95.0';
const NEXT_VERSION = '16.4.6';
/** The lowest versions we declare: ESLint 9.0, typescript-eslint 8.56 and TypeScript 4.8.4. */
const LOWEST_TYPESCRIPT_ESLINT = '8.56.0';
const LOWEST_TYPESCRIPT = '4.8.4';

const FIXABLE_FILE = 'app/drafts/page.tsx';
const FIXABLE_SOURCE = `export default function DraftsPage() {
  function discardDraft() { // expect: valid-server-actions
    'use server';
  }
  return (
    <form action={discardDraft}>
      <button type="submit">Discard</button>
    </form>
  );
}
`;

/** A JavaScript page, so that the parser another config chose for JavaScript is put to work. */
const JAVASCRIPT_FILE = 'app/gallery/page.jsx';
const JAVASCRIPT_SOURCE = `export default function Gallery({ photos }) {
  return photos.map(photo => <img key={photo.id} src={photo.url} alt={photo.title} />);
}
`;

/**
 * Build output shaped as Next.js 16 with Turbopack writes it. Each file would be reported if it
 * were linted: a sync export in a "use server" chunk, and the sources' directives that name rules
 * of plugins the config does not load ("Definition for rule … was not found").
 */
const BUILD_CHUNK = `module.exports=[1348,a=>{"use strict";
// eslint-disable-next-line react-hooks/exhaustive-deps
var b=a.i(87924);a.s(["default",0,function(){return(0,b.jsx)("p",{})}])}];
`;
const SERVER_CHUNK = `'use server';
/* eslint-disable @typescript-eslint/no-unused-vars */
export function addPost() {}
`;
const BUILD_OUTPUT: Record<string, string> = {
  '.next/server/chunks/ssr/[root-of-the-server]__0py1t7q9ntzgc._.js': BUILD_CHUNK,
  '.next/server/app/posts/page.js': SERVER_CHUNK,
  '.next/static/chunks/0cz1d0mv5g_q7.js': BUILD_CHUNK,
  '.next/types/routes.d.ts': `// This file is generated automatically by Next.js\nexport type AppRoutes = "/" | "/posts";\n`,
  'out/_next/static/chunks/0j1we3cwg31qe.js': BUILD_CHUNK,
  'build/server.js': SERVER_CHUNK,
  'next-env.d.ts': `/// <reference types="next" />\n/// <reference types="next/image-types/global" />\n`,
};
const isBuildOutput = (file: string) => /^(?:\.next|out|build)\/|^next-env\.d\.ts$/.test(file);

interface JsonMessage {
  ruleId: string | null;
  line: number;
  column: number;
  severity: number;
  message: string;
  fatal?: boolean;
  fix?: unknown;
  suggestions?: { desc: string; fix: { range: [number, number]; text: string } }[];
}
interface JsonResult {
  filePath: string;
  messages: JsonMessage[];
}

let workDir: string;
const apps: Record<'eslint9_0' | 'eslint9' | 'eslint10' | 'ecosystem' | 'oxlintAlone', string> = {} as never;

async function prepareApp(name: string, packages: readonly string[], extraArgs: readonly string[] = []): Promise<string> {
  const app = path.join(workDir, name);
  cpSync(path.join(fixturesDir, 'next-app'), app, { recursive: true, filter: source => path.basename(source) !== 'node_modules' });
  writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: `e2e-${name}`, private: true, type: 'module' }, null, 2));
  for (const [file, text] of [
    [FIXABLE_FILE, FIXABLE_SOURCE],
    [JAVASCRIPT_FILE, JAVASCRIPT_SOURCE],
  ] as const) {
    mkdirSync(path.dirname(path.join(app, file)), { recursive: true });
    writeFileSync(path.join(app, file), text, { flag: 'wx' });
  }
  const install = await npm(
    ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...extraArgs, inject('tarball'), ...packages],
    app,
  );
  if (install.code !== 0) throw new Error(`npm install failed in ${app}:\n${install.stderr}`);
  return app;
}

function writeBuildOutput(app: string): () => void {
  for (const [file, text] of Object.entries(BUILD_OUTPUT)) {
    mkdirSync(path.dirname(path.join(app, file)), { recursive: true });
    writeFileSync(path.join(app, file), text);
  }
  return () => {
    for (const top of ['.next', 'out', 'build', 'next-env.d.ts']) rmSync(path.join(app, top), { recursive: true, force: true });
  };
}

function eslint(app: string, args: readonly string[]): Promise<RunResult> {
  return run(process.execPath, [path.join(app, 'node_modules/eslint/bin/eslint.js'), ...args], app);
}

async function lintJson(app: string, config: string, extra: readonly string[] = []): Promise<JsonResult[]> {
  const result = await eslint(app, ['.', '--config', config, '--format', 'json', ...extra]);
  expect(result.stderr.replace(/^\(node:\d+\) ESLintPoorConcurrencyWarning: .*\n\(Use `node --trace-warnings .*\n/m, ''), config).toBe('');
  expect([0, 1], result.stderr).toContain(result.code);
  return JSON.parse(result.stdout) as JsonResult[];
}

const relative = (app: string, file: string) => path.relative(app, file).split(path.sep).join('/');

/** `file:line:column rule: message`, sorted: what a user sees, from ESLint's JSON. */
function findings(app: string, results: JsonResult[], keep: (ruleId: string) => boolean = () => true): string[] {
  return results
    .flatMap(result =>
      result.messages
        .filter(message => keep(message.ruleId ?? 'fatal'))
        .map(message => `${relative(app, result.filePath)}:${message.line}:${message.column} ${message.ruleId ?? 'fatal'}: ${message.message}`),
    )
    .sort();
}

/** What the `// expect:` annotations of the app promise, as `file:line:rule`. */
function annotated(app: string): string[] {
  return sourceFiles(app)
    .filter(file => !isBuildOutput(file))
    .flatMap(file =>
      expectedFindings(path.join(app, file)).map(item => {
        const [line, rule] = item.split(':');
        return `${file}:${line}:next-actions/${rule}`;
      }),
    )
    .sort();
}

const brief = (items: string[]) => items.map(item => item.replace(/^(\S+):(\d+):\d+ (\S+): .*$/s, '$1:$2:$3')).sort();

beforeAll(async () => {
  workDir = mkdtempSync(path.join(os.tmpdir(), 'next-actions-ecosystem-'));
  const eslint10 = `eslint@${installedVersion('eslint')}`;
  const [eslint9_0, eslint9, eslint10App, ecosystem, oxlintAlone] = await Promise.all([
    prepareApp('eslint-9.0', [
      'eslint@9.0.0',
      // `eslint/config` (defineConfig) arrived in ESLint 9.22; older 9.x take it from here.
      '@eslint/config-helpers@^0.7.0',
      `@typescript-eslint/parser@${LOWEST_TYPESCRIPT_ESLINT}`,
      `@typescript-eslint/types@${LOWEST_TYPESCRIPT_ESLINT}`,
      `@typescript-eslint/utils@${LOWEST_TYPESCRIPT_ESLINT}`,
      `@typescript-eslint/visitor-keys@${LOWEST_TYPESCRIPT_ESLINT}`,
      `typescript@${LOWEST_TYPESCRIPT}`,
    ]),
    prepareApp('eslint-9', ['eslint@^9.39.0']),
    prepareApp('eslint-10', [eslint10]),
    prepareApp('ecosystem', [
      eslint10,
      `eslint-config-next@${NEXT_VERSION}`,
      `next@${NEXT_VERSION}`,
      'typescript-eslint@^8.56.0',
      `typescript@${installedVersion('typescript')}`,
      `oxlint@${OXLINT_VERSION}`,
    ]),
    // What `npm install oxlint eslint-plugin-next-actions` gives without peers: no ESLint, no TypeScript.
    prepareApp('oxlint-alone', [`oxlint@${OXLINT_VERSION}`], ['--legacy-peer-deps']),
  ]);
  Object.assign(apps, { eslint9_0, eslint9, eslint10: eslint10App, ecosystem, oxlintAlone });
  // `moduleResolution: bundler` arrived in TypeScript 5.0; a TypeScript 4.8 app resolves as Node does.
  const tsconfig = path.join(eslint9_0, 'tsconfig.json');
  writeFileSync(tsconfig, readFileSync(tsconfig, 'utf8').replace('"bundler"', '"node"'));
}, 600_000);

afterAll(() => {
  if (workDir && !process.env.KEEP_E2E) rmSync(workDir, { recursive: true, force: true });
});

const configForms = {
  object: () => `import nextActions from '${PLUGIN}';\n\nexport default [nextActions.configs.strict];\n`,
  spread: () => `import nextActions from '${PLUGIN}';\n\nexport default [...nextActions.configs.strict];\n`,
  extends: (defineConfig: string) =>
    `import { defineConfig } from '${defineConfig}';\nimport nextActions from '${PLUGIN}';\n\n` +
    `export default defineConfig([{ plugins: { 'next-actions': nextActions }, extends: ['next-actions/strict'] }]);\n`,
};

describe.each([
  { label: 'ESLint 9.0 with typescript-eslint 8.56 and TypeScript 4.8', app: () => apps.eslint9_0, major: '9.0.0', defineConfig: '@eslint/config-helpers' },
  { label: 'ESLint 9 (latest)', app: () => apps.eslint9, major: '9.', defineConfig: 'eslint/config' },
  { label: 'ESLint 10', app: () => apps.eslint10, major: '10.', defineConfig: 'eslint/config' },
])('$label', ({ app, major, defineConfig }) => {
  it('runs the ESLint and typescript-eslint it says, with one copy of the parser', () => {
    const version = (name: string) => (JSON.parse(readFileSync(path.join(app(), 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
    expect(version('eslint').startsWith(major)).toBe(true);
    if (major === '9.0.0') {
      expect(version('@typescript-eslint/parser')).toBe(LOWEST_TYPESCRIPT_ESLINT);
      expect(version('typescript')).toBe(LOWEST_TYPESCRIPT);
    }
    expect(existsSync(path.join(app(), 'node_modules', PLUGIN, 'node_modules/@typescript-eslint/parser'))).toBe(false);
  });

  it.each(Object.keys(configForms) as (keyof typeof configForms)[])('the config %s gives exactly the annotated findings, and none in build output', async form => {
    const config = path.join(app(), `${form}.config.mjs`);
    writeFileSync(config, configForms[form](defineConfig));
    const removeBuildOutput = writeBuildOutput(app());
    try {
      const results = await lintJson(app(), config);
      expect(brief(findings(app(), results))).toEqual(annotated(app()));
      const linted = results.map(result => relative(app(), result.filePath));
      const inBuildOutput = linted.filter(isBuildOutput);
      // The spread list ignores build output for ESLint; the object hands ESLint no code for it.
      if (form === 'spread') expect(inBuildOutput).toEqual([]);
      expect(results.filter(result => isBuildOutput(relative(app(), result.filePath))).flatMap(result => result.messages)).toEqual([]);
    } finally {
      removeBuildOutput();
    }
  });
});

describe('next to eslint-config-next and typed typescript-eslint', () => {
  const app = () => apps.ecosystem;
  const others = (order: 'without' | 'before' | 'after') => {
    const own = order === 'without' ? '' : '...nextActions.configs.strict,';
    return [
      `import { defineConfig } from 'eslint/config';`,
      `import nextVitals from 'eslint-config-next/core-web-vitals';`,
      `import nextTypescript from 'eslint-config-next/typescript';`,
      `import tseslint from 'typescript-eslint';`,
      `import nextActions from '${PLUGIN}';`,
      '',
      'export default defineConfig([',
      order === 'before' ? `  ${own}` : '',
      '  ...nextVitals,',
      '  ...nextTypescript,',
      '  {',
      `    files: ['**/*.{ts,tsx}'],`,
      '    extends: [tseslint.configs.recommendedTypeChecked],',
      '    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },',
      '  },',
      order === 'after' ? `  ${own}` : '',
      ']);',
      '',
    ].join('\n');
  };
  const lint = async (order: 'without' | 'before' | 'after') => {
    const config = path.join(app(), `${order}.config.mjs`);
    writeFileSync(config, others(order));
    return lintJson(app(), config);
  };

  it('has one copy of the parser in the tree', () => {
    const copies: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (!entry.isDirectory()) continue;
        const full = path.join(dir, entry.name);
        if (full.endsWith(`${path.sep}@typescript-eslint${path.sep}parser`)) copies.push(relative(app(), full));
        else if (entry.name === 'node_modules' || entry.name.startsWith('@') || dir.endsWith('node_modules')) walk(full);
      }
    };
    walk(path.join(app(), 'node_modules'));
    expect(copies).toEqual(['node_modules/@typescript-eslint/parser']);
  });

  it("leaves every other plugin's findings as they are, in either order, and adds exactly ours", async () => {
    // One after another: typed linting of the app takes a core each, and CI has two.
    const without = await lint('without');
    const before = await lint('before');
    const after = await lint('after');
    const ours = (ruleId: string) => ruleId.startsWith('next-actions/');
    const theirs = findings(app(), without);
    // Something for each of the other configs to find: Next's, React's and a typed rule.
    expect(theirs.some(item => / @next\/next\/no-img-element: /.test(item))).toBe(true);
    expect(theirs.some(item => / @typescript-eslint\/\S+: /.test(item))).toBe(true);
    expect(theirs.filter(item => / fatal: /.test(item))).toEqual([]);
    for (const results of [before, after]) {
      expect(findings(app(), results, ruleId => !ours(ruleId))).toEqual(theirs);
      expect(brief(findings(app(), results, ours))).toEqual(annotated(app()));
    }
    expect(findings(app(), before, ours)).toEqual(findings(app(), after, ours));
  }, 600_000);

  it('takes no file from the parser the other configs chose, and changes none of its options', async () => {
    const files = [JAVASCRIPT_FILE, 'app/posts/helpers.ts', 'app/posts/import-drafts.tsx'];
    // One process computes every config: the CLI's --print-config would load eslint-config-next nine times.
    const script = path.join(app(), 'print-parsers.mjs');
    writeFileSync(
      script,
      [
        `import { ESLint } from 'eslint';`,
        `const printed = {};`,
        `for (const order of ['without', 'before', 'after']) {`,
        `  const eslint = new ESLint({ overrideConfigFile: \`\${order}.config.mjs\` });`,
        `  printed[order] = {};`,
        `  for (const file of ${JSON.stringify(files)}) {`,
        `    const { languageOptions: { parser, parserOptions } } = await eslint.calculateConfigForFile(file);`,
        `    printed[order][file] = { parser: \`\${parser.meta.name}@\${parser.meta.version}\`, parserOptions };`,
        `  }`,
        `}`,
        `console.log(JSON.stringify(printed));`,
      ].join('\n'),
    );
    for (const order of ['without', 'before', 'after'] as const) writeFileSync(path.join(app(), `${order}.config.mjs`), others(order));
    const result = await run(process.execPath, [script], app());
    expect(result.code, result.stderr).toBe(0);
    type Options = { parser: string; parserOptions: Record<string, unknown> };
    const printed = JSON.parse(result.stdout) as Record<'without' | 'before' | 'after', Record<string, Options>>;
    for (const file of files) {
      const without = printed.without[file]!;
      expect(without.parser, file).toMatch(/^(?:typescript-eslint|eslint-config-next)\/parser@/);
      if (!file.endsWith('.jsx')) expect(without.parserOptions.projectService, file).toBe(true);
      // On JavaScript, the config asks the parser for JSX, which ESLint's default parser needs
      // and the others read from the file extension.
      const expected = file.endsWith('.jsx')
        ? { ...without, parserOptions: { ...without.parserOptions, ecmaFeatures: { ...(without.parserOptions.ecmaFeatures as object), jsx: true } } }
        : without;
      for (const order of ['before', 'after'] as const) expect(printed[order][file], `${order}: ${file}`).toEqual(expected);
    }
  });
});

interface OxlintDiagnostic {
  message: string;
  code: string;
  severity: string;
  filename: string;
  labels: { span: { line: number; column: number } }[];
}

async function oxlint(app: string, args: readonly string[]): Promise<{ run: RunResult; diagnostics: OxlintDiagnostic[] }> {
  const result = await run(process.execPath, [path.join(app, 'node_modules/oxlint/bin/oxlint'), ...args], app);
  const diagnostics = args.includes('json') ? (JSON.parse(result.stdout) as { diagnostics: OxlintDiagnostic[] }).diagnostics : [];
  return { run: result, diagnostics };
}

/** The same `file:line:column rule: message` lines as `findings`, from oxlint's JSON. */
function oxlintFindings(diagnostics: OxlintDiagnostic[]): string[] {
  return diagnostics
    .map(item => {
      const rule = item.code.replace(/^next-actions\((.+)\)$/, 'next-actions/$1');
      const [label] = item.labels;
      return `${item.filename.split(path.sep).join('/')}:${label!.span.line}:${label!.span.column} ${rule}: ${item.message}`;
    })
    .sort();
}

/** `.oxlintrc.json` with the rules and severities of `configs.strict`, read from the installed plugin. */
async function writeOxlintConfig(app: string): Promise<void> {
  const entry = pathToFileURL(path.join(app, 'node_modules', PLUGIN, 'dist/index.js')).href;
  const plugin = (await import(entry)) as { default: { configs: { strict: { rules: Record<string, string> } } } };
  const config = {
    jsPlugins: [PLUGIN],
    // oxlint turns on its own `correctness` rules by default; this compares ours alone.
    categories: { correctness: 'off' },
    rules: plugin.default.configs.strict.rules,
  };
  writeFileSync(path.join(app, '.oxlintrc.json'), JSON.stringify(config, null, 2));
}

describe(`oxlint ${OXLINT_VERSION} as the host`, () => {
  const app = () => apps.ecosystem;
  const sources = ['app', 'lib', 'pages'];

  beforeAll(async () => {
    await writeOxlintConfig(app());
    writeFileSync(path.join(app(), 'strict.config.mjs'), configForms.spread());
  });

  it('reports what ESLint reports: file, line, column, rule, message, severity, a cross-file finding included', async () => {
    const { run: result, diagnostics } = await oxlint(app(), ['--format', 'json', ...sources]);
    expect(result.code, result.stderr).toBe(1);
    const expected = await lintJson(app(), 'strict.config.mjs', sources);
    expect(oxlintFindings(diagnostics)).toEqual(findings(app(), expected));
    // no-parallel-actions knows `importDrafts` is a Server Action only from the module it imports.
    expect(oxlintFindings(diagnostics).filter(item => item.startsWith('app/posts/import-drafts.tsx:') && item.includes('no-parallel-actions'))).toHaveLength(2);
    const severities = diagnostics.map(item => `${item.filename}:${item.labels[0]!.span.line}:${item.severity}`).sort();
    const eslintSeverities = expected
      .flatMap(file => file.messages.map(message => `${relative(app(), file.filePath)}:${message.line}:${message.severity === 2 ? 'error' : 'warning'}`))
      .sort();
    expect(severities).toEqual(eslintSeverities);
  });

  it('applies a suggestion as ESLint offers it', async () => {
    const results = await lintJson(app(), 'strict.config.mjs', sources);
    // require-action-auth's guard suggestion is left out: oxlint 1.95 applies it after the last
    // statement of the action instead of after its opening brace (a host difference to report
    // upstream; ESLint's placement is what the rule tests pin down).
    const candidates = results.filter(result => {
      const offering = result.messages.filter(message => message.suggestions?.length);
      return (
        offering.length === 1 &&
        offering[0]!.suggestions!.length === 1 &&
        offering[0]!.ruleId !== 'next-actions/require-action-auth' &&
        !result.messages.some(message => message.fix)
      );
    });
    expect(candidates.length, 'a file with exactly one suggestion').toBeGreaterThan(0);
    const [candidate] = candidates;
    const original = readFileSync(candidate!.filePath, 'utf8');
    const { fix } = candidate!.messages.find(message => message.suggestions)!.suggestions![0]!;
    const suggested = original.slice(0, fix.range[0]) + fix.text + original.slice(fix.range[1]);
    try {
      await oxlint(app(), ['--fix-suggestions', relative(app(), candidate!.filePath)]);
      expect(readFileSync(candidate!.filePath, 'utf8')).toBe(suggested);
    } finally {
      writeFileSync(candidate!.filePath, original);
    }
  });

  it('`--fix` writes what ESLint writes', async () => {
    const file = path.join(app(), FIXABLE_FILE);
    const original = readFileSync(file, 'utf8');
    try {
      await eslint(app(), ['--config', 'strict.config.mjs', '--fix', FIXABLE_FILE]);
      const byEslint = readFileSync(file, 'utf8');
      expect(byEslint).toContain('async function discardDraft()');
      writeFileSync(file, original);
      await oxlint(app(), ['--fix', FIXABLE_FILE]);
      expect(readFileSync(file, 'utf8')).toBe(byEslint);
    } finally {
      writeFileSync(file, original);
    }
  });

  it('without ESLint and TypeScript installed, reports what needs no other file and says what it skipped', async () => {
    const alone = apps.oxlintAlone;
    expect(existsSync(path.join(alone, 'node_modules/eslint'))).toBe(false);
    expect(existsSync(path.join(alone, 'node_modules/typescript'))).toBe(false);
    await writeOxlintConfig(alone);
    const { run: result, diagnostics } = await oxlint(alone, ['--format', 'json', ...sources]);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr.split('\n').filter(line => line.includes(PLUGIN))).toEqual([
      `${PLUGIN}: 'typescript' could not be loaded, so findings that depend on other files are skipped (imports are resolved with TypeScript, as your tsconfig says). Install 'typescript' as a devDependency next to the plugin.`,
    ]);
    const full = oxlintFindings((await oxlint(app(), ['--format', 'json', ...sources])).diagnostics);
    const partial = oxlintFindings(diagnostics);
    // Rules that judge an action by its callers judge it by its definition when the callers are
    // unknown (no import can be followed), so they may report where the app graph would not.
    const byCallers = /no-query-action|require-revalidate-after-mutation/;
    expect(full).toEqual(expect.arrayContaining(partial.filter(item => !byCallers.test(item))));
    expect(partial.filter(item => item.includes('valid-server-actions')).length).toBeGreaterThan(0);
    expect(partial.filter(item => item.startsWith('app/posts/import-drafts.tsx:') && item.includes('no-parallel-actions'))).toEqual([]);
  });
});
