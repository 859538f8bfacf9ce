import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
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

type SourceCode = Readonly<TSESLint.SourceCode>;

/** The line break the file is written with (its first one), so that inserted lines match it. */
export function lineBreak(sourceCode: SourceCode): string {
  return /\r\n|\n|\r/.exec(sourceCode.text)?.[0] ?? '\n';
}

/**
 * Whether inserted statements end with a semicolon: as the first simple statement of
 * `statements` does, else the file's first import or expression statement (yes when there is none).
 */
export function usesSemicolons(sourceCode: SourceCode, statements: readonly TSESTree.Node[]): boolean {
  const model =
    statements.find(statement => statement.type === AST_NODE_TYPES.ExpressionStatement || statement.type === AST_NODE_TYPES.VariableDeclaration) ??
    sourceCode.ast.body.find(statement => statement.type === AST_NODE_TYPES.ImportDeclaration || statement.type === AST_NODE_TYPES.ExpressionStatement);
  return model === undefined || sourceCode.getLastToken(model)?.value === ';';
}
