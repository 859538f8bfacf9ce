import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import * as ASTUtils from '@typescript-eslint/utils/ast-utils';
import { memberName, skipAwait, skipTypeWrappers } from '../utils/ast.js';
import type { Context } from '../utils/context.js';
import { chainCalls, isInnerChainLink } from './data-layer.js';
import { classifyCall, type Effect, getFunctionEffects, importedCallee, isMutatingHttp, isSessionFunctionCall } from './effects.js';
import { isErrorResult, isErrorReturn, keyName } from './error-results.js';
import { type FunctionNode, isFunctionNode } from './server-actions.js';

/*
 * Whether the paths of a function that change data tell Next.js before they return: the facts
 * behind `require-revalidate-after-mutation`. ESLint's code path analysis hands each function's
 * segments to the listeners below while the file is traversed once; writes, revalidations,
 * failures and calls are recorded on the segments they happen in, and `summarize` then walks a
 * function's paths forward (following calls into same-file helpers and callbacks) to the states
 * it can return in.
 */

type CodePath = TSESLint.CodePath;
type Segment = TSESLint.CodePathSegment;

/** A write, as the function being judged sees it. */
export interface Mutation {
  label: string;
  /** The call that writes (inside a helper when `via` is not empty): its line goes in the message. */
  origin: TSESTree.Node;
  /** Where it happens in the judged function: the call itself, or the helper or callback call around it. */
  site: TSESTree.Node;
  via: readonly string[];
  subject: string | undefined;
  /** The module `origin` belongs to, when it is not the linted file (an imported helper's). */
  file: string | undefined;
  /** It happens inside an `after(…)` / `waitUntil(…)` callback, once the response is on its way. */
  deferred: boolean;
}

type Event =
  | { type: 'mutation'; mutation: Mutation }
  | { type: 'revalidate' }
  /** The path is now handling a failure (a `catch` block, `notFound()`): what came before did not stick. */
  | { type: 'fail' }
  | { type: 'call'; fn: FunctionNode; node: TSESTree.Node; name: string | undefined }
  /** A call whose work (one of the above, or nothing) is classified once a summary walks through it: most calls of a file never are. */
  | { type: 'work'; node: TSESTree.CallExpression | TSESTree.TaggedTemplateExpression };

/**
 * Where a path stands: nothing happened yet (`pass`), the last thing was a revalidation
 * (`clean`), a mutation failed (`failed`), or mutations have not been revalidated (`dirty`):
 * `mutation` is the last of them (a revalidation belongs after it), `named` the one the message
 * names (see preferred).
 */
export type State = { kind: 'pass' } | { kind: 'clean' } | { kind: 'failed' } | { kind: 'dirty'; mutation: Mutation; named: Mutation };

interface FunctionPaths {
  codePath: CodePath;
  events: Map<Segment, Event[]>;
  /** Returned segments whose return hands back an error result. */
  errorReturns: Set<Segment>;
}

interface Frame extends FunctionPaths {
  node: TSESTree.Node;
  current: Set<Segment>;
}

export interface RevalidationPathOptions {
  /** Count POST/PUT/PATCH/DELETE requests to other origins as writes, not only those to the app's own routes. */
  checkHttp: boolean;
  /**
   * Called with every call the effects analysis classifies as work (not a helper call), as the
   * traversal leaves it. Every call is then classified as it is passed, not only those a summary
   * walks through: leave it out where no answer could matter.
   */
  onEffect?: (node: TSESTree.CallExpression, found: Effect) => void;
}

export interface RevalidationPaths {
  /** The listeners that record the file's paths: merge them into the rule's (they hold no `Program:exit`). */
  listeners: TSESLint.RuleListener;
  /** The states `fn` can return in, starting from nothing done: read once the traversal is over. */
  summarize(fn: FunctionNode): State[];
  /** Whether `fn` does any write at all: the cheap test before its paths are summarized. */
  mayMutate(fn: FunctionNode): boolean;
  /** The cache tags the file names (`cacheTag('posts')`, `unstable_cache`'s and `fetch`'s `tags`). */
  tags: ReadonlySet<string>;
}

const PASS: State = { kind: 'pass' };
const CLEAN: State = { kind: 'clean' };
const FAILED: State = { kind: 'failed' };
const MAX_SUMMARY_DEPTH = 4;

function mutationKey(mutation: Mutation): string {
  return `${mutation.file ?? ''}:${mutation.origin.range[0]}:${mutation.site.range[0]}`;
}

function stateKey(state: State): string {
  return state.kind === 'dirty' ? `dirty:${mutationKey(state.mutation)}|${mutationKey(state.named)}` : state.kind;
}

/**
 * How telling a write is to name: one the function makes itself beats one found through a
 * helper, and either beats one deferred to `after(…)`/`waitUntil(…)`, which the user did not
 * write into the response's path.
 */
export function mutationWeight(mutation: Mutation): number {
  if (mutation.deferred) return 0;
  return mutation.via.length === 0 ? 2 : 1;
}

/** Of two unrevalidated writes, `earlier` first on its path, the one to name: the weightier, else the later. */
function preferred(earlier: Mutation, later: Mutation): Mutation {
  return mutationWeight(earlier) > mutationWeight(later) ? earlier : later;
}

/** The state after `mutation` on a path that stood at `state`. */
function dirtyAfter(state: State, mutation: Mutation, named: Mutation = mutation): State {
  return { kind: 'dirty', mutation, named: state.kind === 'dirty' ? preferred(state.named, named) : named };
}

function toSet(states: Iterable<State>): Map<string, State> {
  const set = new Map<string, State>();
  for (const state of states) set.set(stateKey(state), state);
  return set;
}

/** A `.catch(…)` handler (or `.then`'s rejection handler) only runs when the work failed. */
function isFailureHandler(call: TSESTree.CallExpression, argument: TSESTree.Node): boolean {
  const callee = skipTypeWrappers(call.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return false;
  const name = memberName(callee);
  return name === 'catch' || (name === 'then' && call.arguments[1] === argument);
}

/** Records the paths of every function of the file as the rule's traversal passes; see RevalidationPaths. */
export function trackRevalidationPaths(context: Context, options: RevalidationPathOptions): RevalidationPaths {
  const { sourceCode } = context;
  const frames: Frame[] = [];
  const paths = new Map<FunctionNode, FunctionPaths>();
  const tags = new Set<string>();

  function emit(event: Event): void {
    const frame = frames[frames.length - 1];
    if (!frame) return;
    for (const segment of frame.current) {
      let list = frame.events.get(segment);
      if (!list) frame.events.set(segment, (list = []));
      list.push(event);
    }
  }

  function markErrorReturn(): void {
    const frame = frames[frames.length - 1];
    if (frame) for (const segment of frame.current) frame.errorReturns.add(segment);
  }

  /** `post` (or `post.id`) where `const post = await db.post.update(…)`: empty when the write failed. */
  function holdsWriteResult(node: TSESTree.Node): boolean {
    let target = skipTypeWrappers(node);
    if (target.type === AST_NODE_TYPES.MemberExpression) target = skipTypeWrappers(target.object);
    if (target.type !== AST_NODE_TYPES.Identifier) return false;
    const definition = ASTUtils.findVariable(sourceCode.getScope(target), target)?.defs[0];
    if (definition?.type !== 'Variable' || !definition.node.init) return false;
    const init = skipAwait(definition.node.init);
    if (init.type !== AST_NODE_TYPES.CallExpression && init.type !== AST_NODE_TYPES.TaggedTemplateExpression) return false;
    const found = classifyCall(context, init);
    return found !== undefined && found.kind !== 'helper' && mutationOf(found) !== undefined;
  }

  /** `after(…)` from `next/server`, `waitUntil(…)` (`@vercel/functions`, `ctx.waitUntil`): work for after the response. */
  function isDeferredCall(node: TSESTree.Node): boolean {
    if (node.type !== AST_NODE_TYPES.CallExpression) return false;
    const callee = skipTypeWrappers(node.callee);
    const name = callee.type === AST_NODE_TYPES.Identifier ? callee.name : callee.type === AST_NODE_TYPES.MemberExpression ? memberName(callee) : undefined;
    if (name === 'waitUntil') return true;
    return (name === 'after' || name === 'unstable_after') && importedCallee(context, callee)?.source === 'next/server';
  }

  /** Whether `node` is handed to a deferred call in its function: `waitUntil(db.log.create(…))`. */
  function isDeferredArgument(node: TSESTree.Node): boolean {
    let child = node;
    for (let parent = node.parent; parent && !isFunctionNode(parent); child = parent, parent = parent.parent) {
      if (parent.type === AST_NODE_TYPES.CallExpression && parent.arguments.includes(child as TSESTree.CallExpressionArgument) && isDeferredCall(parent)) return true;
    }
    return false;
  }

  function mutationOf(found: Effect): Mutation | undefined {
    const common = { origin: found.origin, site: found.node, via: found.via, file: found.file, deferred: isDeferredArgument(found.node) };
    if (found.kind === 'mutation') return { ...common, label: found.label, subject: found.subject };
    if (isMutatingHttp(found) && (options.checkHttp || found.urlKind === 'relative' || found.urlKind === 'own-origin')) {
      const url = found.urlPath ?? (found.url ?? '').replace(/[`'"]/g, '').replace(/\s+/g, '');
      return { ...common, label: `${found.method} ${url}`.trim(), subject: undefined };
    }
    return undefined;
  }

  function eventOf(found: Effect): Event | undefined {
    const mutation = mutationOf(found);
    if (mutation) return { type: 'mutation', mutation };
    if (found.kind === 'revalidate' || found.kind === 'redirect' || found.kind === 'cookieWrite') return { type: 'revalidate' };
    if (found.kind === 'interrupt') return { type: 'fail' };
    return undefined;
  }

  const work = new Map<TSESTree.Node, Event | undefined>();

  /** What a call does to the paths through it. */
  function workOf(node: TSESTree.CallExpression | TSESTree.TaggedTemplateExpression): Event | undefined {
    if (work.has(node)) return work.get(node);
    const found = classifyCall(context, node);
    let event: Event | undefined;
    if (found?.kind === 'helper') {
      // A session function's own writes renew the session: the caller changed nothing.
      if (node.type === AST_NODE_TYPES.CallExpression && !isSessionFunctionCall(found)) event = { type: 'call', fn: found.fn, node, name: found.name };
    } else if (found) {
      event = eventOf(found);
    }
    work.set(node, event);
    return event;
  }

  function emitCallbacks(call: TSESTree.CallExpression | TSESTree.NewExpression): void {
    for (const argument of call.arguments) {
      if (!isFunctionNode(argument)) continue;
      if (call.type === AST_NODE_TYPES.CallExpression && isFailureHandler(call, argument)) continue;
      emit({ type: 'call', fn: argument, node: call, name: undefined });
    }
  }

  function collectTags(node: TSESTree.CallExpression): void {
    const callee = skipTypeWrappers(node.callee);
    const name = callee.type === AST_NODE_TYPES.Identifier ? callee.name : callee.type === AST_NODE_TYPES.MemberExpression ? memberName(callee) : undefined;
    const literal = (item: TSESTree.Node | null) => (item ? skipTypeWrappers(item) : undefined);
    const addAll = (list: TSESTree.Node | undefined) => {
      if (list?.type !== AST_NODE_TYPES.ArrayExpression) return;
      for (const item of list.elements) {
        const value = literal(item);
        if (value?.type === AST_NODE_TYPES.Literal && typeof value.value === 'string') tags.add(value.value);
      }
    };
    const property = (object: TSESTree.Node | undefined, key: string) =>
      object?.type === AST_NODE_TYPES.ObjectExpression
        ? object.properties.find((item): item is TSESTree.Property => item.type === AST_NODE_TYPES.Property && keyName(item) === key)?.value
        : undefined;
    if (name === 'cacheTag' || name === 'unstable_cacheTag') {
      if (importedCallee(context, callee)?.source !== 'next/cache') return;
      for (const argument of node.arguments) {
        const value = literal(argument);
        if (value?.type === AST_NODE_TYPES.Literal && typeof value.value === 'string') tags.add(value.value);
      }
    } else if (name === 'unstable_cache' && importedCallee(context, callee)?.source === 'next/cache') {
      addAll(property(literal(node.arguments[2] ?? null), 'tags'));
    } else if (name === 'fetch') {
      addAll(property(property(literal(node.arguments[1] ?? null), 'next'), 'tags'));
    }
  }

  // --- Summaries -----------------------------------------------------------------------------
  const summaries = new Map<FunctionNode, State[]>();
  /** Set when a summary stopped at a cycle or the depth limit: it then holds for one caller only. */
  let cut = false;

  function applyCall(states: Map<string, State>, outcomes: readonly State[], event: Extract<Event, { type: 'call' }>): Map<string, State> {
    // The callee's writes, seen from the call: found through the helper, deferred with the call.
    const deferred = isDeferredCall(event.node) || isDeferredArgument(event.node);
    const atCall = (mutation: Mutation): Mutation => ({
      ...mutation,
      site: event.node,
      via: event.name === undefined ? mutation.via : [event.name, ...mutation.via],
      deferred: mutation.deferred || deferred,
    });
    const next: State[] = [];
    for (const state of states.values()) {
      for (const outcome of outcomes) {
        if (outcome.kind === 'pass') next.push(state);
        else if (outcome.kind === 'clean') next.push(CLEAN);
        else if (outcome.kind === 'failed') next.push(state.kind === 'dirty' ? state : FAILED);
        else next.push(dirtyAfter(state, atCall(outcome.mutation), atCall(outcome.named)));
      }
    }
    return toSet(next);
  }

  function apply(states: Map<string, State>, events: readonly Event[], stack: readonly FunctionNode[]): Map<string, State> {
    let current = states;
    for (const recorded of events) {
      const event = recorded.type === 'work' ? workOf(recorded.node) : recorded;
      switch (event?.type) {
        case 'mutation':
          current = toSet([...current.values()].map(state => dirtyAfter(state, event.mutation)));
          break;
        case 'revalidate':
          current = toSet([CLEAN]);
          break;
        case 'fail':
          current = toSet([...current.values()].map(state => (state.kind === 'dirty' ? FAILED : state)));
          break;
        case 'call':
          current = applyCall(current, summarize(event.fn, stack), event);
          break;
        default:
          break;
      }
    }
    return current;
  }

  /** The states a function can return in, starting from `pass`: a forward walk over its code path. */
  function summarize(fn: FunctionNode, stack: readonly FunctionNode[]): State[] {
    const known = summaries.get(fn);
    if (known) return known;
    const info = paths.get(fn);
    if (!info) return [PASS];
    if (stack.includes(fn) || stack.length >= MAX_SUMMARY_DEPTH) {
      cut = true;
      return [PASS];
    }
    const outerCut = cut;
    cut = false;
    const nextStack = [...stack, fn];
    const incoming = new Map<Segment, Map<string, State>>([[info.codePath.initialSegment, toSet([PASS])]]);
    const outgoing = new Map<Segment, Map<string, State>>();
    const work: Segment[] = [info.codePath.initialSegment];
    while (work.length > 0) {
      const segment = work.shift()!;
      const out = apply(incoming.get(segment)!, info.events.get(segment) ?? [], nextStack);
      const previous = outgoing.get(segment);
      if (previous && previous.size === out.size && [...out.keys()].every(key => previous.has(key))) continue;
      outgoing.set(segment, out);
      for (const next of segment.nextSegments) {
        const target = incoming.get(next) ?? new Map<string, State>();
        const before = target.size;
        for (const [key, state] of out) target.set(key, state);
        incoming.set(next, target);
        if (target.size !== before || !outgoing.has(next)) work.push(next);
      }
    }
    const outcomes = new Map<string, State>();
    for (const segment of info.codePath.returnedSegments) {
      const out = outgoing.get(segment);
      if (!out) continue;
      const failedHere = info.errorReturns.has(segment);
      for (const state of out.values()) {
        const final = failedHere && state.kind === 'dirty' ? FAILED : state;
        outcomes.set(stateKey(final), final);
      }
    }
    const result = outcomes.size > 0 ? [...outcomes.values()] : [PASS];
    if (!cut) summaries.set(fn, result);
    cut ||= outerCut;
    return result;
  }

  const listeners = {
    onCodePathStart(codePath: CodePath, node: TSESTree.Node) {
      frames.push({ codePath, node, current: new Set(), events: new Map(), errorReturns: new Set() });
    },
    onCodePathEnd(_codePath: CodePath, node: TSESTree.Node) {
      const frame = frames.pop();
      if (frame && isFunctionNode(node)) paths.set(node, frame);
    },
    onCodePathSegmentStart(segment: Segment) {
      frames[frames.length - 1]?.current.add(segment);
    },
    onCodePathSegmentEnd(segment: Segment) {
      frames[frames.length - 1]?.current.delete(segment);
    },
    CatchClause() {
      emit({ type: 'fail' });
    },
    'ReturnStatement:exit'(node: TSESTree.ReturnStatement) {
      if (isErrorReturn(node, holdsWriteResult)) markErrorReturn();
    },
    'ArrowFunctionExpression:exit'(node: TSESTree.ArrowFunctionExpression) {
      if (node.body.type !== AST_NODE_TYPES.BlockStatement && isErrorResult(node.body)) markErrorReturn();
    },
    'NewExpression:exit'(node: TSESTree.NewExpression) {
      emitCallbacks(node);
    },
    'TaggedTemplateExpression:exit'(node: TSESTree.TaggedTemplateExpression) {
      emit({ type: 'work', node });
    },
    'CallExpression:exit'(node: TSESTree.CallExpression) {
      collectTags(node);
      if (options.onEffect) {
        const found = classifyCall(context, node);
        if (found && found.kind !== 'helper') options.onEffect(node, found);
      }
      emit({ type: 'work', node });
      // A chain's callbacks run after the query it builds: `.then(() => revalidatePath('/'))`.
      if (!isInnerChainLink(node)) {
        for (const call of chainCalls(node).calls) emitCallbacks(call);
      }
    },
  };

  return {
    listeners: listeners as unknown as TSESLint.RuleListener,
    summarize: fn => summarize(fn, []),
    mayMutate: fn => getFunctionEffects(context, fn).effects.some(found => mutationOf(found) !== undefined),
    tags,
  };
}
