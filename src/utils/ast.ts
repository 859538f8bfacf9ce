import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

type VisitorKeys = TSESLint.SourceCode['visitorKeys'];

/** Keys that only hold types and decorators: what code does never depends on them. */
export const TYPE_KEYS: ReadonlySet<string> = new Set(['typeAnnotation', 'returnType', 'typeParameters', 'typeArguments', 'decorators']);

const NO_KEYS: ReadonlySet<string> = new Set();

/** The child nodes of `node` in source order, leaving out the keys in `skipKeys`. */
export function childNodes(node: TSESTree.Node, visitorKeys: VisitorKeys, skipKeys: ReadonlySet<string> = NO_KEYS): TSESTree.Node[] {
  const children: TSESTree.Node[] = [];
  for (const key of visitorKeys[node.type] ?? []) {
    if (skipKeys.has(key)) continue;
    const child = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(child)) {
      for (const item of child as (TSESTree.Node | null)[]) if (item) children.push(item);
    } else if (child && typeof child === 'object' && 'type' in child) {
      children.push(child as TSESTree.Node);
    }
  }
  return children;
}

/**
 * Visits `root` and everything below it in source order, without recursion (deep trees in
 * generated files would overflow the stack). `visit` returns `'skip'` to leave a subtree out.
 */
export function walkNodes(
  root: TSESTree.Node,
  visitorKeys: VisitorKeys,
  visit: (node: TSESTree.Node) => 'skip' | undefined | void,
  skipKeys: ReadonlySet<string> = NO_KEYS,
): void {
  const stack: TSESTree.Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (visit(node) === 'skip') continue;
    const children = childNodes(node, visitorKeys, skipKeys);
    for (let index = children.length - 1; index >= 0; index--) stack.push(children[index]!);
  }
}

export function skipTypeWrappers(node: TSESTree.Node): TSESTree.Node {
  let current = node;
  while (
    current.type === AST_NODE_TYPES.TSNonNullExpression ||
    current.type === AST_NODE_TYPES.TSAsExpression ||
    current.type === AST_NODE_TYPES.TSSatisfiesExpression ||
    current.type === AST_NODE_TYPES.TSTypeAssertion ||
    current.type === AST_NODE_TYPES.ChainExpression
  ) {
    current = current.expression;
  }
  return current;
}

/** `await`, TypeScript wrappers and optional chains removed. */
export function skipAwait(node: TSESTree.Node): TSESTree.Node {
  let current = skipTypeWrappers(node);
  while (current.type === AST_NODE_TYPES.AwaitExpression) current = skipTypeWrappers(current.argument);
  return current;
}

export function memberName(node: TSESTree.MemberExpression): string | undefined {
  if (!node.computed && node.property.type === AST_NODE_TYPES.Identifier) return node.property.name;
  if (node.property.type === AST_NODE_TYPES.Literal && typeof node.property.value === 'string') return node.property.value;
  return undefined;
}

/**
 * Where a value goes: the parent that receives `node` once `as`, `!` and optional-chain wrappers
 * are stepped over, with the outermost wrapper it receives (`node` itself when unwrapped).
 */
export function valueReceiver(node: TSESTree.Node): { parent: TSESTree.Node | undefined; value: TSESTree.Node } {
  let value = node;
  while (
    value.parent &&
    (value.parent.type === AST_NODE_TYPES.TSAsExpression ||
      value.parent.type === AST_NODE_TYPES.TSNonNullExpression ||
      value.parent.type === AST_NODE_TYPES.ChainExpression)
  ) {
    value = value.parent;
  }
  return { parent: value.parent, value };
}
