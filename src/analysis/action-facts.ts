import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESTree } from '@typescript-eslint/utils';
import { TYPE_KEYS } from '../utils/ast.js';
import type { Context } from '../utils/context.js';
import { type FunctionNode, getActionsByFunction, isFunctionNode, type ServerAction } from './server-actions.js';

/*
 * What a function body holds, from one walk: every rule and analysis that judges an action (or a
 * helper it calls) reads the nodes it asks about from here instead of walking the body again.
 *
 * The walks this replaces each left different parts of the body out: nested functions that only
 * get defined (they run at another time), the parameters of callbacks, type annotations, nested
 * Server Actions (judged on their own), functions and classes with their own `this`. So the walk
 * visits everything once and marks each recorded node with where it sits (`BodyNode.where`), and
 * each reader keeps the nodes its question is about.
 */

/** Under a key that only holds types or decorators (`TYPE_KEYS`): what the code does never depends on it. */
export const IN_TYPE = 1;
/** Inside a nested function that is not handed straight to a call: it is defined here, it runs elsewhere. */
export const IN_DEFINED_FUNCTION = 2;
/** In the parameters (or name, or anything but the body) of a callback handed to a call. */
export const IN_CALLBACK_HEAD = 4;
/** In the body of a callback handed to a call (`items.map(item => …)`), which runs as part of the function. */
export const IN_CALLBACK = 8;
/** Inside a `function` or a class, which bring their own `this` and `arguments` (arrows share the body's). */
export const IN_OWN_THIS = 16;

/** A nested function of the body, and the one around it (undefined: directly in the walked body). */
export interface FunctionFrame {
  fn: FunctionNode;
  outer: FunctionFrame | undefined;
}

export interface BodyNode {
  node: TSESTree.Node;
  /** The `IN_*` bits that hold for it. */
  where: number;
  /** The innermost nested function around it. */
  frame: FunctionFrame | undefined;
}

export interface BodyFacts {
  /** The recorded nodes in source order, each before what it contains (a parent before its children). */
  nodes: readonly BodyNode[];
  /** The same nodes in evaluation order: each after what it contains (the arguments before the call). */
  evaluationOrder: readonly BodyNode[];
}

export interface ActionFacts extends BodyFacts {
  /** The nodes that are the action's own: those inside a nested Server Action are judged with that action. */
  ownNodes: readonly BodyNode[];
}

/** The node types some reader asks about; the rest of the body is walked through, not recorded. */
const RECORDED = new Set<string>([
  AST_NODE_TYPES.AssignmentExpression,
  AST_NODE_TYPES.BinaryExpression,
  AST_NODE_TYPES.CallExpression,
  AST_NODE_TYPES.ConditionalExpression,
  AST_NODE_TYPES.ForOfStatement,
  AST_NODE_TYPES.IfStatement,
  AST_NODE_TYPES.MemberExpression,
  AST_NODE_TYPES.NewExpression,
  AST_NODE_TYPES.ReturnStatement,
  AST_NODE_TYPES.Super,
  AST_NODE_TYPES.SwitchStatement,
  AST_NODE_TYPES.TaggedTemplateExpression,
  AST_NODE_TYPES.ThisExpression,
  AST_NODE_TYPES.VariableDeclarator,
]);

/** A function passed straight to a call runs as part of it (`$transaction(async tx => …)`, `.map(…)`). */
export function isCallbackArgument(node: TSESTree.Node): boolean {
  const parent = node.parent;
  return (
    (parent?.type === AST_NODE_TYPES.CallExpression || parent?.type === AST_NODE_TYPES.NewExpression) &&
    parent.arguments.includes(node as TSESTree.CallExpressionArgument)
  );
}

function isRecorded(node: TSESTree.Node): boolean {
  return RECORDED.has(node.type) || (node.type === AST_NODE_TYPES.Identifier && node.name === 'arguments');
}

/** Whether a recorded node sits inside one of `functions` (below the walked body). */
export function isInside(entry: BodyNode, functions: { has(fn: FunctionNode): boolean }): boolean {
  for (let frame = entry.frame; frame; frame = frame.outer) if (functions.has(frame.fn)) return true;
  return false;
}

const bodies = new WeakMap<FunctionNode, BodyFacts>();

const actions = new WeakMap<FunctionNode, ActionFacts>();

interface Pending {
  node: TSESTree.Node;
  where: number;
  frame: FunctionFrame | undefined;
  /** Set for the marker that closes a recorded node: it goes into the evaluation order then. */
  closes?: BodyNode;
}

function walkBody(context: Context, fn: FunctionNode): BodyFacts {
  const { visitorKeys } = context.sourceCode;
  const nodes: BodyNode[] = [];
  const evaluationOrder: BodyNode[] = [];
  // Without recursion: deep trees in generated files would overflow the stack.
  const stack: Pending[] = [{ node: fn.body, where: 0, frame: undefined }];
  while (stack.length > 0) {
    const { node, where, frame, closes } = stack.pop()!;
    if (closes) {
      evaluationOrder.push(closes);
      continue;
    }
    if (isRecorded(node)) {
      const entry: BodyNode = { node, where, frame };
      nodes.push(entry);
      stack.push({ node, where, frame, closes: entry });
    }
    let inner = where;
    let innerFrame = frame;
    let callback = false;
    if (isFunctionNode(node)) {
      callback = isCallbackArgument(node);
      if (!callback) inner |= IN_DEFINED_FUNCTION;
      if (node.type !== AST_NODE_TYPES.ArrowFunctionExpression) inner |= IN_OWN_THIS;
      innerFrame = { fn: node, outer: frame };
    } else if (node.type === AST_NODE_TYPES.ClassBody) {
      inner |= IN_OWN_THIS;
    }
    const keys = visitorKeys[node.type] ?? [];
    for (let index = keys.length - 1; index >= 0; index--) {
      const key = keys[index]!;
      let childWhere = TYPE_KEYS.has(key) ? inner | IN_TYPE : inner;
      if (callback) childWhere |= key === 'body' ? IN_CALLBACK : IN_CALLBACK_HEAD;
      const child = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(child)) {
        for (let item = child.length - 1; item >= 0; item--) {
          const value = child[item] as TSESTree.Node | null;
          if (value) stack.push({ node: value, where: childWhere, frame: innerFrame });
        }
      } else if (child && typeof child === 'object' && 'type' in child) {
        stack.push({ node: child as TSESTree.Node, where: childWhere, frame: innerFrame });
      }
    }
  }
  return { nodes, evaluationOrder };
}

/** What the body of `fn` holds (any function: an action, a helper, a handler, one in another module). Cached per function. */
export function getBodyFacts(context: Context, fn: FunctionNode): BodyFacts {
  let facts = bodies.get(fn);
  if (!facts) bodies.set(fn, (facts = walkBody(context, fn)));
  return facts;
}

/** What a Server Action's body holds, with its own nodes told apart from those of nested actions. Cached per action. */
export function getActionFacts(context: Context, action: ServerAction): ActionFacts {
  const known = actions.get(action.fn);
  if (known) return known;
  const body = getBodyFacts(context, action.fn);
  const facts: ActionFacts = { ...body, ownNodes: body.nodes.filter(entry => !isInside(entry, getActionsByFunction(context))) };
  actions.set(action.fn, facts);
  return facts;
}
