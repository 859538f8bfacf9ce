import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import * as ASTUtils from '@typescript-eslint/utils/ast-utils';
import { isInnerChainLink } from './data-layer.js';
import { childNodes, memberName, skipAwait, skipTypeWrappers, TYPE_KEYS } from '../utils/ast.js';
import { getBodyFacts, IN_CALLBACK, IN_CALLBACK_HEAD, IN_DEFINED_FUNCTION, IN_TYPE } from './action-facts.js';
import { classifyCall, type Effect, isMutatingHttp, isSessionFunctionCall, MAX_HELPER_DEPTH } from './effects.js';
import { contextFile, getForeignModulesVersion } from './foreign-module.js';
import { cachedCall, getNameEvidence, isShapingCall } from './name-evidence.js';
import type { FunctionNode } from './server-actions.js';
import type { Context } from '../utils/context.js';

/*
 * The judgement behind `no-query-action`: does a function only read data and hand it back? It is
 * asked of the Server Actions a file defines and, from a Client Component, of an imported action
 * in its own module (the context foreign-module.ts makes for it), so both get the same answer.
 *
 * The walk is the effects analysis' classification of each call, plus what only this question
 * needs: names as weak evidence (name-evidence.ts), caching wrappers, and where read data flows
 * (through variables, destructuring, loops and collections) up to the returned expressions.
 */


/** A read a function does, as a message names it. */
export interface QueryRead {
  /** `db.user.findMany`, `fetch('https://…')`, `getPosts`. */
  label: string;
  /** The helpers (same-file, imported, cached) it was found through, outermost first. */
  via: readonly string[];
  /** Whether only the callee's name says it reads. */
  byName: boolean;
  /** Where it happens in the judged function: the call itself, or the call of the helper it is in. */
  site: TSESTree.Node;
  /** The call that reads, in `file`. */
  origin: TSESTree.Node;
  /** The absolute path of the module `origin` belongs to. */
  file: string;
}

interface Read extends Omit<QueryRead, 'file'> {
  /** Set when the read is in another module than the judged function's (an imported helper). */
  file: string | undefined;
}

/** What one function does, as far as this judgement is concerned. */
interface QueryFacts {
  reads: Read[];
  /** A write, a revalidation, a redirect, a cookie write or a write-named call happens somewhere. */
  writes: boolean;
  /** A returned expression carries data one of the reads produced. */
  returnsData: boolean;
  /** A returned expression carries what the function was given. */
  returnsInput: boolean;
  /** Whether a returned expression carries what these nodes of the function produce. */
  returnsFrom: (seeds: ReadonlySet<TSESTree.Node>) => boolean;
}

const SILENCING: ReadonlySet<Effect['kind']> = new Set(['mutation', 'revalidate', 'redirect', 'cookieWrite']);
const READING_METHODS = new Set(['GET', 'HEAD']);
/** Methods that put a value into the collection they are called on: `rows.push(row)`, `byId.set(id, row)`. */
const COLLECTION_WRITES = new Set(['push', 'unshift', 'set', 'add', 'splice']);
/** Operators whose result is a verdict about a value, not the value: `!user`, `count === 0`. */
const VERDICT_OPERATORS = new Set(['==', '!=', '===', '!==', '<', '<=', '>', '>=', 'in', 'instanceof']);
/** Array methods whose result is made of the receiver's elements. */
const ARRAY_TRANSFORMS = new Set(['map', 'flatMap', 'filter', 'find', 'findLast', 'toSorted', 'sort']);
const MAX_LABEL = 60;
/** How many reads are tried, one by one, to find the one whose data is returned. */
const MAX_CANDIDATES = 8;

function compact(context: Context, node: TSESTree.Node): string {
  return context.sourceCode.getText(node).replace(/\s+/g, '');
}

function httpLabel(found: Effect): string {
  const url = found.url?.replace(/\s+/g, '');
  return url && url.length <= MAX_LABEL ? `${found.label}(${url})` : found.label;
}

function calleeLabel(context: Context, call: TSESTree.CallExpression): string {
  const text = compact(context, call.callee);
  if (text.length <= MAX_LABEL) return text;
  const callee = skipTypeWrappers(call.callee);
  return `….${callee.type === AST_NODE_TYPES.MemberExpression ? (memberName(callee) ?? '') : ''}`;
}

/** The root variable a member chain writes into: `result` in `result.users = …`, `rows` in `rows.push(…)`. */
function rootIdentifier(node: TSESTree.Node): TSESTree.Identifier | undefined {
  let current = skipTypeWrappers(node);
  while (current.type === AST_NODE_TYPES.MemberExpression) current = skipTypeWrappers(current.object);
  return current.type === AST_NODE_TYPES.Identifier ? current : undefined;
}

function within(node: TSESTree.Node, outer: TSESTree.Node): boolean {
  return node.range[0] >= outer.range[0] && node.range[1] <= outer.range[1];
}

/** For `const [a, b] = [x, y]` and `const [a, b] = await Promise.all([x, y])`: the patterns and the values they receive. */
function listedValues(declarator: TSESTree.VariableDeclarator): { patterns: (TSESTree.Node | null)[]; values: (TSESTree.Node | null)[] } | undefined {
  if (declarator.id.type !== AST_NODE_TYPES.ArrayPattern || !declarator.init) return undefined;
  let init = skipAwait(declarator.init);
  if (init.type === AST_NODE_TYPES.CallExpression) {
    const callee = skipTypeWrappers(init.callee);
    const isPromiseAll =
      callee.type === AST_NODE_TYPES.MemberExpression &&
      callee.object.type === AST_NODE_TYPES.Identifier &&
      callee.object.name === 'Promise' &&
      (memberName(callee) === 'all' || memberName(callee) === 'allSettled');
    if (!isPromiseAll || !init.arguments[0]) return undefined;
    init = skipTypeWrappers(init.arguments[0]);
  }
  if (init.type !== AST_NODE_TYPES.ArrayExpression || init.elements.some(element => element?.type === AST_NODE_TYPES.SpreadElement)) return undefined;
  return { patterns: declarator.id.elements, values: init.elements };
}

interface Cache {
  modulesVersion: number;
  facts: WeakMap<FunctionNode, QueryFacts>;
}

/**
 * Per context: the linted file's, or the one foreign-module.ts keeps for an imported module for
 * the life of the process, whose answers go stale when a module it was followed into changes.
 */
const caches = new WeakMap<Context, Cache>();

function cacheFor(context: Context): Cache {
  const modulesVersion = getForeignModulesVersion();
  let cache = caches.get(context);
  if (cache?.modulesVersion !== modulesVersion) {
    cache = { modulesVersion, facts: new WeakMap() };
    caches.set(context, cache);
  }
  return cache;
}

/**
 * The reads and writes of a function, with those of the helpers and cached functions it calls,
 * and whether what it returns carries read data. Undefined when the function is already being
 * analysed further up (a cycle) or too deep to follow.
 */
function analyse(context: Context, fn: FunctionNode, stack: readonly FunctionNode[]): QueryFacts | undefined {
  const { sourceCode } = context;
  const analysed = cacheFor(context).facts;
  const known = analysed.get(fn);
  if (known) return known;
  if (stack.includes(fn) || stack.length > MAX_HELPER_DEPTH) return undefined;
  const nextStack = [...stack, fn];
  const reads: Read[] = [];
  let writes = false;
  const seeds = new Set<TSESTree.Node>();
  /** Calls of same-file helpers and cached functions, with what the called function does. */
  const called = new Map<TSESTree.Node, QueryFacts>();
  const declarators: TSESTree.VariableDeclarator[] = [];
  const assignments: TSESTree.AssignmentExpression[] = [];
  const loops: TSESTree.ForOfStatement[] = [];
  const collectionWrites: TSESTree.CallExpression[] = [];
  const returns: TSESTree.Node[] = [];
  let complete = true;

  const follow = (target: FunctionNode, node: TSESTree.Node, name: string) => {
    const inner = analyse(context, target, nextStack);
    if (!inner) {
      complete = false;
      return;
    }
    called.set(node, inner);
    // A session function's writes renew the session (see isSessionFunctionCall): not the caller's change.
    if (!isSessionFunctionCall({ name, node })) writes ||= inner.writes;
    for (const read of inner.reads) reads.push({ ...read, via: [name, ...read.via], site: node });
    if (inner.returnsData) seeds.add(node);
  };
  const addRead = (node: TSESTree.Node, read: Omit<Read, 'site' | 'byName'>, byName: boolean) => {
    reads.push({ ...read, byName, site: node });
    seeds.add(node);
  };

  const handleCall = (node: TSESTree.CallExpression | TSESTree.TaggedTemplateExpression) => {
    const classified = classifyCall(context, node);
    if (classified?.kind === 'helper') {
      follow(classified.fn, node, classified.name);
      return;
    }
    if (classified && classified.kind !== 'unknownCall') {
      const found = { via: classified.via, origin: classified.origin, file: classified.file };
      if (SILENCING.has(classified.kind) || isMutatingHttp(classified)) writes = true;
      else if (classified.kind === 'read') addRead(node, { ...found, label: classified.label }, false);
      else if (classified.kind === 'http' && READING_METHODS.has(classified.method ?? '')) addRead(node, { ...found, label: httpLabel(classified) }, false);
      return;
    }
    if (node.type !== AST_NODE_TYPES.CallExpression || isInnerChainLink(node)) return;
    const cached = cachedCall(context, node);
    if (cached) {
      const callee = skipTypeWrappers(node.callee);
      follow(cached.fn, node, callee.type === AST_NODE_TYPES.Identifier ? callee.name : calleeLabel(context, cached.wrapper));
      return;
    }
    const evidence = getNameEvidence(context, node);
    if (evidence?.kind === 'write') writes = true;
    else if (evidence) addRead(node, { label: calleeLabel(context, evidence.call), via: [], origin: node, file: undefined }, true);
  };

  for (const { node, where } of getBodyFacts(context, fn).evaluationOrder) {
    // Callbacks handed to calls run as part of the function; functions it only defines do not.
    if (where & (IN_TYPE | IN_DEFINED_FUNCTION | IN_CALLBACK_HEAD)) continue;
    switch (node.type) {
      case AST_NODE_TYPES.CallExpression: {
        const callee = skipTypeWrappers(node.callee);
        if (callee.type === AST_NODE_TYPES.MemberExpression && COLLECTION_WRITES.has(memberName(callee) ?? '')) collectionWrites.push(node);
        handleCall(node);
        break;
      }
      case AST_NODE_TYPES.TaggedTemplateExpression:
        handleCall(node);
        break;
      case AST_NODE_TYPES.VariableDeclarator:
        declarators.push(node);
        break;
      case AST_NODE_TYPES.AssignmentExpression:
        assignments.push(node);
        break;
      case AST_NODE_TYPES.ForOfStatement:
        loops.push(node);
        break;
      case AST_NODE_TYPES.ReturnStatement:
        if (!(where & IN_CALLBACK) && node.argument) returns.push(node.argument);
        break;
      default:
        break;
    }
  }
  if (fn.body.type !== AST_NODE_TYPES.BlockStatement) returns.push(fn.body);

  /** Follows values through variables, destructuring, loops and collections to the returns. */
  const returnsFrom = (from: ReadonlySet<TSESTree.Node>): boolean => {
    if (from.size === 0) return false;
    const tainted = new Set<TSESTree.Node>(from);
    const taintedVariables = new Set<TSESLint.Scope.Variable>();
    const carries = (root: TSESTree.Node): boolean => {
      const stack: TSESTree.Node[] = [root];
      while (stack.length > 0) {
        const node = stack.pop()!;
        if (tainted.has(node)) return true;
        // A verdict about the data (`!user`, `count === 0`) does not hand the data back.
        if (node.type === AST_NODE_TYPES.UnaryExpression && (node.operator === '!' || node.operator === 'typeof' || node.operator === 'void')) continue;
        if (node.type === AST_NODE_TYPES.BinaryExpression && VERDICT_OPERATORS.has(node.operator)) continue;
        if (node.type === AST_NODE_TYPES.ConditionalExpression) {
          stack.push(node.consequent, node.alternate);
          continue;
        }
        if (node.type === AST_NODE_TYPES.CallExpression && !passesArguments(node)) {
          stack.push(node.callee);
          continue;
        }
        stack.push(...childNodes(node, sourceCode.visitorKeys, TYPE_KEYS));
      }
      return false;
    };
    const taint = (variable: TSESLint.Scope.Variable | null | undefined): boolean => {
      if (!variable || taintedVariables.has(variable)) return false;
      taintedVariables.add(variable);
      for (const reference of variable.references) tainted.add(reference.identifier);
      return true;
    };
    const taintRoot = (node: TSESTree.Node): boolean => {
      const identifier = rootIdentifier(node);
      return identifier !== undefined && taint(ASTUtils.findVariable(sourceCode.getScope(identifier), identifier));
    };
    const declared = (node: TSESTree.Node) => sourceCode.scopeManager?.getDeclaredVariables(node) ?? [];
    for (let changed = true, rounds = 0; changed && rounds < 8; rounds++) {
      changed = false;
      for (const declarator of declarators) {
        if (!declarator.init) continue;
        const elements = listedValues(declarator);
        if (elements) {
          // `const [user, flags] = await Promise.all([db.user.findUnique(…), getFlags()])`: one by one.
          for (const [index, pattern] of elements.patterns.entries()) {
            const value = elements.values[index];
            if (!pattern || !value || !carries(value)) continue;
            for (const variable of declared(declarator)) {
              if (variable.identifiers.some(identifier => within(identifier, pattern))) changed = taint(variable) || changed;
            }
          }
          continue;
        }
        if (!carries(declarator.init)) continue;
        for (const variable of declared(declarator)) changed = taint(variable) || changed;
      }
      for (const assignment of assignments) {
        if (carries(assignment.right)) changed = taintRoot(assignment.left) || changed;
      }
      for (const loop of loops) {
        if (!carries(loop.right)) continue;
        if (loop.left.type === AST_NODE_TYPES.VariableDeclaration) {
          for (const declarator of loop.left.declarations) for (const variable of declared(declarator)) changed = taint(variable) || changed;
        } else {
          changed = taintRoot(loop.left) || changed;
        }
      }
      for (const call of collectionWrites) {
        const callee = skipTypeWrappers(call.callee) as TSESTree.MemberExpression;
        if (call.arguments.some(carries)) changed = taintRoot(callee.object) || changed;
      }
    }
    return returns.some(carries);
  };

  /**
   * Whether a call's result carries what it is given. Not for helpers that never return their
   * input, nor for work this analysis cannot see into (`await generateText({ prompt })`,
   * `return cleanupDrafts({ days })` compute their own result), unless the name says it
   * reshapes its input (`toDto(user)`, `superjson.serialize(rows)`).
   */
  function passesArguments(call: TSESTree.CallExpression): boolean {
    const inner = called.get(call);
    if (inner) return inner.returnsInput;
    return classifyCall(context, call)?.kind !== 'unknownCall' || isShapingCall(call) || mapsWithFunction(call);
  }

  /** `rows.map(toArticle)`: an array method handed a function by name hands back the rows, reshaped. */
  function mapsWithFunction(call: TSESTree.CallExpression): boolean {
    const callee = skipTypeWrappers(call.callee);
    const argument = call.arguments[0];
    return (
      callee.type === AST_NODE_TYPES.MemberExpression &&
      ARRAY_TRANSFORMS.has(memberName(callee) ?? '') &&
      argument?.type === AST_NODE_TYPES.Identifier
    );
  }

  const parameters = new Set(
    (sourceCode.scopeManager?.getDeclaredVariables(fn) ?? [])
      .filter(variable => variable.defs.some(definition => definition.type === 'Parameter'))
      .flatMap(variable => variable.references.map(reference => reference.identifier)),
  );
  const result: QueryFacts = {
    reads,
    writes,
    returnsData: returnsFrom(seeds),
    returnsInput: returnsFrom(parameters),
    returnsFrom,
  };
  if (complete) analysed.set(fn, result);
  return result;
}

/**
 * Whether `fn` (a function of the file `context` stands for: the linted file, or an imported
 * module's context from foreign-module.ts) only reads data and returns it: it reads (catalogue,
 * settings, GET requests, or a read name whose body is not visible), changes nothing (no write,
 * revalidation, redirect, cookie write, mutating request or write name, in it or in the helpers
 * and cached functions it calls), and a returned expression carries what it read. Answers the
 * read whose data comes back (the catalogue's before the names'), or undefined.
 */
export function judgeQuery(context: Context, fn: FunctionNode): QueryRead | undefined {
  const found = analyse(context, fn, []);
  if (!found || found.writes || !found.returnsData) return undefined;
  const candidates = [...found.reads.filter(read => !read.byName), ...found.reads.filter(read => read.byName)];
  const read = candidates.slice(0, MAX_CANDIDATES).find(candidate => found.returnsFrom(new Set([candidate.site]))) ?? candidates[0];
  return read && { ...read, file: read.file ?? contextFile(context) };
}
