import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESTree } from '@typescript-eslint/utils';
import { skipAwait } from '../../utils/ast.js';
import { calleePath, classifyCall as classifyEffectCall, type Effect, MAX_HELPER_DEPTH } from '../effects.js';
import { type FunctionNode, isFunctionNode } from '../server-actions.js';
import type { InnerEffect } from './analyzer.js';
import type { AuthCall } from './calls.js';
import { lastSegment, REDIRECT_TO_SIGN_IN } from './names.js';
import type { SignedOutValues, Truth } from './signed-out.js';
import { type Context, codeChildren } from './syntax.js';

/*
 * Whether a guard has passed before the work of a function, judged on the syntax tree as a sound
 * approximation of the control-flow graph: a walk in evaluation order carries one fact, "a guard
 * has passed on every path to here". A contract sets it for what follows once it has settled; a
 * branch on a check's result (`if`, `?:`, `&&`, `||`) sets it inside the branch a signed-in caller
 * takes, and after the statement when the other branch cannot complete (`throw`, `return`,
 * `break`, `redirect()`, `notFound()`, `unauthorized()`, `forbidden()`, a same-file helper that
 * always throws). Guards inside loops, `switch` cases, `catch`/`finally` blocks and callbacks hold
 * only inside them; a `catch` block starts from the fact as it was before its `try`. Code after an
 * unconditional exit is unreachable and counts as guarded.
 */

export interface FunctionGuards {
  /** Authentication calls the function makes itself (callbacks included, helpers not), in source order. */
  authCalls: readonly AuthCall[];
  /** Whether a guard has passed on every path to a call or tagged template of the function; undefined for nodes it does not run. */
  guardedAt(node: TSESTree.Node): boolean | undefined;
  /** One entry per way the function completes normally (each `return`, the end of the body): guarded there or not. */
  exits: readonly boolean[];
  /** Whether some condition of the function (`if`, `?:`, `&&`, `||`) tests what an authentication call answered. */
  testsAuth: boolean;
}

export interface GuardFlow {
  analyze(fn: FunctionNode): FunctionGuards;
  /**
   * Whether an effect of `fn` only runs after a guard: in `fn`, or inside the same-file or imported
   * helper it happens in (`effect.via`), each judged in its own module.
   */
  isEffectGuarded(fn: FunctionNode, effect: Effect, depth?: number): boolean;
}

/** What the walk needs from the rest of the file's analysis. */
export interface GuardFlowSources {
  classifyAuthCall: (node: TSESTree.Node) => AuthCall | undefined;
  signedOut: Pick<SignedOutValues, 'scanBindings' | 'usesAuth' | 'polarity'>;
  /** Whether a call runs the function it is handed only for a signed-in caller. */
  isAuthWrapper: (call: TSESTree.CallExpression) => boolean;
  innerEffect: (found: Effect) => InnerEffect | undefined;
  /** The functions being analysed, across modules: bounds the depth and breaks cycles. */
  inProgress: FunctionNode[];
}

interface Flow {
  /** The statement can complete normally. */
  normal: boolean;
  /** A guard has passed on every path that completes normally. */
  guarded: boolean;
}

function joinFlows(a: Flow, b: Flow): Flow {
  if (!a.normal) return b;
  if (!b.normal) return a;
  return { normal: true, guarded: a.guarded && b.guarded };
}

/**
 * Whether a call has finished before what follows it runs: awaited, or used as a statement, an
 * initializer, an assignment or a return value. A contract handed on as a promise
 * (`Promise.all([requireUser(), db.post.findMany()])`) guards nothing that runs beside it.
 */
function isSettled(call: TSESTree.Node): boolean {
  let current = call;
  while (
    current.parent?.type === AST_NODE_TYPES.ChainExpression ||
    current.parent?.type === AST_NODE_TYPES.TSNonNullExpression ||
    current.parent?.type === AST_NODE_TYPES.TSAsExpression
  ) {
    current = current.parent;
  }
  const parent = current.parent;
  return (
    parent?.type === AST_NODE_TYPES.AwaitExpression ||
    parent?.type === AST_NODE_TYPES.ExpressionStatement ||
    parent?.type === AST_NODE_TYPES.ReturnStatement ||
    (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.init === current) ||
    (parent?.type === AST_NODE_TYPES.AssignmentExpression && parent.right === current)
  );
}

/** The guard flow of the functions of one file, each walked once. */
export function createGuardFlow(context: Context, sources: GuardFlowSources): GuardFlow {
  const { visitorKeys } = context.sourceCode;
  const { classifyAuthCall, signedOut, isAuthWrapper, inProgress } = sources;
  const analyses = new Map<FunctionNode, FunctionGuards>();

  /** A call after which the path does not go on: `redirect()`, `notFound()`, `redirectToSignIn()`, a helper that always throws. */
  function isStop(expression: TSESTree.Node): boolean {
    const call = skipAwait(expression);
    if (call.type !== AST_NODE_TYPES.CallExpression) return false;
    const classified = classifyEffectCall(context, call);
    if (classified?.kind === 'redirect' || classified?.kind === 'interrupt') return true;
    if (REDIRECT_TO_SIGN_IN.test(lastSegment(calleePath(call.callee)))) return true;
    if (classified?.kind !== 'helper' || inProgress.includes(classified.fn) || inProgress.length > MAX_HELPER_DEPTH) return false;
    return analyze(classified.fn).exits.length === 0;
  }

  function analyze(fn: FunctionNode): FunctionGuards {
    const known = analyses.get(fn);
    if (known) return known;
    inProgress.push(fn);
    signedOut.scanBindings(fn);
    const stateAt = new Map<TSESTree.Node, boolean>();
    const authCalls: AuthCall[] = [];
    let exits: boolean[] = [];
    let testsAuth = false;
    const sideOf = (test: TSESTree.Node): Truth => {
      if (!testsAuth && signedOut.usesAuth(test)) testsAuth = true;
      return signedOut.polarity(test);
    };

    const record = (node: TSESTree.Node, guarded: boolean) => {
      const previous = stateAt.get(node);
      stateAt.set(node, previous === undefined ? guarded : previous && guarded);
    };

    const walkFunction = (inner: FunctionNode, guarded: boolean): void => {
      const outer = exits;
      exits = [];
      if (inner.body.type === AST_NODE_TYPES.BlockStatement) walkList(inner.body.body, guarded);
      else walkExpression(inner.body, guarded);
      exits = outer;
    };

    const walkChildren = (node: TSESTree.Node, guarded: boolean): boolean => {
      let state = guarded;
      for (const child of codeChildren(node, visitorKeys)) state = walkExpression(child, state);
      return state;
    };

    const walkCall = (node: TSESTree.CallExpression | TSESTree.NewExpression, guarded: boolean): boolean => {
      let state = walkExpression(node.callee, guarded);
      const wrapper = node.type === AST_NODE_TYPES.CallExpression && node.arguments.some(isFunctionNode) && isAuthWrapper(node);
      for (const argument of node.arguments) {
        if (isFunctionNode(argument)) walkFunction(argument, state || wrapper);
        else state = walkExpression(argument, state);
      }
      if (node.type === AST_NODE_TYPES.NewExpression) return state;
      record(node, state);
      const found = classifyAuthCall(node);
      if (!found) return state;
      authCalls.push(found);
      return state || (found.kind === 'contract' && isSettled(node));
    };

    /** Walks an expression in evaluation order; answers whether a guard has passed once it is evaluated. */
    const walkExpression = (node: TSESTree.Node, guarded: boolean): boolean => {
      switch (node.type) {
        case AST_NODE_TYPES.FunctionExpression:
        case AST_NODE_TYPES.ArrowFunctionExpression:
        case AST_NODE_TYPES.FunctionDeclaration:
        case AST_NODE_TYPES.ClassBody:
          return guarded;
        case AST_NODE_TYPES.CallExpression:
        case AST_NODE_TYPES.NewExpression:
          return walkCall(node, guarded);
        case AST_NODE_TYPES.TaggedTemplateExpression: {
          const state = walkChildren(node, guarded);
          record(node, state);
          return state;
        }
        case AST_NODE_TYPES.LogicalExpression: {
          const left = walkExpression(node.left, guarded);
          const side = sideOf(node.left);
          // `session && work()` runs the work only when the left side is truthy, `!session || work()` only when it is falsy.
          const safe = (node.operator === '&&' && side === 'falsy') || (node.operator === '||' && side === 'truthy');
          walkExpression(node.right, left || safe);
          return left;
        }
        case AST_NODE_TYPES.ConditionalExpression: {
          const test = walkExpression(node.test, guarded);
          const side = sideOf(node.test);
          const consequent = walkExpression(node.consequent, test || side === 'falsy');
          const alternate = walkExpression(node.alternate, test || side === 'truthy');
          return consequent && alternate;
        }
        default:
          return walkChildren(node, guarded);
      }
    };

    const walkList = (statements: readonly TSESTree.Node[], guarded: boolean): Flow => {
      let flow: Flow = { normal: true, guarded };
      for (const statement of statements) {
        if (!flow.normal) {
          walkStatement(statement, true);
          continue;
        }
        flow = walkStatement(statement, flow.guarded);
      }
      return flow;
    };

    const walkStatement = (node: TSESTree.Node, guarded: boolean): Flow => {
      switch (node.type) {
        case AST_NODE_TYPES.BlockStatement:
        case AST_NODE_TYPES.StaticBlock:
          return walkList(node.body, guarded);
        case AST_NODE_TYPES.ExpressionStatement:
          return { normal: !isStop(node.expression), guarded: walkExpression(node.expression, guarded) };
        case AST_NODE_TYPES.ReturnStatement: {
          const state = node.argument ? walkExpression(node.argument, guarded) : guarded;
          exits.push(state);
          return { normal: false, guarded: state };
        }
        case AST_NODE_TYPES.ThrowStatement:
          walkExpression(node.argument, guarded);
          return { normal: false, guarded };
        case AST_NODE_TYPES.BreakStatement:
        case AST_NODE_TYPES.ContinueStatement:
          return { normal: false, guarded };
        case AST_NODE_TYPES.IfStatement: {
          const test = walkExpression(node.test, guarded);
          const side = sideOf(node.test);
          const consequent = walkStatement(node.consequent, test || side === 'falsy');
          const alternate = node.alternate ? walkStatement(node.alternate, test || side === 'truthy') : { normal: true, guarded: test || side === 'truthy' };
          return joinFlows(consequent, alternate);
        }
        case AST_NODE_TYPES.TryStatement: {
          const block = walkList(node.block.body, guarded);
          // Anything in the `try` may have thrown before its guard.
          const handler = node.handler ? walkList(node.handler.body.body, guarded) : { normal: false, guarded };
          const after = joinFlows(block, handler);
          if (!node.finalizer) return after;
          const finalizer = walkList(node.finalizer.body, guarded);
          return { normal: after.normal && finalizer.normal, guarded: after.guarded || finalizer.guarded };
        }
        case AST_NODE_TYPES.ForStatement: {
          let state = node.init ? (node.init.type === AST_NODE_TYPES.VariableDeclaration ? walkStatement(node.init, guarded).guarded : walkExpression(node.init, guarded)) : guarded;
          if (node.test) state = walkExpression(node.test, state);
          walkStatement(node.body, state);
          if (node.update) walkExpression(node.update, state);
          return { normal: true, guarded: state };
        }
        case AST_NODE_TYPES.ForInStatement:
        case AST_NODE_TYPES.ForOfStatement: {
          const state = walkExpression(node.right, guarded);
          walkStatement(node.body, state);
          return { normal: true, guarded: state };
        }
        case AST_NODE_TYPES.WhileStatement: {
          const state = walkExpression(node.test, guarded);
          walkStatement(node.body, state);
          return { normal: true, guarded: state };
        }
        case AST_NODE_TYPES.DoWhileStatement:
          walkStatement(node.body, guarded);
          walkExpression(node.test, guarded);
          return { normal: true, guarded };
        case AST_NODE_TYPES.SwitchStatement: {
          const state = walkExpression(node.discriminant, guarded);
          for (const switchCase of node.cases) {
            if (switchCase.test) walkExpression(switchCase.test, state);
            walkList(switchCase.consequent, state);
          }
          return { normal: true, guarded: state };
        }
        case AST_NODE_TYPES.LabeledStatement: {
          const body = walkStatement(node.body, guarded);
          return { normal: true, guarded: body.normal ? body.guarded : guarded };
        }
        case AST_NODE_TYPES.VariableDeclaration: {
          let state = guarded;
          for (const declarator of node.declarations) if (declarator.init) state = walkExpression(declarator.init, state);
          return { normal: true, guarded: state };
        }
        case AST_NODE_TYPES.FunctionDeclaration:
        case AST_NODE_TYPES.ClassDeclaration:
          return { normal: true, guarded };
        default:
          return { normal: true, guarded: node.type.startsWith('TS') ? guarded : walkChildren(node, guarded) };
      }
    };

    if (fn.body.type === AST_NODE_TYPES.BlockStatement) {
      const flow = walkList(fn.body.body, false);
      if (flow.normal) exits.push(flow.guarded);
    } else {
      exits.push(walkExpression(fn.body, false));
    }
    inProgress.pop();
    authCalls.sort((a, b) => a.node.range[0] - b.node.range[0]);
    const guards: FunctionGuards = { authCalls, exits, testsAuth, guardedAt: node => stateAt.get(node) };
    analyses.set(fn, guards);
    return guards;
  }

  function isEffectGuarded(fn: FunctionNode, found: Effect, depth = 0): boolean {
    const state = analyze(fn).guardedAt(found.node);
    // Nodes the walk does not reach are not run by the function (effects and walk share that rule).
    if (state === undefined || state) return true;
    if (found.via.length === 0 || depth > MAX_HELPER_DEPTH) return false;
    // Whatever an authentication function does is the check itself.
    if (classifyAuthCall(found.node)?.named) return true;
    const next = sources.innerEffect(found);
    return next !== undefined && next.analyzer.isEffectGuarded(next.fn, next.inner, depth + 1);
  }

  return { analyze, isEffectGuarded };
}
