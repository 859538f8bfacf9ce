import { createRequire } from 'node:module';
import path from 'node:path';
import type { ESLint, Linter, Rule } from 'eslint';
import { rulesFor } from './configs.js';
import { rules } from './rules/index.js';
import { packageName, packageVersion } from './utils/create-rule.js';

export type { NextActionsSettings } from './settings.js';

const namespace = 'next-actions';

const javascriptFiles = ['**/*.{js,jsx,mjs,cjs}'];
const typescriptFiles = ['**/*.{ts,tsx,mts,cts}'];
/** Every file ESLint lints in a Next.js app, so each config works on its own. */
const sourceFiles = ['**/*.{js,jsx,mjs,cjs,ts,tsx,mts,cts}'];

/**
 * What `next build`, `next export` and `next dev` write, as `eslint-config-next` ignores it.
 * `.next/` and `next-env.d.ts` are Next.js's own names wherever they sit (monorepos); `out/` and
 * `build/` only at the root, since a source folder or route may carry those names.
 */
const buildOutput = ['**/.next/', 'out/', 'build/', '**/next-env.d.ts'];

const nextOutput = /(?:^|[\\/])(?:\.next[\\/]|next-env\.d\.ts$)/;
const rootOutput = /^(?:out|build)[\\/]/;

/**
 * The config object cannot ignore files for ESLint: its `ignores` would only exclude them from
 * itself, and ESLint's defaults would still parse every `.js` chunk under `.next/` (40 s and
 * "Definition for rule … was not found" errors on a small built app). A processor that hands
 * ESLint no code for build output achieves what the ignores-only object of the list does.
 */
const skipBuildOutput: Linter.Processor = {
  meta: { name: `${namespace}/skip-build-output`, version: packageVersion },
  supportsAutofix: true,
  preprocess: (text, filename) =>
    nextOutput.test(filename) || rootOutput.test(path.relative(process.cwd(), filename)) ? [] : [text],
  postprocess: messages => messages.flat(),
};

/**
 * A config object that is also a list of config objects, so that both habits work:
 * `[nextActions.configs.recommended]` and `extends: ['next-actions/recommended']` take the object
 * (the TypeScript parser for all its files, build output skipped by a processor);
 * `[...nextActions.configs.recommended]` spreads the list, which ignores build output for every
 * config and applies the TypeScript parser to TypeScript files only. ESLint 10 rejects a nested
 * array, so the object form cannot be an array.
 */
export type NextActionsConfig = Linter.Config & Iterable<Linter.Config>;

/**
 * Typed with ESLint's own types (not `@typescript-eslint/utils`' FlatConfig), so that
 * `defineConfig([nextActions.configs.recommended])` type-checks under ESLint 9 and 10.
 */
export interface NextActionsPlugin {
  meta: { name: string; version: string; namespace: string };
  rules: Record<string, Rule.RuleModule>;
  configs: { recommended: NextActionsConfig; strict: NextActionsConfig; all: NextActionsConfig };
}

const plugin: NextActionsPlugin = {
  meta: { name: packageName, version: packageVersion, namespace },
  // typescript-eslint's rule type and ESLint's differ only in how they spell their contexts.
  rules: rules as unknown as NextActionsPlugin['rules'],
  configs: {} as NextActionsPlugin['configs'],
};

let typescriptParser: Linter.Parser | undefined;

/**
 * `@typescript-eslint/parser` loads TypeScript, which only ESLint needs, and only when it reads a
 * config: oxlint loads the plugin for its rules and parses files itself. The parser is read
 * through a getter, on first use, and is the module's own object, so that ESLint sees the same
 * parser as in typescript-eslint's configs.
 */
function parserOptionsWithParser<T extends object>(options: T): T & { readonly parser: Linter.Parser } {
  return Object.defineProperty(options, 'parser', {
    enumerable: true,
    get: () => (typescriptParser ??= createRequire(import.meta.url)('@typescript-eslint/parser') as Linter.Parser),
  }) as T & { readonly parser: Linter.Parser };
}

function config(name: keyof NextActionsPlugin['configs']): NextActionsConfig {
  const ruleConfig: Linter.Config = {
    name: `${namespace}/${name}`,
    files: sourceFiles,
    plugins: { [namespace]: plugin as unknown as ESLint.Plugin },
    rules: rulesFor(name, rules, namespace),
  };
  const list: readonly Linter.Config[] = [
    // An object with nothing but `ignores` is what makes ESLint skip the files altogether.
    { name: `${namespace}/ignores`, ignores: buildOutput },
    { name: `${namespace}/typescript`, files: typescriptFiles, languageOptions: parserOptionsWithParser({}) },
    // JavaScript keeps whatever parser another config chose (Babel for eslint-config-next); alone,
    // ESLint's default parser needs to be told about JSX.
    { name: `${namespace}/javascript`, files: javascriptFiles, languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } } },
    ruleConfig,
  ];
  // One object holds one parser for all its files.
  const single: Linter.Config = {
    ...ruleConfig,
    processor: skipBuildOutput,
    languageOptions: parserOptionsWithParser({ parserOptions: { ecmaFeatures: { jsx: true } } }),
  };
  // Not enumerable: ESLint validates and merges config objects by their own enumerable keys.
  Object.defineProperty(single, Symbol.iterator, { value: () => list[Symbol.iterator](), enumerable: false });
  return single as NextActionsConfig;
}

Object.assign(plugin.configs, {
  recommended: config('recommended'),
  strict: config('strict'),
  all: config('all'),
});

export default plugin;
// `require('eslint-plugin-next-actions')` returns the plugin itself, not a namespace object.
export { plugin as 'module.exports' };
