import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESTree } from '@typescript-eslint/utils';
import { createNameMatcher, getSettings } from '../../settings.js';
import { classifyCall as classifyEffectCall, type Effect, getFunctionEffects, importedCallee } from '../effects.js';
import { type ForeignFunction, resolveImportedFunction } from '../foreign-module.js';
import type { FunctionNode } from '../server-actions.js';
import { type AuthCall, createAuthCallClassifier } from './calls.js';
import { type CapabilityScope, createCapabilityScope } from './capabilities.js';
import { createGuardFlow, type GuardFlow } from './guard-flow.js';
import { isRateLimitedByIp, privilegedWork } from './privileged-work.js';
import { createSignedOutValues } from './signed-out.js';
import type { Context } from './syntax.js';
import { createWrappers, type Wrappers } from './wrappers.js';

/*
 * Whether a function checks who is calling before it does privileged work, for one file: the
 * linted one, or a module followed from it through foreign-module.ts. Helpers are followed: a
 * same-file function, or one imported from a project module (analysed in its own module by an
 * analyzer of its own), is a contract when it stops a signed-out caller on every way it completes,
 * and the work it does is judged where it happens.
 */

export interface UnguardedWork {
  /**
   * The privileged effect some path reaches without a guard: the first write (data, a mutating
   * request, a catalogued package call), else the first read whose data is handed back.
   */
  effect: Effect;
  /** The authentication calls of the function itself, in source order. */
  authCalls: readonly AuthCall[];
  /** Whether some condition of the function tests what an authentication call answered. */
  testsAuth: boolean;
}

export interface AuthAnalyzer extends Wrappers, GuardFlow {
  isCapabilityScoped: CapabilityScope;
  findUnguardedWork(fn: FunctionNode): UnguardedWork | undefined;
}

export interface AuthAnalyzerOptions {
  /** Extra wrapper and action-client names (or `*` patterns) that authenticate. */
  authWrappers?: readonly string[];
}

/** A function an imported call runs, in its module, and the analyzer of that module. */
export interface ForeignTarget {
  target: ForeignFunction;
  analyzer: AuthAnalyzer;
}

/** An effect seen one level down, inside the helper it happens in, with the analyzer that judges it there. */
export interface InnerEffect {
  fn: FunctionNode;
  inner: Effect;
  analyzer: AuthAnalyzer;
}

/** What the analyzer of a linted file shares with those it makes for the modules it follows. */
interface Shared {
  /** The functions being analysed, across modules: bounds the depth and breaks cycles. */
  inProgress: FunctionNode[];
  analyzers: Map<Context, AuthAnalyzer>;
}

/** Two rules ask about the same file (require-action-auth and the report): one analysis serves both. */
const analyzersByProgram = new WeakMap<TSESTree.Program, Map<string, AuthAnalyzer>>();

/** The authentication analysis of the linted file, with its caches: one per file and options. */
export function createAuthAnalyzer(context: Context, options: AuthAnalyzerOptions = {}): AuthAnalyzer {
  const authWrappers = options.authWrappers ?? [];
  const key = JSON.stringify(authWrappers);
  let byOptions = analyzersByProgram.get(context.sourceCode.ast);
  if (!byOptions) {
    byOptions = new Map();
    analyzersByProgram.set(context.sourceCode.ast, byOptions);
  }
  let analyzer = byOptions.get(key);
  if (!analyzer) {
    analyzer = buildAnalyzer(context, authWrappers, { inProgress: [], analyzers: new Map() });
    byOptions.set(key, analyzer);
  }
  return analyzer;
}

function buildAnalyzer(context: Context, authWrappers: readonly string[], shared: Shared): AuthAnalyzer {
  const { sourceCode } = context;
  const { inProgress } = shared;
  const configuredAuth = createNameMatcher(getSettings(context).authFunctions);

  function foreignTarget(call: TSESTree.Node): ForeignTarget | undefined {
    if (call.type !== AST_NODE_TYPES.CallExpression) return undefined;
    const imported = importedCallee(context, call.callee);
    const target = imported && resolveImportedFunction(context, imported.source, imported.name);
    if (!target) return undefined;
    let analyzer = shared.analyzers.get(target.context);
    if (!analyzer) {
      analyzer = buildAnalyzer(target.context, authWrappers, shared);
      shared.analyzers.set(target.context, analyzer);
    }
    return { target, analyzer };
  }

  function innerEffect(found: Effect): InnerEffect | undefined {
    const rest = found.via.slice(1);
    const same = (candidate: Effect) =>
      candidate.origin === found.origin && candidate.kind === found.kind && candidate.via.length === rest.length && candidate.via.every((name, index) => name === rest[index]);
    const resolved = classifyEffectCall(context, found.node);
    if (resolved?.kind === 'helper') {
      const inner = getFunctionEffects(context, resolved.fn).effects.find(same);
      return inner && { fn: resolved.fn, inner, analyzer };
    }
    const foreign = foreignTarget(found.node);
    if (!foreign) return undefined;
    const inner = getFunctionEffects(foreign.target.context, foreign.target.fn).effects.find(same);
    return inner && { fn: foreign.target.fn, inner, analyzer: foreign.analyzer };
  }

  // The parts ask each other (a check's answer decides a branch, a branch decides a helper's
  // verdict, a helper's verdict makes a call a check): each reaches the others once all are built.
  const signedOut = createSignedOutValues(context, node => classifyAuthCall(node));
  const classifyAuthCall = createAuthCallClassifier(context, { configuredAuth, signedOut, analyze: fn => flow.analyze(fn), foreignTarget, inProgress });
  const wrappers = createWrappers(context, { authWrappers, configuredAuth, analyze: fn => flow.analyze(fn) });
  const flow = createGuardFlow(context, { classifyAuthCall, signedOut, isAuthWrapper: wrappers.isAuthWrapper, innerEffect, inProgress });
  const isCapabilityScoped = createCapabilityScope(context, innerEffect);

  function findUnguardedWork(fn: FunctionNode): UnguardedWork | undefined {
    if (isRateLimitedByIp(sourceCode, fn)) return undefined;
    const { effects, dataReturns } = getFunctionEffects(context, fn);
    const unguarded: Effect[] = [];
    for (const found of effects) {
      const work = privilegedWork(sourceCode, found, dataReturns.length > 0);
      if (work && !flow.isEffectGuarded(fn, found) && !isCapabilityScoped(fn, found)) unguarded.push(work);
    }
    const effect = unguarded.find(work => work.kind !== 'read') ?? unguarded[0];
    const guards = flow.analyze(fn);
    return effect && { effect, authCalls: guards.authCalls, testsAuth: guards.testsAuth };
  }

  const analyzer: AuthAnalyzer = {
    isAuthWrapper: wrappers.isAuthWrapper,
    readsAuthContext: wrappers.readsAuthContext,
    analyze: flow.analyze,
    isEffectGuarded: flow.isEffectGuarded,
    isCapabilityScoped,
    findUnguardedWork,
  };
  return analyzer;
}
