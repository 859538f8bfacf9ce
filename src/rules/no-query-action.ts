import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import * as ASTUtils from '@typescript-eslint/utils/ast-utils';
import { memberName, skipTypeWrappers, TYPE_KEYS, walkNodes } from '../utils/ast.js';
import { callerLocation, callersOfAction, isClientCode, isClientInvoked } from '../analysis/callers.js';
import { getFileFacts } from '../analysis/file-kind.js';
import { resolveImportedFunction } from '../analysis/foreign-module.js';
import { importsServerAction } from '../analysis/modules.js';
import { judgeQuery, type QueryRead } from '../analysis/query.js';
import { actionReportLoc, type FunctionNode, getServerActions, isFunctionNode, type ServerAction } from '../analysis/server-actions.js';
import { mayImportServerAction, namesAny } from '../analysis/text-gates.js';
import { createNameMatcher } from '../settings.js';
import { createRule } from '../utils/create-rule.js';
import { describeLine, projectPath } from '../utils/locations.js';
import { importedName } from '../utils/imports.js';

export type Options = [
  {
    allow?: string[];
  },
];

export type MessageIds = 'queryAction' | 'queryActionFromClient' | 'queryActionServerOnly' | 'queryCall';

type Context = Readonly<TSESLint.RuleContext<MessageIds, Options>>;

/** Hooks whose callback runs when the component mounts or its dependencies change. */
const EFFECT_HOOKS = new Set(['useEffect', 'useLayoutEffect']);
/** TanStack Query hooks and option builders whose `queryFn` loads the data. */
const QUERY_HOOKS = new Set(['useQuery', 'useSuspenseQuery', 'useInfiniteQuery', 'useSuspenseInfiniteQuery', 'queryOptions', 'infiniteQueryOptions']);
/** SWR hooks whose second argument (or `fetcher` option) loads the data. */
const SWR_HOOKS = new Set(['useSWR', 'useSWRImmutable', 'useSWRInfinite']);
/** Whether a text names a hook loaderOf answers for: without one, a file has no loader. */
const namesLoaderHook = namesAny([...EFFECT_HOOKS, ...QUERY_HOOKS, ...SWR_HOOKS]);
/** How many same-file functions deep a loader is followed to the action it calls (`useEffect(() => { load(); })`). */
const MAX_LOADER_DEPTH = 2;

function subjectOf(action: ServerAction): string {
  if (action.name === undefined) return action.origin === 'inline' ? 'This inline Server Action' : 'This Server Action';
  if (action.name === 'default') return 'The default-exported Server Action';
  return `\`${action.name}\``;
}

/**
 * `db.user.findMany`, with the helper it is in (`, in \`findUsers\``) and, when it is in another
 * file than the linted one, where (` at lib/services/user.ts:5`).
 */
function describeRead(context: Context, read: QueryRead): string {
  const helper = read.via[read.via.length - 1];
  const elsewhere = read.file !== getFileFacts(context).filename;
  return `\`${read.label}\`${helper === undefined ? '' : `, in \`${helper}\``}${elsewhere ? ` at ${describeLine(context, read.origin, read.file)}` : ''}`;
}

function calleeName(callee: TSESTree.Node): string | undefined {
  const target = skipTypeWrappers(callee);
  if (target.type === AST_NODE_TYPES.Identifier) return target.name;
  return target.type === AST_NODE_TYPES.MemberExpression ? memberName(target) : undefined;
}

function property(object: TSESTree.Node | undefined, key: string): TSESTree.Node | undefined {
  if (object?.type !== AST_NODE_TYPES.ObjectExpression) return undefined;
  for (const item of object.properties) {
    if (item.type !== AST_NODE_TYPES.Property || item.computed) continue;
    const name = item.key.type === AST_NODE_TYPES.Identifier ? item.key.name : item.key.type === AST_NODE_TYPES.Literal ? item.key.value : undefined;
    if (name === key) return item.value;
  }
  return undefined;
}

/** Whether a call's value is used: awaited into something, chained, assigned, returned or passed on, not dropped. */
function isValueUsed(call: TSESTree.Node): boolean {
  let current = call;
  while (
    current.parent &&
    (current.parent.type === AST_NODE_TYPES.AwaitExpression ||
      current.parent.type === AST_NODE_TYPES.ChainExpression ||
      current.parent.type === AST_NODE_TYPES.TSAsExpression ||
      current.parent.type === AST_NODE_TYPES.TSNonNullExpression ||
      current.parent.type === AST_NODE_TYPES.TSSatisfiesExpression)
  ) {
    current = current.parent;
  }
  const parent = current.parent;
  if (!parent || parent.type === AST_NODE_TYPES.ExpressionStatement) return false;
  return !(parent.type === AST_NODE_TYPES.UnaryExpression && parent.operator === 'void');
}

/** A Server Action a client file imports: the module and the exported name. */
interface ImportedAction {
  source: string;
  imported: string;
}

/** What loads data when a client component renders: an effect, a TanStack `queryFn`, an SWR fetcher. */
interface Loader {
  /** The callback, or an expression naming the function that loads. */
  node: TSESTree.Node;
  /** How the message names it: "this `useEffect`". */
  label: string;
}

function loaderOf(call: TSESTree.CallExpression): Loader | undefined {
  const hook = calleeName(call.callee);
  if (hook === undefined) return undefined;
  const [first, second] = call.arguments;
  if (EFFECT_HOOKS.has(hook)) return first && { node: first, label: `this \`${hook}\`` };
  if (QUERY_HOOKS.has(hook)) {
    const queryFn = property(first, 'queryFn');
    return queryFn && { node: queryFn, label: `this \`${hook}\` \`queryFn\`` };
  }
  if (SWR_HOOKS.has(hook)) {
    const fetcher = second?.type === AST_NODE_TYPES.ObjectExpression ? property(second, 'fetcher') : second;
    return fetcher && { node: fetcher, label: `this \`${hook}\` fetcher` };
  }
  return undefined;
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
      queryActionFromClient:
        '{{action}} only reads data ({{read}}), and client code calls it ({{caller}}). Server Actions are POST requests dispatched one at a time: read it in a Server Component and pass it down, or expose a GET Route Handler for other consumers.',
      queryActionServerOnly:
        '{{action}} only reads data ({{read}}), and only server code calls it ({{callers}}). From the server it is a plain function call: `"use server"` only adds a public endpoint that anyone can POST to. Move it to a module that starts with `import \'server-only\'` and call it directly.',
      queryCall:
        '`{{action}}` ({{file}}) is a Server Action that only reads data ({{read}}), and {{loader}} calls it to load data. Server Actions are POST requests, never cached and dispatched one at a time, so this load waits behind every other action on the page: pass the data down from a Server Component, or serve it from a GET Route Handler and read it with SWR or TanStack Query when the client needs its own cache.',
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
    const { sourceCode } = context;
    const checksActions = facts.isServerActionsFile || facts.mayHaveInlineActions;
    // Client code is also a module without a directive that a "use client" module imports (the app
    // graph, asked last, says). A loader is only reported where the text names a loader hook and
    // an import may bind an action: loaders are followed to imported actions only.
    const mayBeClient = facts.isClient || (facts.kind === 'other' && !facts.isServerActionsFile);
    const checksLoaders = mayBeClient && namesLoaderHook(sourceCode.text) && mayImportServerAction(context) && isClientCode(facts);
    if (!checksActions && !checksLoaders) return {};
    const allowed = createNameMatcher(options.allow ?? []);

    function checkAction(action: ServerAction): void {
      if (action.name !== undefined && allowed(action.name)) return;
      const read = judgeQuery(context, action.fn);
      if (!read) return;
      const subject = subjectOf(action);
      const readText = describeRead(context, read);
      const callers = callersOfAction(facts, action);
      const appCallers = callers?.known ? callers.callers.filter(caller => caller.kind !== 'outside') : [];
      const fromClient = appCallers.find(isClientInvoked);
      if (fromClient) {
        const where = callerLocation(facts, fromClient);
        const caller = fromClient.component === undefined ? where : `\`${fromClient.component}\` at ${where}`;
        context.report({ loc: actionReportLoc(action, sourceCode), messageId: 'queryActionFromClient', data: { action: subject, read: readText, caller } });
      } else if (appCallers.length > 0) {
        const callersList = appCallers.slice(0, 3).map(caller => callerLocation(facts, caller)).join(', ') + (appCallers.length > 3 ? ', …' : '');
        context.report({ loc: actionReportLoc(action, sourceCode), messageId: 'queryActionServerOnly', data: { action: subject, read: readText, callers: callersList } });
      } else {
        context.report({ loc: actionReportLoc(action, sourceCode), messageId: 'queryAction', data: { action: subject, read: readText } });
      }
    }

    // --- Client Components: imported actions that load data ----------------------------------

    const reported = new Set<TSESTree.Node>();

    /** The import an action reference names: `getUsers`, `actions.getUsers` (namespace import). */
    function importedAction(reference: TSESTree.Node): ImportedAction | undefined {
      const target = skipTypeWrappers(reference);
      let identifier: TSESTree.Identifier;
      let member: string | undefined;
      if (target.type === AST_NODE_TYPES.Identifier) identifier = target;
      else if (target.type === AST_NODE_TYPES.MemberExpression && target.object.type === AST_NODE_TYPES.Identifier) {
        identifier = target.object;
        member = memberName(target);
        if (member === undefined) return undefined;
      } else return undefined;
      const variable = ASTUtils.findVariable(sourceCode.getScope(identifier), identifier);
      const definition = variable?.defs.length === 1 ? variable.defs[0]! : undefined;
      if (definition?.type !== 'ImportBinding') return undefined;
      const declaration = definition.parent;
      const specifier = definition.node;
      if (declaration.type !== AST_NODE_TYPES.ImportDeclaration || declaration.importKind === 'type') return undefined;
      let imported: string;
      if (specifier.type === AST_NODE_TYPES.ImportNamespaceSpecifier) {
        if (member === undefined) return undefined;
        imported = member;
      } else if (member !== undefined) {
        return undefined;
      } else if (specifier.type === AST_NODE_TYPES.ImportDefaultSpecifier) {
        imported = 'default';
      } else if (specifier.type === AST_NODE_TYPES.ImportSpecifier && specifier.importKind !== 'type') {
        imported = importedName(specifier);
      } else {
        return undefined;
      }
      return importsServerAction(facts.filename, declaration.source.value, imported) ? { source: declaration.source.value, imported } : undefined;
    }

    /** Reports `reference` (a call's callee, or an action handed to a hook) when the action it names only reads. */
    function checkReference(reference: TSESTree.Node, loader: Loader): void {
      if (reported.has(reference)) return;
      const action = importedAction(reference);
      if (!action || allowed(action.imported)) return;
      const target = resolveImportedFunction(context, action.source, action.imported);
      const read = target && judgeQuery(target.context, target.fn);
      if (!read) return;
      reported.add(reference);
      context.report({
        node: reference,
        messageId: 'queryCall',
        data: {
          action: sourceCode.getText(skipTypeWrappers(reference)),
          file: projectPath(context, target.file),
          read: describeRead(context, read),
          loader: loader.label,
        },
      });
    }

    /** The same-file function a name stands for: a declaration, `const load = async () => …`, or `useCallback(fn, deps)`. */
    function localFunction(node: TSESTree.Node): FunctionNode | undefined {
      const target = skipTypeWrappers(node);
      if (isFunctionNode(target)) return target;
      if (target.type !== AST_NODE_TYPES.Identifier) return undefined;
      const variable = ASTUtils.findVariable(sourceCode.getScope(target), target);
      const definition = variable?.defs.length === 1 ? variable.defs[0]! : undefined;
      if (definition?.type === 'FunctionName' && isFunctionNode(definition.node as TSESTree.Node)) return definition.node as FunctionNode;
      if (definition?.type !== 'Variable' || !definition.node.init || definition.node.id.type !== AST_NODE_TYPES.Identifier) return undefined;
      const init = skipTypeWrappers(definition.node.init);
      if (isFunctionNode(init)) return init;
      if (init.type === AST_NODE_TYPES.CallExpression && calleeName(init.callee) === 'useCallback' && init.arguments[0]) {
        const wrapped = skipTypeWrappers(init.arguments[0]);
        return isFunctionNode(wrapped) ? wrapped : undefined;
      }
      return undefined;
    }

    /** Every action call a loader makes, also inside the same-file functions it calls. */
    function scanLoader(loader: Loader): void {
      const fn = localFunction(loader.node);
      if (!fn) {
        // `queryFn: getUsers`, `useSWR(key, getUser)`: the library calls the action.
        checkReference(loader.node, loader);
        return;
      }
      const seen = new Set<FunctionNode>();
      const scan = (current: FunctionNode, depth: number) => {
        if (seen.has(current)) return;
        seen.add(current);
        walkNodes(
          current.body,
          sourceCode.visitorKeys,
          node => {
            if (node.type !== AST_NODE_TYPES.CallExpression) return;
            if (isValueUsed(node)) checkReference(node.callee, loader);
            const helper = depth < MAX_LOADER_DEPTH ? localFunction(node.callee) : undefined;
            if (helper) scan(helper, depth + 1);
          },
          TYPE_KEYS,
        );
      };
      scan(fn, 0);
    }

    return {
      ...(checksLoaders
        ? {
            CallExpression(node: TSESTree.CallExpression) {
              const loader = loaderOf(node);
              if (loader) scanLoader(loader);
            },
          }
        : {}),
      'Program:exit'() {
        if (checksActions) for (const action of getServerActions(context).actions) checkAction(action);
      },
    };
  },
});
