import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint } from '@typescript-eslint/utils';
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
