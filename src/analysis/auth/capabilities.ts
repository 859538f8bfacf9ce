import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { memberName, skipAwait, skipTypeWrappers } from '../../utils/ast.js';
import { chainCalls } from '../data-layer.js';
import { getBodyFacts, IN_DEFINED_FUNCTION } from '../action-facts.js';
import { classifyCall as classifyEffectCall, type Effect, importedCallee, MAX_HELPER_DEPTH } from '../effects.js';
import type { FunctionNode } from '../server-actions.js';
import type { InnerEffect } from './analyzer.js';
import { type Context, someNode, variableOf } from './syntax.js';

/*
 * Work authorised by a capability rather than a session: whoever holds an opaque id the server set
 * in a cookie (a guest cart) or a one-time secret (an invite token) may do it, signed in or not.
 */

/**
 * Cookie names that state who the caller is: a client can write any value into them, so they are
 * claims, not capabilities. An opaque id the server set (`cartId`, `guestToken`) is a capability.
 */
const IDENTITY_COOKIE = /^(?:user|uid|user_?id|username|email|role|roles|admin|is_?admin|account|account_?id|org|org_?id|team|team_?id)$/i;
/** Keys of a lookup by a one-time secret: `where: { token }`, `eq(invites.code, code)`. */
const SECRET_KEY = /^(?:\w*token|code|otp|secret|hash|nonce)$/i;

/**
 * Whether an effect of `fn` is authorised by a capability rather than a session: its call is
 * filtered by a value read from a cookie the server set (`cookies().get('cartId')`) or by a row
 * found with a one-time secret (`where: { token }`), in `fn` or in the helper it happens in; or
 * it makes the resource whose id the action then puts into such a cookie.
 */
export type CapabilityScope = (fn: FunctionNode, effect: Effect, depth?: number) => boolean;

/** The capability scope of one file; `innerEffect` finds an effect inside the helper it happens in. */
export function createCapabilityScope(context: Context, innerEffect: (found: Effect) => InnerEffect | undefined): CapabilityScope {
  const { sourceCode } = context;
  const { visitorKeys } = sourceCode;
  const capabilityCache = new Map<FunctionNode, Set<TSESLint.Scope.Variable>>();
  const secretCache = new Map<FunctionNode, Set<TSESLint.Scope.Variable>>();

  /** `cookies()`, `await cookies()`, or a variable holding it: the request's cookie store. */
  function isCookieStore(node: TSESTree.Node, hops = 0): boolean {
    const target = skipAwait(node);
    if (target.type === AST_NODE_TYPES.CallExpression) {
      const imported = importedCallee(context, target.callee);
      return imported?.source === 'next/headers' && imported.name === 'cookies';
    }
    if (target.type !== AST_NODE_TYPES.Identifier || hops > 2) return false;
    const definition = variableOf(sourceCode, target)?.defs[0];
    return definition?.type === 'Variable' && definition.node.init !== null && isCookieStore(definition.node.init, hops + 1);
  }

  function cookieCall(node: TSESTree.Node, method: string): TSESTree.CallExpression | undefined {
    const call = skipAwait(node);
    if (call.type !== AST_NODE_TYPES.CallExpression) return undefined;
    const callee = skipTypeWrappers(call.callee);
    return callee.type === AST_NODE_TYPES.MemberExpression && memberName(callee) === method && isCookieStore(callee.object) ? call : undefined;
  }

  /** `cookies().get('cartId')`: a cookie whose name is not a claim about the caller. */
  function isCapabilityCookieRead(node: TSESTree.Node): boolean {
    const call = cookieCall(node, 'get');
    const name = call?.arguments[0];
    return name?.type === AST_NODE_TYPES.Literal && typeof name.value === 'string' && !IDENTITY_COOKIE.test(name.value);
  }

  /**
   * Data access that finds its rows by a one-time secret: `db.invite.findUnique({ where: { token } })`,
   * `db.update(subscriptions).set(…).where(eq(subscriptions.token, token))`.
   */
  function isSecretLookup(node: TSESTree.Node): boolean {
    const call = skipAwait(node);
    if (call.type !== AST_NODE_TYPES.CallExpression && call.type !== AST_NODE_TYPES.TaggedTemplateExpression) return false;
    const kind = classifyEffectCall(context, call)?.kind;
    if (kind !== 'read' && kind !== 'mutation') return false;
    return someNode(call, visitorKeys, inner => {
      if (inner.type === AST_NODE_TYPES.Property && !inner.computed && inner.key.type === AST_NODE_TYPES.Identifier) return SECRET_KEY.test(inner.key.name);
      return inner.type === AST_NODE_TYPES.MemberExpression && SECRET_KEY.test(memberName(inner) ?? '');
    });
  }

  /**
   * The variables of `fn` that hold a capability, or something found or computed with one. With
   * `secrets`, also a one-time secret the caller hands in (a `token` or `code` parameter or field)
   * and what is computed from it (`hashToken(token)`): data keyed by it is only reached by whoever
   * holds the secret.
   */
  function capabilityVariables(fn: FunctionNode, secrets = false): Set<TSESLint.Scope.Variable> {
    const cache = secrets ? secretCache : capabilityCache;
    const known = cache.get(fn);
    if (known) return known;
    const held = new Set<TSESLint.Scope.Variable>(secrets ? capabilityVariables(fn) : []);
    cache.set(fn, held);
    const declarators: TSESTree.VariableDeclarator[] = [];
    for (const { node, where } of getBodyFacts(context, fn).nodes) {
      // Functions the body only defines run at another time; callbacks handed to calls run with it.
      if (!(where & IN_DEFINED_FUNCTION) && node.type === AST_NODE_TYPES.VariableDeclarator && node.init) declarators.push(node);
    }
    if (secrets) {
      const declared = [fn, ...declarators].flatMap(node => sourceCode.scopeManager?.getDeclaredVariables(node) ?? []);
      for (const variable of declared) if (SECRET_KEY.test(variable.name)) held.add(variable);
    }
    for (let round = 0, changed = true; changed && round < 6; round++) {
      changed = false;
      for (const declarator of declarators) {
        if (!carriesCapability(declarator.init!, held)) continue;
        for (const variable of sourceCode.scopeManager?.getDeclaredVariables(declarator) ?? []) {
          if (held.has(variable)) continue;
          held.add(variable);
          changed = true;
        }
      }
    }
    return held;
  }

  function carriesCapability(node: TSESTree.Node, held: ReadonlySet<TSESLint.Scope.Variable>): boolean {
    return someNode(node, visitorKeys, inner => {
      if (inner.type === AST_NODE_TYPES.Identifier) {
        const variable = variableOf(sourceCode, inner);
        return variable !== null && held.has(variable);
      }
      return isCapabilityCookieRead(inner) || isSecretLookup(inner);
    });
  }

  /** `const cart = await createCart(); (await cookies()).set('cartId', cart.id)`: the work makes the capability it hands out. */
  function mintsCapability(fn: FunctionNode, node: TSESTree.Node): boolean {
    let site = node;
    while (site.parent?.type === AST_NODE_TYPES.AwaitExpression || site.parent?.type === AST_NODE_TYPES.TSNonNullExpression || site.parent?.type === AST_NODE_TYPES.TSAsExpression) site = site.parent;
    const declarator = site.parent;
    if (declarator?.type !== AST_NODE_TYPES.VariableDeclarator || declarator.init !== site) return false;
    const minted = new Set(sourceCode.scopeManager?.getDeclaredVariables(declarator) ?? []);
    if (minted.size === 0) return false;
    return someNode(fn.body, visitorKeys, inner => {
      const set = cookieCall(inner, 'set');
      return set !== undefined && set.arguments.slice(1).some(argument => carriesCapability(argument, minted));
    });
  }

  return function isCapabilityScoped(fn, found, depth = 0) {
    const node = skipAwait(found.node);
    if (node.type === AST_NODE_TYPES.CallExpression || node.type === AST_NODE_TYPES.TaggedTemplateExpression) {
      // A secret the caller hands in scopes data it keys, not requests or package calls made with it.
      const held = capabilityVariables(fn, found.kind === 'read' || found.kind === 'mutation');
      const inputs = node.type === AST_NODE_TYPES.CallExpression ? node.arguments : [node.quasi];
      if (inputs.some(argument => carriesCapability(argument, held)) || isSecretLookup(node)) return true;
      if (node.type === AST_NODE_TYPES.CallExpression) {
        // A query built in a chain filters in any link: `db.update(carts).set(…).where(eq(carts.id, cartId))`.
        if (chainCalls(node).calls.some(link => link.arguments.some(argument => carriesCapability(argument, held)))) return true;
      }
      if (mintsCapability(fn, found.node)) return true;
    }
    if (found.via.length === 0 || depth > MAX_HELPER_DEPTH) return false;
    const next = innerEffect(found);
    return next !== undefined && next.analyzer.isCapabilityScoped(next.fn, next.inner, depth + 1);
  };
}
