import eslintPlugin from 'eslint-plugin-eslint-plugin';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';
import nextActions from './src/index.js';

export default defineConfig([
  { ignores: ['dist/**', '.rwdist/**', 'fixtures/**', 'coverage/**', 'node_modules/**'] },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommended],
    languageOptions: { parserOptions: { ecmaVersion: 'latest', sourceType: 'module' } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    // oxlint loads the plugin for its rules alone, where ESLint and TypeScript may be missing:
    // what loads them is loaded lazily, where it is needed (see the oxlint section of the README).
    // The report command is its own entry point and runs ESLint itself.
    files: ['src/**/*.ts'],
    ignores: ['src/cli.ts', 'src/report/build.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@typescript-eslint/utils',
              allowTypeImports: true,
              message:
                "Its entry point loads ESLint. Take AST_NODE_TYPES from '@typescript-eslint/types', ASTUtils from '@typescript-eslint/utils/ast-utils', RuleCreator from '@typescript-eslint/utils/eslint-utils'.",
            },
            ...['eslint', 'typescript', '@typescript-eslint/parser'].map(name => ({
              name,
              allowTypeImports: true,
              message: 'Load it with createRequire where it is needed, so that the plugin loads without it.',
            })),
          ],
        },
      ],
    },
  },
  {
    files: ['src/rules/**/*.ts'],
    extends: [eslintPlugin.configs.recommended],
    rules: {
      'eslint-plugin/require-meta-docs-description': ['error', { pattern: '^(Enforce|Require|Disallow) .+[^. ]$' }],
      'eslint-plugin/require-meta-schema-description': 'error',
      'eslint-plugin/no-meta-schema-default': 'error',
      'eslint-plugin/require-meta-default-options': 'error',
      'eslint-plugin/prefer-message-ids': 'error',
      'no-restricted-syntax': [
        'error',
        {
          selector: 'MemberExpression[object.name="context"][property.name="options"]',
          message: 'Read options from `create(context, [options])`, which has the defaults merged in.',
        },
      ],
    },
  },
  {
    files: ['tests/rules/**/*.ts'],
    extends: [eslintPlugin.configs.recommended],
  },
  // The plugin lints itself: its own sources are plain TypeScript, so this proves the configs
  // load and stay quiet on code that is not a Next.js app.
  {
    ...nextActions.configs.all,
    files: ['src/**/*.ts', 'scripts/**/*.{js,mjs,ts}'],
  },
]);
