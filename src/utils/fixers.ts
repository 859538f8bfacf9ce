import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import type { FunctionNode } from '../analysis/server-actions.js';

/**
 * A fix that makes a function async, or undefined where `async` cannot go (getters, setters,
 * constructors). Methods take the keyword before their key (after `static`, before `*`).
 */
export function addAsyncFix(
  fn: FunctionNode,
  sourceCode: Readonly<TSESLint.SourceCode>,
): TSESLint.ReportFixFunction | undefined {
  if (fn.async) return undefined;
  const { parent } = fn;
  const isMethod =
    (parent.type === AST_NODE_TYPES.Property && (parent.method || parent.kind !== 'init')) ||
    parent.type === AST_NODE_TYPES.MethodDefinition;
  if (isMethod) {
    if (parent.kind !== 'init' && parent.kind !== 'method') return undefined;
    let target = parent.computed ? sourceCode.getTokenBefore(parent.key) : sourceCode.getFirstToken(parent.key);
    if (target && fn.generator) target = sourceCode.getTokenBefore(target);
    if (!target) return undefined;
    const anchor = target;
    return fixer => fixer.insertTextBefore(anchor, 'async ');
  }
  const first = sourceCode.getFirstToken(fn);
  if (!first) return undefined;
  return fixer => fixer.insertTextBefore(first, 'async ');
}

const lineBreaks = new WeakMap<TSESTree.Program, string>();

/** The line break a file is written with (its first one: `\r\n`, `\r` or `\n`), for the text a fix inserts. */
export function lineBreakOf(sourceCode: Readonly<TSESLint.SourceCode>): string {
  let known = lineBreaks.get(sourceCode.ast);
  if (known === undefined) {
    known = /\r\n?|\n/.exec(sourceCode.text)?.[0] ?? '\n';
    lineBreaks.set(sourceCode.ast, known);
  }
  return known;
}

type SourceCode = Readonly<TSESLint.SourceCode>;

const semicolonStyles = new WeakMap<TSESTree.Program, boolean>();

/**
 * Whether inserted statements end with a semicolon: as the first simple statement of
 * `statements` does, else the file's first import or expression statement (yes when there is none).
 * The file's answer is looked up once, so that many fixes in one file stay linear.
 */
export function usesSemicolons(sourceCode: SourceCode, statements: readonly TSESTree.Node[]): boolean {
  const model = statements.find(statement => statement.type === AST_NODE_TYPES.ExpressionStatement || statement.type === AST_NODE_TYPES.VariableDeclaration);
  if (model) return sourceCode.getLastToken(model)?.value === ';';
  let known = semicolonStyles.get(sourceCode.ast);
  if (known === undefined) {
    const first = sourceCode.ast.body.find(statement => statement.type === AST_NODE_TYPES.ImportDeclaration || statement.type === AST_NODE_TYPES.ExpressionStatement);
    known = first === undefined || sourceCode.getLastToken(first)?.value === ';';
    semicolonStyles.set(sourceCode.ast, known);
  }
  return known;
}
