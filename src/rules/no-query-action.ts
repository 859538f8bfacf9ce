import { AST_NODE_TYPES, ASTUtils, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { isInnerChainLink, memberName, skipAwait, skipTypeWrappers } from '../analysis/data-layer.js';
import { classifyCall, type Effect, isCallbackArgument, isMutatingHttp, MAX_HELPER_DEPTH } from '../analysis/effects.js';
import { getFileFacts } from '../analysis/file-kind.js';
import { cachedCall, getNameEvidence, isShapingCall } from '../analysis/name-evidence.js';
import { actionReportLoc, type FunctionNode, getServerActions, isFunctionNode, type ServerAction } from '../analysis/server-actions.js';
import { createNameMatcher } from '../settings.js';
import { createRule } from '../utils/create-rule.js';

export type Options = [
  {
    allow?: string[];
  },
];

export type MessageIds = 'queryAction';

type Context = Readonly<TSESLint.RuleContext<MessageIds, Options>>;

interface Read {
  /** How the read appears in the message: `db.user.findMany`, `fetch('https://…')`, `getPosts`. */
  label: string;
  /** The same-file helpers and cached functions it was found through, outermost first. */
  via: readonly string[];
  /** Whether only the callee's name says it reads. */
  byName: boolean;
  /** Where it happens in the function: the call itself, or the call of the helper it is in. */
  site: TSESTree.Node;
}

/** What one function does, as far as this rule is concerned. */
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

const SKIPPED_KEYS = new Set(['typeAnnotation', 'returnType', 'typeParameters', 'typeArguments', 'decorators']);
const SILENCING: ReadonlySet<Effect['kind']> = new Set(['mutation', 'revalidate', 'redirect', 'cookieWrite']);
const READING_METHODS = new Set(['GET', 'HEAD']);
/** Methods that put a value into the collection they are called on: `rows.push(row)`, `byId.set(id, row)`. */
const COLLECTION_WRITES = new Set(['push', 'unshift', 'set', 'add', 'splice']);
/** Operators whose result is a verdict about a value, not the value: `!user`, `count === 0`. */
const VERDICT_OPERATORS = new Set(['==', '!=', '===', '!==', '<', '<=', '>', '>=', 'in', 'instanceof']);
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

function subjectOf(action: ServerAction): string {
  if (action.name === undefined) return action.origin === 'inline' ? 'This inline Server Action' : 'This Server Action';
  if (action.name === 'default') return 'The default-exported Server Action';
  return `\`${action.name}\``;
}

function describeRead(read: Read): string {
  const helper = read.via[read.via.length - 1];
  return helper === undefined ? `\`${read.label}\`` : `\`${read.label}\`, in \`${helper}\``;
}

export default createRule<Options, MessageIds>({
  name: 'no-query-action',
  meta: {
    type: 'suggestion',
    docs: {
      description: 'Disallow Server Actions that only read data and return it',
      recommended: 'warn',
      strict: 'error',
    },
    messages: {
      queryAction:
        '{{action}} only reads data ({{read}}). Server Actions are POST requests dispatched one at a time: read it in a Server Component and pass it down, or expose a GET Route Handler for other consumers.',
    },
    schema: [
      {
        type: 'object',
        properties: {
          allow: {
            type: 'array',
            items: { type: 'string', minLength: 1 },
            uniqueItems: true,
            description: 'Names of Server Actions that may read and return data (`loadMorePosts`), or `*` patterns (`loadMore*`).',
          },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ allow: [] }],
  },
  create(context, [options]) {
    const facts = getFileFacts(context);
    if (!facts.isServerActionsFile && !facts.mayHaveInlineActions) return {};
    const allowed = createNameMatcher(options.allow ?? []);
    const { sourceCode } = context;
    const analysed = new WeakMap<FunctionNode, QueryFacts>();

    /**
     * The reads and writes of a function, with those of the same-file helpers and cached
     * functions it calls, and whether what it returns carries read data. Undefined when the
     * function is already being analysed further up (a cycle) or too deep to follow.
     */
    function analyse(fn: FunctionNode, stack: readonly FunctionNode[]): QueryFacts | undefined {
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
        const inner = analyse(target, nextStack);
        if (!inner) {
          complete = false;
          return;
        }
        called.set(node, inner);
        writes ||= inner.writes;
        for (const read of inner.reads) reads.push({ ...read, via: [name, ...read.via], site: node });
        if (inner.returnsData) seeds.add(node);
      };
      const addRead = (node: TSESTree.Node, label: string, byName: boolean) => {
        reads.push({ label, via: [], byName, site: node });
        seeds.add(node);
      };

      const handleCall = (node: TSESTree.CallExpression | TSESTree.TaggedTemplateExpression) => {
        const classified = classifyCall(context, node);
        if (classified?.kind === 'helper') {
          follow(classified.fn, node, classified.name);
          return;
        }
        if (classified && classified.kind !== 'unknownCall') {
          if (SILENCING.has(classified.kind) || isMutatingHttp(classified)) writes = true;
          else if (classified.kind === 'read') addRead(node, classified.label, false);
          else if (classified.kind === 'http' && READING_METHODS.has(classified.method ?? '')) addRead(node, httpLabel(classified), false);
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
        else if (evidence) addRead(node, calleeLabel(context, evidence.call), true);
      };

      const visit = (node: TSESTree.Node, inCallback: boolean): void => {
        if (isFunctionNode(node)) {
          // Callbacks handed to calls run as part of the function; functions it only defines do not.
          if (isCallbackArgument(node)) visit(node.body, true);
          return;
        }
        for (const key of sourceCode.visitorKeys[node.type] ?? []) {
          if (SKIPPED_KEYS.has(key)) continue;
          const child = (node as unknown as Record<string, unknown>)[key];
          if (Array.isArray(child)) {
            for (const item of child as (TSESTree.Node | null)[]) if (item) visit(item, inCallback);
          } else if (child && typeof child === 'object' && 'type' in child) {
            visit(child as TSESTree.Node, inCallback);
          }
        }
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
            if (!inCallback && node.argument) returns.push(node.argument);
            break;
          default:
            break;
        }
      };
      visit(fn.body, false);
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
            for (const key of sourceCode.visitorKeys[node.type] ?? []) {
              if (SKIPPED_KEYS.has(key)) continue;
              const child = (node as unknown as Record<string, unknown>)[key];
              if (Array.isArray(child)) {
                for (const item of child as (TSESTree.Node | null)[]) if (item) stack.push(item);
              } else if (child && typeof child === 'object' && 'type' in child) {
                stack.push(child as TSESTree.Node);
              }
            }
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
        return classifyCall(context, call)?.kind !== 'unknownCall' || isShapingCall(call);
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

    function check(action: ServerAction): void {
      if (action.name !== undefined && allowed(action.name)) return;
      const found = analyse(action.fn, []);
      if (!found || found.writes || !found.returnsData) return;
      // Name the read whose data comes back, the catalogue's before the names'.
      const candidates = [...found.reads.filter(read => !read.byName), ...found.reads.filter(read => read.byName)];
      const read = candidates.slice(0, MAX_CANDIDATES).find(candidate => found.returnsFrom(new Set([candidate.site]))) ?? candidates[0];
      if (!read) return;
      context.report({
        loc: actionReportLoc(action, sourceCode),
        messageId: 'queryAction',
        data: { action: subjectOf(action), read: describeRead(read) },
      });
    }

    return {
      'Program:exit'() {
        for (const action of getServerActions(context).actions) check(action);
      },
    };
  },
});
