import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { walkNodes } from '../utils/ast.js';
import { calleeName, constInit } from './http-calls.js';
import { type FunctionNode, isFunctionNode } from './server-actions.js';

/*
 * When client code runs a request: as the component first mounts (first-render data a Server
 * Component should load), and what it does once the answer is in (`router.refresh()`, the
 * hand-made revalidation a Server Action does for you).
 */

type SourceCode = Readonly<TSESLint.SourceCode>;

const EFFECT_HOOKS = new Set(['useEffect', 'useLayoutEffect']);
const IMMEDIATE_CALLBACKS = new Set(['then', 'catch', 'finally', 'startTransition']);

/** A function's own name, or the name of the variable it is assigned to. */
export function functionName(fn: FunctionNode): string | undefined {
  if (fn.type !== AST_NODE_TYPES.ArrowFunctionExpression && fn.id) return fn.id.name;
  const { parent } = fn;
  return parent.type === AST_NODE_TYPES.VariableDeclarator && parent.id.type === AST_NODE_TYPES.Identifier ? parent.id.name : undefined;
}

function isEmptyDepsEffectCallback(node: TSESTree.Node): boolean {
  const { parent } = node;
  if (parent?.type !== AST_NODE_TYPES.CallExpression || parent.arguments[0] !== node) return false;
  const name = calleeName(parent.callee);
  const deps = parent.arguments[1];
  return name !== undefined && EFFECT_HOOKS.has(name) && deps?.type === AST_NODE_TYPES.ArrayExpression && deps.elements.length === 0;
}

/** The variable a function is bound to: `function load()`, `const load = …`, `const load = useCallback(…)`. */
function boundVariable(fn: FunctionNode, sourceCode: SourceCode): TSESLint.Scope.Variable | undefined {
  const name = functionName(fn) ?? useCallbackName(fn);
  if (name === undefined) return undefined;
  const owner = fn.type === AST_NODE_TYPES.FunctionDeclaration ? fn : declaratorOf(fn);
  return owner ? sourceCode.getDeclaredVariables(owner).find(variable => variable.name === name) : undefined;
}

function useCallbackName(fn: FunctionNode): string | undefined {
  const { parent } = fn;
  if (parent.type !== AST_NODE_TYPES.CallExpression || calleeName(parent.callee) !== 'useCallback') return undefined;
  const declarator = parent.parent;
  return declarator.type === AST_NODE_TYPES.VariableDeclarator && declarator.id.type === AST_NODE_TYPES.Identifier ? declarator.id.name : undefined;
}

function declaratorOf(fn: FunctionNode): TSESTree.VariableDeclarator | undefined {
  const parent = fn.parent.type === AST_NODE_TYPES.CallExpression ? fn.parent.parent : fn.parent;
  return parent?.type === AST_NODE_TYPES.VariableDeclarator ? parent : undefined;
}

/** A function called as soon as it is created: an IIFE, a promise continuation, a transition. */
function runsRightAway(fn: FunctionNode): boolean {
  const { parent } = fn;
  if (parent.type !== AST_NODE_TYPES.CallExpression) return false;
  if (parent.callee === fn) return true;
  const name = calleeName(parent.callee);
  return name !== undefined && IMMEDIATE_CALLBACKS.has(name);
}

/** A reference to a function that runs it when the component mounts: `load()`, `useEffect(load, [])`. */
function isInitialReference(identifier: TSESTree.Node, sourceCode: SourceCode, hops: number): boolean {
  if (isEmptyDepsEffectCallback(identifier)) return true;
  const { parent } = identifier;
  return parent?.type === AST_NODE_TYPES.CallExpression && parent.callee === identifier && runsInInitialEffect(parent, sourceCode, hops);
}

/**
 * Whether a node runs when the component first mounts: inside a `useEffect(…, [])` callback, or
 * inside a function such an effect calls (`useEffect(() => { load(); }, [])`). Callbacks handed
 * to timers, listeners or observers run later, so a request there is not first-render data.
 */
export function runsInInitialEffect(node: TSESTree.Node, sourceCode: SourceCode, hops: number): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (!isFunctionNode(current)) continue;
    if (isEmptyDepsEffectCallback(current)) return true;
    if (runsRightAway(current)) continue;
    if (hops === 0) return false;
    const variable = boundVariable(current, sourceCode);
    return variable?.references.some(reference => !reference.init && isInitialReference(reference.identifier, sourceCode, hops - 1)) ?? false;
  }
  return false;
}

function isRouterObject(node: TSESTree.Node, sourceCode: SourceCode, depth = 0): boolean {
  if (node.type === AST_NODE_TYPES.CallExpression) return calleeName(node.callee) === 'useRouter';
  if (node.type !== AST_NODE_TYPES.Identifier || depth > 2) return false;
  const init = constInit(sourceCode.getScope(node), node.name);
  return init ? isRouterObject(init, sourceCode, depth + 1) : node.name === 'router';
}

/** Whether `router.refresh()` is called after `call` in the function that makes it. */
export function refreshFollows(call: TSESTree.CallExpression, sourceCode: SourceCode): boolean {
  let fn: TSESTree.Node | undefined = call.parent;
  while (fn && !isFunctionNode(fn)) fn = fn.parent;
  if (!fn) return false;
  let found = false;
  walkNodes(fn, sourceCode.visitorKeys, node => {
    if (
      !found &&
      node.type === AST_NODE_TYPES.CallExpression &&
      node.range[0] > call.range[1] &&
      node.callee.type === AST_NODE_TYPES.MemberExpression &&
      calleeName(node.callee) === 'refresh' &&
      isRouterObject(node.callee.object, sourceCode)
    ) {
      found = true;
    }
  });
  return found;
}
