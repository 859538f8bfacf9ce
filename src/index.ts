import type { ESLint, Linter, Rule } from 'eslint';
import typescriptParser from '@typescript-eslint/parser';
import { type ConfigName, rulesFor } from './configs.js';
import { rules } from './rules/index.js';
import { packageName, packageVersion } from './utils/create-rule.js';

export type { NextActionsSettings } from './settings.js';

const namespace = 'next-actions';

/** Every file ESLint lints in a Next.js app, so each config works on its own. */
const files = ['**/*.{js,jsx,mjs,cjs,ts,tsx,mts,cts}'];

/**
 * Typed with ESLint's own types (not `@typescript-eslint/utils`' FlatConfig), so that
 * `defineConfig([nextActions.configs.recommended])` type-checks under ESLint 9 and 10.
 */
export interface NextActionsPlugin {
  meta: { name: string; version: string; namespace: string };
  rules: Record<keyof typeof rules, Rule.RuleModule>;
  configs: Record<ConfigName, Linter.Config>;
}

const plugin: NextActionsPlugin = {
  meta: { name: packageName, version: packageVersion, namespace },
  // typescript-eslint's rule type and ESLint's differ only in how they spell their contexts.
  rules: rules as unknown as NextActionsPlugin['rules'],
  configs: {} as NextActionsPlugin['configs'],
};

function config(name: ConfigName): Linter.Config {
  return {
    name: `${namespace}/${name}`,
    files,
    plugins: { [namespace]: plugin as unknown as ESLint.Plugin },
    languageOptions: {
      parser: typescriptParser as Linter.Parser,
      parserOptions: { ecmaFeatures: { jsx: true } },
    },
    rules: rulesFor(name, rules, namespace),
  };
}

Object.assign(plugin.configs, {
  recommended: config('recommended'),
  strict: config('strict'),
  all: config('all'),
});

export default plugin;
// `require('eslint-plugin-next-actions')` returns the plugin itself, not a namespace object.
export { plugin as 'module.exports' };
