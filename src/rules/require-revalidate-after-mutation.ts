import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import path from 'node:path';
import { childNodes } from '../utils/ast.js';
import { classifyCall, type Effect } from '../analysis/effects.js';
import { type FileFacts, getFileFacts } from '../analysis/file-kind.js';
import type { RenderingRoute } from '../analysis/app-graph.js';
import { type ActionCallers, callersOfAction, isClientInvoked, routesCalling } from '../analysis/callers.js';
import { directoryExists, listDirectory } from '../analysis/store.js';
import { getNextMajor } from '../analysis/project.js';
import { type Mutation, mutationWeight, trackRevalidationPaths } from '../analysis/revalidation-paths.js';
import { routeHandlers } from '../analysis/route-handlers.js';
import { actionReportLoc, type FunctionNode, getServerActions, isFunctionNode, type ServerAction } from '../analysis/server-actions.js';
import { createRule } from '../utils/create-rule.js';
import { lineBreakOf, usesSemicolons } from '../utils/fixers.js';
import { importQuote, namedImport } from '../utils/imports.js';
import { describeLine } from '../utils/locations.js';

export type Options = [
  {
    checkHttp?: boolean;
    checkRouteHandlers?: boolean;
  },
];

export type MessageIds =
  | 'missingRevalidation'
  | 'missingRevalidationInRouteHandler'
  | 'missingRevalidationLegacyNext'
  | 'deprecatedRevalidateTag'
  | 'addRevalidatePath'
  | 'addRevalidateEverything'
  | 'addRevalidateTag'
  | 'addUpdateTag'
  | 'addRevalidateTagExpire'
  | 'useUpdateTag'
  | 'addMaxProfile'
  | 'addExpireProfile';

interface Target {
  fn: FunctionNode;
  loc: TSESTree.SourceLocation;
  /** How the finding names it: "Server Action `createPost`", "Route Handler `POST`". */
  title: string;
  routeHandler: boolean;
  /** For Server Actions: the action, whose callers decide whether a page waits on it. */
  action?: ServerAction;
}

/** More routes than this call the action: revalidate the whole app instead of listing them. */
const MAX_ROUTE_SUGGESTIONS = 3;

// ---------------------------------------------------------------------------------------------
// Targets

function actionTitle(action: ServerAction): string {
  if (action.name === undefined) return action.origin === 'inline' ? 'This inline Server Action' : 'This Server Action';
  if (action.name === 'default') return 'The default-exported Server Action';
  return `Server Action \`${action.name}\``;
}

// ---------------------------------------------------------------------------------------------
// Suggestions

/**
 * The `revalidatePath` arguments (nextjs-facts §1.5): one set per page or layout whose UI calls
 * the action, when the app graph knows them; otherwise the route of the folder the action is
 * written in when that folder is a page, else the whole app.
 */
function revalidatePathArguments(facts: FileFacts, routeHandler: boolean, quote: string, routes: readonly RenderingRoute[]): string[] {
  const everything = `${quote}/${quote}, ${quote}layout${quote}`;
  if (routeHandler) return [everything];
  const forRoute = (pattern: string, type: 'page' | 'layout') =>
    type === 'layout' ? `${quote}${pattern}${quote}, ${quote}layout${quote}` : pattern.includes('[') ? `${quote}${pattern}${quote}, ${quote}page${quote}` : `${quote}${pattern}${quote}`;
  if (routes.length > 0 && routes.length <= MAX_ROUTE_SUGGESTIONS) return routes.map(route => forRoute(route.pattern, route.type));
  const route = facts.appRoute;
  if (routes.length > 0 || route === undefined || route.split('/').some(segment => segment.startsWith('_')) || !isPageFolder(path.dirname(facts.filename))) return [everything];
  return [forRoute(route, 'page')];
}

/** Whether a folder renders a page; code that is not on disk (an editor buffer, a test) is taken at its word. */
function isPageFolder(dir: string): boolean {
  return !directoryExists(dir) || listDirectory(dir).some(entry => entry.isFile && /^page\.[cm]?[jt]sx?$/.test(entry.name));
}

function isStatementListMember(node: TSESTree.Node): boolean {
  const parent = node.parent;
  return (
    parent?.type === AST_NODE_TYPES.BlockStatement ||
    parent?.type === AST_NODE_TYPES.Program ||
    parent?.type === AST_NODE_TYPES.StaticBlock ||
    (parent?.type === AST_NODE_TYPES.SwitchCase && parent.consequent.includes(node as TSESTree.Statement))
  );
}

function containsReturn(node: TSESTree.Node, visitorKeys: TSESLint.SourceCode['visitorKeys']): boolean {
  const stack: TSESTree.Node[] = [node];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (current.type === AST_NODE_TYPES.ReturnStatement) return true;
    if (isFunctionNode(current) && current !== node) continue;
    stack.push(...childNodes(current, visitorKeys));
  }
  return false;
}

/**
 * The statement after which a revalidation runs on every path leaving the mutation: the
 * outermost statement of the function around it that has no `return` inside.
 */
function insertionStatement(fn: FunctionNode, site: TSESTree.Node, visitorKeys: TSESLint.SourceCode['visitorKeys']): TSESTree.Node | undefined {
  if (fn.body.type !== AST_NODE_TYPES.BlockStatement) return undefined;
  const candidates: TSESTree.Node[] = [];
  for (let node: TSESTree.Node | undefined = site; node && node !== fn.body; node = node.parent) {
    if (isFunctionNode(node)) return undefined;
    if (isStatementListMember(node)) candidates.unshift(node);
  }
  const chosen = candidates.find(candidate => !containsReturn(candidate, visitorKeys));
  if (!chosen || chosen.type === AST_NODE_TYPES.ThrowStatement) return undefined;
  return chosen;
}

function singular(word: string): string {
  const lower = word.toLowerCase();
  if (lower.endsWith('ies')) return `${lower.slice(0, -3)}y`;
  return lower.endsWith('s') && !lower.endsWith('ss') ? lower.slice(0, -1) : lower;
}

/** The one tag of the file that names the mutation's model or table (`posts` for `db.post.create`). */
function matchingTag(tags: ReadonlySet<string>, subject: string | undefined): string | undefined {
  if (!subject) return undefined;
  const wanted = singular(subject.replace(/[^a-zA-Z0-9]/g, ''));
  const matches = [...tags].filter(tag => {
    const first = tag.split(/[^a-zA-Z0-9]+|(?=[A-Z])/).find(Boolean);
    return first !== undefined && singular(first) === wanted;
  });
  return matches.length === 1 ? matches[0] : undefined;
}

// ---------------------------------------------------------------------------------------------

export default createRule<Options, MessageIds>({
  name: 'require-revalidate-after-mutation',
  meta: {
    type: 'problem',
    docs: {
      description: 'Require Server Actions that change data to revalidate, refresh or redirect before they return',
      recommended: 'warn',
      strict: 'error',
    },
    hasSuggestions: true,
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          checkHttp: {
            type: 'boolean',
            description:
              'Also count POST, PUT, PATCH and DELETE requests to other origins (your own backend API) as mutations. Requests to the app\'s own routes always count.',
          },
          checkRouteHandlers: {
            type: 'boolean',
            description: 'Also check the HTTP handlers of Route Handlers (`app/**/route.ts`).',
          },
        },
      },
    ],
    defaultOptions: [{ checkHttp: false, checkRouteHandlers: false }],
    messages: {
      missingRevalidation:
        "{{target}} changes data with `{{mutation}}` ({{where}}{{via}}) but {{paths}} without telling Next.js, so the page keeps showing stale data. After the mutation, call `revalidatePath` (or `updateTag`/`refresh`) from `next/cache`, or `redirect()` to the page that shows the change.",
      missingRevalidationInRouteHandler:
        "{{target}} changes data with `{{mutation}}` ({{where}}{{via}}) but {{paths}} without revalidating, so cached pages that show this data stay stale. After the mutation, call `revalidatePath` or `revalidateTag(tag, { expire: 0 })` from `next/cache` (`updateTag` and `refresh` only work in Server Actions).",
      deprecatedRevalidateTag:
        "`revalidateTag({{tag}})` without a cache profile is deprecated in Next.js 16 and expires the tag at once. Pass a profile: `'max'` serves stale data while it refreshes, `{ expire: 0 }` expires it now; in a Server Action that must show its own write, call `updateTag({{tag}})` instead.",
      missingRevalidationLegacyNext:
        "{{target}} changes data with `{{mutation}}` ({{where}}{{via}}) but {{paths}} without telling Next.js, so the page keeps showing stale data. After the mutation, call `revalidatePath` or `revalidateTag` from `next/cache`, or `redirect()` to the page that shows the change.",
      addRevalidatePath: 'Call `revalidatePath({{arguments}})` after `{{mutation}}`.',
      addRevalidateEverything:
        'Call `revalidatePath({{arguments}})` after `{{mutation}}`: this purges every page of the app; pass the route that shows the change instead when you know it.',
      addRevalidateTag: 'Call `revalidateTag({{tag}})` after `{{mutation}}`.',
      addUpdateTag: 'Call `updateTag({{tag}})` after `{{mutation}}`.',
      addRevalidateTagExpire: 'Call `revalidateTag({{tag}}, { expire: 0 })` after `{{mutation}}`.',
      useUpdateTag: 'Call `updateTag({{tag}})` instead, so the action\'s response shows the new data.',
      addMaxProfile: "Pass the `'max'` profile: `revalidateTag({{tag}}, 'max')`.",
      addExpireProfile: 'Expire the tag now: `revalidateTag({{tag}}, { expire: 0 })`.',
    },
  },
  create(context, [options]) {
    const { sourceCode } = context;
    const facts = getFileFacts(context);
    const checkHttp = options.checkHttp === true;
    const checksActions = facts.isServerActionsFile || facts.mayHaveInlineActions;
    const checksRoutes = options.checkRouteHandlers === true && facts.kind === 'route-handler';
    const mentionsRevalidateTag = sourceCode.text.includes('revalidateTag');
    if (!checksActions && !checksRoutes && !mentionsRevalidateTag) return {};
    /** Whether the app runs Next.js 16 or later (`updateTag`, `refresh`, profiles); assumed when the project does not say. */
    let modernCache: boolean | undefined;
    const modern = () => (modernCache ??= (getNextMajor(facts.layout.rootDir) ?? 16) >= 16);

    const actionFns = new Set(checksActions ? getServerActions(context).actions.map(action => action.fn) : []);

    function enclosingAction(node: TSESTree.Node): boolean {
      if (facts.isServerActionsFile) return true;
      for (let current: TSESTree.Node | undefined = node; current; current = current.parent) {
        if (isFunctionNode(current) && actionFns.has(current)) return true;
      }
      return false;
    }

    function checkDeprecatedTag(node: TSESTree.CallExpression, found: Effect): void {
      if (found.method !== 'revalidateTag' || found.basis !== 'catalogue' || found.via.length > 0) return;
      if (node.arguments.length !== 1 || node.arguments[0]!.type === AST_NODE_TYPES.SpreadElement) return;
      // Before Next.js 16 the one-argument form is the only one there is.
      if (!modern()) return;
      const argument = node.arguments[0]!;
      const tag = sourceCode.getText(argument);
      const quote = importQuote(sourceCode);
      const after = sourceCode.getTokenAfter(argument);
      const addProfile = (profile: string) => (fixer: TSESLint.RuleFixer) =>
        after?.value === ',' ? fixer.insertTextAfter(after, ` ${profile}`) : fixer.insertTextAfter(argument, `, ${profile}`);
      const suggest: TSESLint.ReportSuggestionArray<MessageIds> = [];
      if (enclosingAction(node) && facts.kind !== 'route-handler') {
        const update = namedImport(sourceCode, 'next/cache', 'updateTag', node);
        if (update) {
          suggest.push({
            messageId: 'useUpdateTag',
            data: { tag },
            fix: fixer => [fixer.replaceText(node.callee, update.reference), ...(update.fix ? [update.fix(fixer)] : [])],
          });
        }
        suggest.push({ messageId: 'addMaxProfile', data: { tag }, fix: addProfile(`${quote}max${quote}`) });
      } else {
        suggest.push({ messageId: 'addMaxProfile', data: { tag }, fix: addProfile(`${quote}max${quote}`) });
        suggest.push({ messageId: 'addExpireProfile', data: { tag }, fix: addProfile('{ expire: 0 }') });
      }
      context.report({ node, messageId: 'deprecatedRevalidateTag', data: { tag }, suggest });
    }

    if (!checksActions && !checksRoutes) {
      return {
        CallExpression(node) {
          const found = classifyCall(context, node);
          if (found && found.kind !== 'helper') checkDeprecatedTag(node, found);
        },
      };
    }

    // Only a file that names `revalidateTag` can call it: elsewhere no call needs classifying as it is passed.
    const paths = trackRevalidationPaths(context, { checkHttp, onEffect: mentionsRevalidateTag ? checkDeprecatedTag : undefined });

    function targets(): Target[] {
      const found: Target[] = [];
      if (checksActions) {
        for (const action of getServerActions(context).actions) {
          found.push({ fn: action.fn, loc: actionReportLoc(action, sourceCode), title: actionTitle(action), routeHandler: false, action });
        }
      }
      if (checksRoutes) {
        for (const handler of routeHandlers(sourceCode.ast)) {
          found.push({ fn: handler.fn, loc: handler.nameNode.loc, title: `Route Handler \`${handler.method}\``, routeHandler: true });
        }
      }
      return found;
    }

    /**
     * Where revalidation goes so that every stale path runs it: after the last write of each such
     * path. None when one of them has no such place, or it is in a `catch` block (a failure path).
     */
    function insertionPoints(fn: FunctionNode, mutations: readonly Mutation[]): TSESTree.Node[] | undefined {
      const points = new Set<TSESTree.Node>();
      for (const mutation of mutations) {
        const statement = insertionStatement(fn, mutation.site, sourceCode.visitorKeys);
        if (!statement) return undefined;
        for (let node: TSESTree.Node | undefined = statement; node && node !== fn; node = node.parent) {
          if (node.type === AST_NODE_TYPES.CatchClause) return undefined;
        }
        points.add(statement);
      }
      // One statement inside another already runs it on that path.
      const list = [...points];
      return list.filter(statement => !list.some(other => other !== statement && other.range[0] <= statement.range[0] && statement.range[1] <= other.range[1]));
    }

    /** Suggestions that revalidate after `mutation`, the last write of the paths, on the data `named` changes. */
    function suggestions(
      target: Target,
      mutation: Mutation,
      named: Mutation,
      stale: readonly Mutation[],
      routes: readonly RenderingRoute[],
    ): TSESLint.ReportSuggestionArray<MessageIds> {
      const statements = insertionPoints(target.fn, stale);
      if (!statements || statements.length === 0) return [];
      const quote = importQuote(sourceCode);
      const insertCall = (name: string, call: (reference: string) => string) => {
        const imported = namedImport(sourceCode, 'next/cache', name, statements[0]!);
        if (!imported) return undefined;
        return (fixer: TSESLint.RuleFixer) => [
          ...statements.map(statement => {
            const last = sourceCode.getLastToken(statement);
            // A comment at the end of the statement's line stays with it.
            const comment = sourceCode.getCommentsAfter(statement)[0];
            const anchor = comment && comment.loc.start.line === statement.loc.end.line ? comment : statement;
            const indent = /^\s*/.exec(sourceCode.lines[statement.loc.start.line - 1] ?? '')![0];
            const semicolon = last?.value === ';' || (last?.value === '}' && usesSemicolons(sourceCode, [])) ? ';' : '';
            return fixer.insertTextAfter(anchor, `${lineBreakOf(sourceCode)}${indent}${call(imported.reference)}${semicolon}`);
          }),
          ...(imported.fix ? [imported.fix(fixer)] : []),
        ];
      };
      const suggest: TSESLint.ReportSuggestionArray<MessageIds> = [];
      for (const args of revalidatePathArguments(facts, target.routeHandler, quote, routes)) {
        const pathFix = insertCall('revalidatePath', reference => `${reference}(${args})`);
        const everything = args === `${quote}/${quote}, ${quote}layout${quote}`;
        if (pathFix) suggest.push({ messageId: everything ? 'addRevalidateEverything' : 'addRevalidatePath', data: { arguments: args, mutation: mutation.label }, fix: pathFix });
      }
      const tag = matchingTag(paths.tags, named.subject ?? mutation.subject);
      if (tag !== undefined) {
        const tagText = `${quote}${tag}${quote}`;
        if (!modern()) {
          const fix = insertCall('revalidateTag', reference => `${reference}(${tagText})`);
          if (fix) suggest.push({ messageId: 'addRevalidateTag', data: { tag: tagText, mutation: mutation.label }, fix });
        } else if (target.routeHandler) {
          const fix = insertCall('revalidateTag', reference => `${reference}(${tagText}, { expire: 0 })`);
          if (fix) suggest.push({ messageId: 'addRevalidateTagExpire', data: { tag: tagText, mutation: mutation.label }, fix });
        } else {
          const fix = insertCall('updateTag', reference => `${reference}(${tagText})`);
          if (fix) suggest.push({ messageId: 'addUpdateTag', data: { tag: tagText, mutation: mutation.label }, fix });
        }
      }
      return suggest;
    }

    /**
     * Whether the action's callers settle the question: no page waits on an action that only
     * server code calls; one called while a Server Component renders cannot revalidate (Next.js
     * throws); and callers that all refresh, invalidate their client cache or leave the page
     * already bring the UI up to date. Unknown callers decide nothing.
     */
    function callersExcuse(callers: ActionCallers | undefined): boolean {
      if (!callers?.known) return false;
      const fromClient = callers.callers.filter(isClientInvoked);
      if (fromClient.length === 0) return true;
      if (callers.callers.some(caller => caller.kind === 'render')) return true;
      return fromClient.every(caller => caller.settle !== undefined);
    }

    function check(target: Target): void {
      if (!paths.mayMutate(target.fn)) return;
      const outcomes = paths.summarize(target.fn);
      const stale = outcomes.flatMap(state => (state.kind === 'dirty' ? [state] : []));
      if (stale.length === 0) return;
      const callers = target.action && callersOfAction(facts, target.action, 'settle');
      if (callersExcuse(callers)) return;
      const later = (a: Mutation, b: Mutation) => b.site.range[0] > a.site.range[0] || (b.site === a.site && b.origin.range[0] > a.origin.range[0]);
      const last = stale.map(state => state.mutation).reduce((a, b) => (later(a, b) ? b : a));
      const named = stale
        .map(state => state.named)
        .reduce((a, b) => (mutationWeight(b) > mutationWeight(a) || (mutationWeight(b) === mutationWeight(a) && later(a, b)) ? b : a));
      const somePath = outcomes.some(state => state.kind === 'clean');
      const helper = named.via[named.via.length - 1];
      context.report({
        loc: target.loc,
        messageId: target.routeHandler ? 'missingRevalidationInRouteHandler' : modern() ? 'missingRevalidation' : 'missingRevalidationLegacyNext',
        data: {
          target: target.title,
          mutation: named.label,
          where: describeLine(context, named.origin, named.file),
          via: helper === undefined ? '' : `, in \`${helper}\``,
          paths: somePath ? 'one of its paths returns' : 'returns',
        },
        suggest: suggestions(target, last, named, stale.map(state => state.mutation), callers ? routesCalling(facts, callers) : []),
      });
    }
    return {
      ...paths.listeners,
      'Program:exit'() {
        for (const target of targets()) check(target);
      },
    };
  },
});
