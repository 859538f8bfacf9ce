import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESTree } from '@typescript-eslint/utils';
import { importedName } from '../../utils/imports.js';
import { calleePath, classifyCall as classifyEffectCall, getFunctionEffects, MAX_HELPER_DEPTH } from '../effects.js';
import { type FunctionNode, isFunctionNode } from '../server-actions.js';
import type { ForeignTarget } from './analyzer.js';
import type { FunctionGuards } from './guard-flow.js';
import {
  ASSERTION_VERB,
  AUTH_PREDICATE,
  CHECK_NAMES,
  CHECK_PATTERN,
  isBuiltinAuthName,
  isContractName,
  lastSegment,
  PLAIN_USER_GETTER,
  previousSegment,
  SESSION_TABLE,
  SIGNATURE_CHECK,
  WEBHOOK_CONTRACT,
  WEBHOOK_RECEIVER,
} from './names.js';
import { isObjectResult, type SignedOutValues } from './signed-out.js';
import { type Context, rootIdentifier, variableOf } from './syntax.js';

/*
 * Which calls authenticate, and how. A `contract` throws or redirects by itself for a signed-out
 * caller (`requireUser()`, `auth.protect()`); a `check` only answers (`auth()`,
 * `getServerSession()`) and guards nothing until a branch on its result stops the function.
 */

export type AuthCallKind = 'contract' | 'check';

export interface AuthCall {
  node: TSESTree.CallExpression;
  kind: AuthCallKind;
  /** How the call reads in a message: `auth()`, `supabase.auth.getUser()`. */
  label: string;
  /**
   * The callee is an authentication function by its name (built in, configured, or named like
   * `requireAdmin`/`getCurrentUser`): whatever it does inside is the check itself, not privileged work.
   */
  named: boolean;
  /** The call resolves to an object even for a signed-out caller (Clerk `auth()`, Supabase `auth.getUser()`). */
  objectResult: boolean;
}

/** What classifying a call needs from the rest of the file's analysis. */
export interface AuthCallSources {
  /** Checks and contracts through `settings.authFunctions`. */
  configuredAuth: (path: string) => boolean;
  signedOut: Pick<SignedOutValues, 'derivedTruth' | 'scanBindings'>;
  /** The guard flow of a helper this file declares. */
  analyze: (fn: FunctionNode) => FunctionGuards;
  foreignTarget: (call: TSESTree.Node) => ForeignTarget | undefined;
  /** The functions being analysed, across modules: bounds the depth and breaks cycles. */
  inProgress: readonly FunctionNode[];
}

/** WorkOS `withAuth({ ensureSignedIn: true })` redirects a signed-out caller by itself. */
function hasEnsureSignedIn(call: TSESTree.CallExpression): boolean {
  return call.arguments.some(
    argument =>
      argument.type === AST_NODE_TYPES.ObjectExpression &&
      argument.properties.some(
        property =>
          property.type === AST_NODE_TYPES.Property &&
          property.key.type === AST_NODE_TYPES.Identifier &&
          property.key.name === 'ensureSignedIn' &&
          property.value.type === AST_NODE_TYPES.Literal &&
          property.value.value === true,
      ),
  );
}

/** Whether the value of a call is thrown away: `await assertCan(user, 'edit');`. */
function isDiscarded(call: TSESTree.Node): boolean {
  let current = call;
  while (current.parent?.type === AST_NODE_TYPES.AwaitExpression || current.parent?.type === AST_NODE_TYPES.ChainExpression) current = current.parent;
  return current.parent?.type === AST_NODE_TYPES.ExpressionStatement;
}

/** The authentication call a node is, if any, for one file; answers are cached per node. */
export function createAuthCallClassifier(context: Context, sources: AuthCallSources): (node: TSESTree.Node) => AuthCall | undefined {
  const { sourceCode } = context;
  const { configuredAuth, signedOut, inProgress } = sources;
  const cache = new Map<TSESTree.Node, AuthCall | null>();

  function authCall(call: TSESTree.CallExpression, kind: AuthCallKind, named: boolean, objectResult = false): AuthCall {
    const text = sourceCode.getText(call.callee).replace(/\s+/g, ' ');
    const label = `${text.length <= 48 ? text : lastSegment(calleePath(call.callee))}()`;
    return { node: call, kind, label, named, objectResult };
  }

  function classifyByName(call: TSESTree.CallExpression, path: string): AuthCall | undefined {
    const last = lastSegment(path);
    if (isContractName(path) || hasEnsureSignedIn(call)) return authCall(call, 'contract', true);
    if (previousSegment(path) === 'jwt' && last === 'verify') return authCall(call, 'contract', true);
    if (WEBHOOK_CONTRACT.test(last) || (last === 'verify' && WEBHOOK_RECEIVER.test(previousSegment(path) ?? ''))) return authCall(call, 'contract', true);
    if (SIGNATURE_CHECK.test(last)) return authCall(call, isDiscarded(call) ? 'contract' : 'check', true);
    if ((CHECK_PATTERN.test(last) && !(PLAIN_USER_GETTER.test(last) && call.arguments.length > 0)) || AUTH_PREDICATE.test(last)) {
      // Nobody drops the answer of `verifyAdmin()` unless it throws.
      if (ASSERTION_VERB.test(last) && isDiscarded(call)) return authCall(call, 'contract', true);
      return authCall(call, 'check', true, isObjectResult(context, call, path));
    }
    if (ASSERTION_VERB.test(last) && isDiscarded(call) && call.arguments.some(argument => signedOut.derivedTruth(argument) !== 'unknown')) {
      return authCall(call, 'contract', true);
    }
    return undefined;
  }

  /**
   * A call of a function the analysis can read (in this file, or imported from a project module):
   * a contract when the function stops a signed-out caller on every way it completes, a check when
   * it authenticates or is named like an authentication function.
   */
  function classifyFunctionCall(
    call: TSESTree.CallExpression,
    fn: FunctionNode,
    name: string,
    analyze: (fn: FunctionNode) => FunctionGuards,
    ownerContext: Context,
  ): AuthCall | undefined {
    if (inProgress.includes(fn) || inProgress.length > MAX_HELPER_DEPTH) return undefined;
    const named = isContractName(name) || CHECK_PATTERN.test(name) || AUTH_PREDICATE.test(name) || CHECK_NAMES.has(name);
    const inner = analyze(fn);
    if (inner.exits.length > 0 && inner.exits.every(Boolean)) return authCall(call, 'contract', named);
    if (isContractName(name)) return authCall(call, 'contract', true);
    const authenticates = inner.authCalls.length > 0 || getFunctionEffects(ownerContext, fn).effects.some(found => found.kind === 'auth');
    return named || authenticates ? authCall(call, 'check', named) : undefined;
  }

  /** The callee path with an aliased import put back under its exported name: `auth.protect` for `clerkAuth.protect`. */
  function canonicalPath(callee: TSESTree.Node): string {
    const path = calleePath(callee);
    const root = rootIdentifier(callee);
    const definition = root && variableOf(sourceCode, root)?.defs[0];
    if (definition?.type !== 'ImportBinding' || definition.node.type !== AST_NODE_TYPES.ImportSpecifier) return path;
    const imported = importedName(definition.node);
    return imported + path.slice(root!.name.length);
  }

  function classifyUncached(node: TSESTree.Node): AuthCall | undefined {
    if (node.type !== AST_NODE_TYPES.CallExpression) return undefined;
    const classified = classifyEffectCall(context, node);
    if (classified?.kind === 'helper') return classifyFunctionCall(node, classified.fn, classified.name, sources.analyze, context);
    // A session looked up by hand (`db.session.findUnique({ where: { token } })`) answers like `auth()`.
    if (classified?.kind === 'read' && classified.subject !== undefined && SESSION_TABLE.test(classified.subject)) return authCall(node, 'check', true);
    if (classified && classified.kind !== 'auth' && classified.kind !== 'unknownCall') return undefined;
    // A call handed a function is a wrapper (`withAuth(async …)`), not a check.
    if (node.arguments.some(isFunctionNode)) return undefined;
    const path = canonicalPath(node.callee);
    const last = lastSegment(path);
    if (classified?.kind === 'auth' && classified.basis === 'settings' && configuredAuth(calleePath(node.callee)) && !CHECK_NAMES.has(last)) {
      return authCall(node, 'contract', true);
    }
    if (classified?.kind === 'auth' && classified.via.length > 0 && !isBuiltinAuthName(path, node)) {
      // An imported function that authenticates: judged in its own module.
      const foreign = sources.foreignTarget(node);
      if (foreign) return classifyFunctionCall(node, foreign.target.fn, lastSegment(path), foreign.analyzer.analyze, foreign.target.context);
    }
    if (classified?.kind === 'auth' || isBuiltinAuthName(path, node)) {
      // The outermost call decides: `requireUser().catch(() => null)` no longer throws for a signed-out caller.
      const contract = isContractName(path) || hasEnsureSignedIn(node);
      return authCall(node, contract ? 'contract' : 'check', true, !contract && isObjectResult(context, node, path));
    }
    return classifyByName(node, path);
  }

  return node => {
    const cached = cache.get(node);
    if (cached !== undefined) return cached ?? undefined;
    // Whether an argument is a user depends on the variables of the functions around the call.
    for (let current = node.parent; current; current = current.parent) if (isFunctionNode(current)) signedOut.scanBindings(current);
    const result = classifyUncached(node);
    cache.set(node, result ?? null);
    return result;
  };
}
