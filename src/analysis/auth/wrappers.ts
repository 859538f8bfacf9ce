import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { createNameMatcher } from '../../settings.js';
import { memberName, skipTypeWrappers } from '../../utils/ast.js';
import { chainCalls } from '../data-layer.js';
import { calleePath } from '../effects.js';
import { contextFile } from '../foreign-module.js';
import { type FunctionNode, isFunctionNode } from '../server-actions.js';
import { containsAuthCall, importAuthenticates, valueAuthenticates } from './follow.js';
import type { FunctionGuards } from './guard-flow.js';
import { AUTH_MIDDLEWARE, lastSegment } from './names.js';
import { type Context, variableOf } from './syntax.js';

/*
 * Wrappers and action clients that run the function they are handed only for a signed-in caller
 * (`withAuth(async …)`, `authActionClient.action(…)`, next-safe-action and zsa clients with an
 * auth middleware), and handlers that receive the caller from them. They are known by name (built
 * in, or the rule's `authWrappers` option), or by reading their definition (see follow.ts).
 */

/** Wrappers and clients that authenticate: `authActionClient`, `authedProcedure`, `protectedAction`, `withAuth`, `requireUser`. */
const AUTH_WRAPPER =
  /^(?:auth|authed|authenticated|authorized|protected|private|secure|user|admin|member|session|signedIn|loggedIn)(?:[A-Z_]|$)|(?:^w|[a-z]W)ith(?:Auth|Session|User|Authentication|Login|SignedIn|Admin|Member|Team|Org|Organization|Workspace)(?:[A-Z_]|$)|^require(?:Auth|User|Session|Login|Admin)(?:[A-Z_]|$)/;
/** A wrapped function that receives the caller as a plain parameter (`withTeam(async (formData, user) => …)`) gets it from the wrapper. */
const CALLER_PARAMETER = /^(?:user|session|currentUser|viewer|authUser|sessionUser|me)$/;
/** Names of action clients and procedures (`authActionClient`, `authedProcedure`), as opposed to a variable such as `user`. */
const AUTH_CLIENT = /Client|Procedure|Action/;
/** Keys of a middleware `ctx` that carry the signed-in user. */
const AUTH_CONTEXT_KEY = /^(?:user|userId|session|auth|viewer|member|account|org|orgId|organization|currentUser|tenant|tenantId)$/;

export interface Wrappers {
  /** A wrapper that runs the function it receives only for a signed-in caller (`authActionClient.action(…)`, `withAuth(…)`). */
  isAuthWrapper(call: TSESTree.CallExpression): boolean;
  /**
   * A wrapped handler that receives the caller from its wrapper: the `ctx` of a next-safe-action or
   * zsa auth middleware (`{ ctx: { userId } }`), or a `user`/`session` parameter.
   */
  readsAuthContext(fn: FunctionNode): boolean;
}

export interface WrapperSources {
  /** Extra wrapper and action-client names (or `*` patterns) that authenticate. */
  authWrappers: readonly string[];
  /** Checks and contracts through `settings.authFunctions`. */
  configuredAuth: (path: string) => boolean;
  /** The guard flow of a middleware written inline: `.use(async ({ next }) => …)`. */
  analyze: (fn: FunctionNode) => FunctionGuards;
}

/** The wrappers of one file; what a name's definition says is cached per variable. */
export function createWrappers(context: Context, sources: WrapperSources): Wrappers {
  const { sourceCode } = context;
  const { configuredAuth, analyze } = sources;
  const configuredWrapper = createNameMatcher(sources.authWrappers);
  const definitionCache = new Map<TSESLint.Scope.Variable, boolean>();

  function isAuthWrapper(call: TSESTree.CallExpression, depth = 0): boolean {
    const { calls, root } = chainCalls(call);
    const rootNode = skipTypeWrappers(root);
    const rootName = rootNode.type === AST_NODE_TYPES.Identifier ? rootNode.name : rootNode.type === AST_NODE_TYPES.MemberExpression ? memberName(rootNode) : undefined;
    if (rootName !== undefined) {
      // Called directly (`withAuth(fn)`), or a client built up by methods (`authActionClient.schema(s).action(fn)`);
      // a plain `user.posts.map(fn)` is neither.
      const direct = calls[0] !== undefined && skipTypeWrappers(calls[0].callee) === rootNode;
      if (configuredWrapper(rootName)) return true;
      if (rootName !== 'auth' && AUTH_WRAPPER.test(rootName) && (direct || AUTH_CLIENT.test(rootName))) return true;
      if (rootNode.type === AST_NODE_TYPES.Identifier && definitionAuthenticates(rootNode)) return true;
    }
    for (const link of calls) {
      const path = calleePath(link.callee);
      if (configuredWrapper(path)) return true;
      const last = lastSegment(path);
      for (const argument of link.arguments) {
        const inner = skipTypeWrappers(argument);
        if (last === 'use' || last === 'middleware') {
          if (inner.type === AST_NODE_TYPES.Identifier && AUTH_MIDDLEWARE.test(inner.name)) return true;
          if (isFunctionNode(inner) && analyze(inner).authCalls.length > 0) return true;
        }
        // `withLog(withAuth(async …))`
        if (inner.type === AST_NODE_TYPES.CallExpression && depth < 3 && isAuthWrapper(inner, depth + 1)) return true;
      }
    }
    return false;
  }

  /** Follows a client or wrapper name to its definition, in this file or in the module it is imported from. */
  function definitionAuthenticates(identifier: TSESTree.Identifier): boolean {
    const variable = variableOf(sourceCode, identifier);
    if (!variable) return false;
    const cached = definitionCache.get(variable);
    if (cached !== undefined) return cached;
    const definition = variable.defs[0];
    const file = contextFile(context);
    let result = false;
    if (definition?.type === 'ImportBinding' && definition.parent.type === AST_NODE_TYPES.ImportDeclaration) {
      result = importAuthenticates(file, definition.parent.source.value, definition.node, configuredAuth);
    } else if (definition?.type === 'Variable' && definition.node.init) {
      result = valueAuthenticates(file, sourceCode.ast, definition.node.init, configuredAuth);
    } else if (definition?.type === 'FunctionName' && isFunctionNode(definition.node as TSESTree.Node)) {
      result = containsAuthCall((definition.node as FunctionNode).body, configuredAuth);
    }
    definitionCache.set(variable, result);
    return result;
  }

  function readsAuthContext(fn: FunctionNode): boolean {
    if (fn.params.some(parameter => parameter.type === AST_NODE_TYPES.Identifier && CALLER_PARAMETER.test(parameter.name))) return true;
    const first = fn.params[0];
    if (first?.type !== AST_NODE_TYPES.ObjectPattern) return false;
    for (const property of first.properties) {
      if (property.type !== AST_NODE_TYPES.Property || property.key.type !== AST_NODE_TYPES.Identifier || property.key.name !== 'ctx') continue;
      const value = property.value.type === AST_NODE_TYPES.AssignmentPattern ? property.value.left : property.value;
      if (value.type === AST_NODE_TYPES.ObjectPattern) {
        return value.properties.some(
          inner => inner.type === AST_NODE_TYPES.Property && inner.key.type === AST_NODE_TYPES.Identifier && AUTH_CONTEXT_KEY.test(inner.key.name),
        );
      }
      if (value.type !== AST_NODE_TYPES.Identifier) return false;
      const variable = variableOf(sourceCode, value);
      return (
        variable?.references.some(reference => {
          const parent = reference.identifier.parent;
          return parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === reference.identifier && AUTH_CONTEXT_KEY.test(memberName(parent) ?? '');
        }) ?? false
      );
    }
    return false;
  }

  return { isAuthWrapper: call => isAuthWrapper(call), readsAuthContext };
}
