import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import * as ASTUtils from '@typescript-eslint/utils/ast-utils';
import { childNodes, skipTypeWrappers, TYPE_KEYS } from '../../utils/ast.js';
import { isCallbackArgument } from '../action-facts.js';
import { isFunctionNode } from '../server-actions.js';

export type { Context } from '../../utils/context.js';

type VisitorKeys = TSESLint.SourceCode['visitorKeys'];

export function variableOf(sourceCode: TSESLint.SourceCode, identifier: TSESTree.Identifier): TSESLint.Scope.Variable | null {
  return ASTUtils.findVariable(sourceCode.getScope(identifier), identifier);
}

/** The identifier a chain of members and calls starts from: `session` for `session.user.id`, `auth` for `auth().protect`. */
export function rootIdentifier(node: TSESTree.Node): TSESTree.Identifier | undefined {
  let current = skipTypeWrappers(node);
  while (current.type === AST_NODE_TYPES.MemberExpression || current.type === AST_NODE_TYPES.CallExpression) {
    current = skipTypeWrappers(current.type === AST_NODE_TYPES.MemberExpression ? current.object : current.callee);
  }
  return current.type === AST_NODE_TYPES.Identifier ? current : undefined;
}

/** The children that run: type annotations never decide who is calling. */
export function codeChildren(node: TSESTree.Node, visitorKeys: VisitorKeys): TSESTree.Node[] {
  return childNodes(node, visitorKeys, TYPE_KEYS);
}

/** Whether `test` holds for a node the code of `root` runs: callbacks count, functions defined for later do not. */
export function someNode(root: TSESTree.Node, visitorKeys: VisitorKeys, test: (node: TSESTree.Node) => boolean): boolean {
  const stack: TSESTree.Node[] = [root];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (test(current)) return true;
    if (isFunctionNode(current) && current !== root && !isCallbackArgument(current)) continue;
    stack.push(...codeChildren(current, visitorKeys));
  }
  return false;
}
