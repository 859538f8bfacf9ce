import type { TSESLint } from '@typescript-eslint/utils';

/**
 * The rule context every analysis takes. Rules pass their own (its message ids and options do not
 * matter here), and another module parsed for cross-file analysis gets a synthetic one of the same
 * shape, so one function serves the linted file and the files it imports.
 */
export type Context = Readonly<TSESLint.RuleContext<string, readonly unknown[]>>;
