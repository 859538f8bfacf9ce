import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import * as ASTUtils from '@typescript-eslint/utils/ast-utils';
import path from 'node:path';
import { chainCalls, isInnerChainLink } from '../analysis/data-layer.js';
import { childNodes, memberName, skipAwait, skipTypeWrappers } from '../utils/ast.js';
import { classifyCall, type Effect, getFunctionEffects, importedCallee, isMutatingHttp, isSessionFunctionCall } from '../analysis/effects.js';
import { type FileFacts, getFileFacts } from '../analysis/file-kind.js';
import type { RenderingRoute } from '../analysis/app-graph.js';
import { type ActionCallers, callersOfAction, isClientInvoked, routesCalling } from '../analysis/callers.js';
import { directoryExists, listDirectory } from '../analysis/store.js';
import { getNextMajor } from '../analysis/project.js';
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

type CodePath = TSESLint.CodePath;
type Segment = TSESLint.CodePathSegment;

/** A write, as the function being judged sees it. */
interface Mutation {
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
  | { type: 'call'; fn: FunctionNode; node: TSESTree.Node; name: string | undefined };

/**
 * Where a path stands: nothing happened yet (`pass`), the last thing was a revalidation
 * (`clean`), a mutation failed (`failed`), or mutations have not been revalidated (`dirty`):
 * `mutation` is the last of them (a revalidation belongs after it), `named` the one the message
 * names (see preferred).
 */
type State = { kind: 'pass' } | { kind: 'clean' } | { kind: 'failed' } | { kind: 'dirty'; mutation: Mutation; named: Mutation };

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

interface Target {
  fn: FunctionNode;
  loc: TSESTree.SourceLocation;
  /** How the finding names it: "Server Action `createPost`", "Route Handler `POST`". */
  title: string;
  routeHandler: boolean;
  /** For Server Actions: the action, whose callers decide whether a page waits on it. */
  action?: ServerAction;
}

const PASS: State = { kind: 'pass' };
const CLEAN: State = { kind: 'clean' };
const FAILED: State = { kind: 'failed' };
const MAX_SUMMARY_DEPTH = 4;
/** More routes than this call the action: revalidate the whole app instead of listing them. */
const MAX_ROUTE_SUGGESTIONS = 3;
const HTTP_HANDLERS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

// ---------------------------------------------------------------------------------------------
// Error results: paths that report a failure need no revalidation

const ERROR_KEY = /^(?:errors?|[a-z]\w*Errors?|issues)$/;
const ERROR_NAME = /^(?:e|err|error|errors|[a-z]\w*Errors?)$/;
const SUCCESS_NAME = /^(?:ok|success|succeeded|isSuccess|valid|isValid)$/;
const FAILURE_STATUS = /^(?:error|errors|failed|failure|fail|invalid)$/i;
const FAILURE_TEXT = /\b(?:fail(?:ed|ure|s)?|error|could\s?n[o']t|cannot|can't|unable|invalid|denied|not\s+found|unauthori[sz]ed|forbidden|went\s+wrong)\b/i;

function keyName(property: TSESTree.Property): string | undefined {
  if (!property.computed && property.key.type === AST_NODE_TYPES.Identifier) return property.key.name;
  return property.key.type === AST_NODE_TYPES.Literal && typeof property.key.value === 'string' ? property.key.value : undefined;
}

function literalText(node: TSESTree.Node): string | undefined {
  const target = skipTypeWrappers(node);
  if (target.type === AST_NODE_TYPES.Literal && typeof target.value === 'string') return target.value;
  if (target.type === AST_NODE_TYPES.TemplateLiteral) return target.quasis.map(quasi => quasi.value.cooked ?? '').join(' ');
  return undefined;
}

function isNothing(node: TSESTree.Node): boolean {
  const target = skipTypeWrappers(node);
  if (target.type === AST_NODE_TYPES.Literal) return target.value === null || target.value === false || target.value === '';
  if (target.type === AST_NODE_TYPES.Identifier) return target.name === 'undefined';
  if (target.type === AST_NODE_TYPES.ArrayExpression) return target.elements.length === 0;
  return target.type === AST_NODE_TYPES.ObjectExpression && target.properties.length === 0;
}

function isFailureStatus(node: TSESTree.Node): boolean {
  const target = skipTypeWrappers(node);
  return target.type === AST_NODE_TYPES.Literal && typeof target.value === 'number' && target.value >= 400;
}

/** `{ error }`, `{ success: false }`, `{ errors: … }`, `{ message: 'Failed to …' }`, a 4xx/5xx `Response`. */
function isErrorResult(node: TSESTree.Node): boolean {
  const target = skipAwait(node);
  switch (target.type) {
    case AST_NODE_TYPES.ObjectExpression:
      return target.properties.some(property => {
        if (property.type !== AST_NODE_TYPES.Property) return false;
        const key = keyName(property);
        if (key === undefined) return false;
        const value = property.value;
        if (ERROR_KEY.test(key)) return !isNothing(value);
        if (SUCCESS_NAME.test(key)) return value.type === AST_NODE_TYPES.Literal && value.value === false;
        if (key === 'status' || key === 'state' || key === 'type' || key === 'result') {
          if (isFailureStatus(value)) return true;
          const text = literalText(value);
          if (text !== undefined && FAILURE_STATUS.test(text)) return true;
        }
        if (key === 'message' || key === 'msg' || key === 'status' || key === 'title') {
          const text = literalText(value);
          return text !== undefined && FAILURE_TEXT.test(text);
        }
        return false;
      });
    case AST_NODE_TYPES.ConditionalExpression:
      return isErrorResult(target.consequent) || isErrorResult(target.alternate);
    case AST_NODE_TYPES.Identifier:
      return ERROR_NAME.test(target.name);
    case AST_NODE_TYPES.MemberExpression:
      return ERROR_NAME.test(memberName(target) ?? '') || isErrorResult(target.object);
    case AST_NODE_TYPES.CallExpression:
    case AST_NODE_TYPES.NewExpression: {
      // `return new Error('…')`: an error handed back as a value.
      if (target.type === AST_NODE_TYPES.NewExpression && target.callee.type === AST_NODE_TYPES.Identifier && /Error$/.test(target.callee.name)) return true;
      // `NextResponse.json({ error }, { status: 500 })`, `new Response('Not found', { status: 404 })`
      const name = target.callee.type === AST_NODE_TYPES.MemberExpression ? memberName(target.callee) : undefined;
      const owner = target.callee.type === AST_NODE_TYPES.MemberExpression ? target.callee.object : target.callee;
      if (owner.type !== AST_NODE_TYPES.Identifier || !/^(?:Next)?Response$/.test(owner.name)) return false;
      if (name === 'error') return true;
      const [body, init] = target.arguments;
      const status =
        init?.type === AST_NODE_TYPES.ObjectExpression
          ? init.properties.find((property): property is TSESTree.Property => property.type === AST_NODE_TYPES.Property && keyName(property) === 'status')
          : undefined;
      return (status !== undefined && isFailureStatus(status.value)) || (body !== undefined && body.type !== AST_NODE_TYPES.SpreadElement && isErrorResult(body));
    }
    default:
      return false;
  }
}

/**
 * A test that is true when something failed: `error`, `!parsed.success`, `!res.ok`,
 * `error !== null`, or `!post` / `post === null` where `post` holds what a mutation returned.
 */
function isFailureTest(node: TSESTree.Node, holdsWriteResult: (node: TSESTree.Node) => boolean): boolean {
  const target = skipTypeWrappers(node);
  switch (target.type) {
    case AST_NODE_TYPES.Identifier:
      return ERROR_NAME.test(target.name);
    case AST_NODE_TYPES.MemberExpression:
      return ERROR_NAME.test(memberName(target) ?? '');
    case AST_NODE_TYPES.UnaryExpression:
      return target.operator === '!' && (isSuccessTest(target.argument) || holdsWriteResult(target.argument));
    case AST_NODE_TYPES.LogicalExpression:
      return isFailureTest(target.left, holdsWriteResult) || isFailureTest(target.right, holdsWriteResult);
    case AST_NODE_TYPES.CallExpression: {
      const callee = skipTypeWrappers(target.callee);
      const name = callee.type === AST_NODE_TYPES.Identifier ? callee.name : callee.type === AST_NODE_TYPES.MemberExpression ? memberName(callee) : undefined;
      return name !== undefined && /error|fail/i.test(name);
    }
    case AST_NODE_TYPES.BinaryExpression: {
      const { left, right, operator } = target;
      if (operator === 'in') return literalText(left) === 'error' || literalText(left) === 'errors';
      const sides: [TSESTree.Node, TSESTree.Node][] = [[left, right], [right, left]];
      return sides.some(([subject, other]) => {
        if ((operator === '!==' || operator === '!=') && isNothing(other)) return isFailureTest(subject, holdsWriteResult);
        if ((operator === '===' || operator === '==') && isNothing(other) && holdsWriteResult(subject)) return true;
        if ((operator === '===' || operator === '==') && other.type === AST_NODE_TYPES.Literal && other.value === false) return isSuccessTest(subject);
        if (operator === '===' || operator === '==') {
          const text = literalText(other);
          return text !== undefined && FAILURE_STATUS.test(text);
        }
        if (operator === '>=' || operator === '>') return isFailureStatus(other) && subject === left;
        return false;
      });
    }
    default:
      return false;
  }
}

function isSuccessTest(node: TSESTree.Node): boolean {
  const target = skipTypeWrappers(node);
  if (target.type === AST_NODE_TYPES.Identifier) return SUCCESS_NAME.test(target.name);
  if (target.type === AST_NODE_TYPES.MemberExpression) return SUCCESS_NAME.test(memberName(target) ?? '');
  return false;
}

/** A `return` that reports a failure: an error result, or any return guarded by a failure test. */
function isErrorReturn(node: TSESTree.ReturnStatement, holdsWriteResult: (node: TSESTree.Node) => boolean): boolean {
  if (node.argument && isErrorResult(node.argument)) return true;
  let child: TSESTree.Node = node;
  for (let parent: TSESTree.Node | undefined = node.parent; parent && !isFunctionNode(parent); child = parent, parent = parent.parent) {
    if (parent.type !== AST_NODE_TYPES.IfStatement) continue;
    if (parent.consequent === child && isFailureTest(parent.test, holdsWriteResult)) return true;
    if (parent.alternate === child && isSuccessTest(parent.test)) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Paths

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
function weight(mutation: Mutation): number {
  if (mutation.deferred) return 0;
  return mutation.via.length === 0 ? 2 : 1;
}

/** Of two unrevalidated writes, `earlier` first on its path, the one to name: the weightier, else the later. */
function preferred(earlier: Mutation, later: Mutation): Mutation {
  return weight(earlier) > weight(later) ? earlier : later;
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

// ---------------------------------------------------------------------------------------------
// Targets

function actionTitle(action: ServerAction): string {
  if (action.name === undefined) return action.origin === 'inline' ? 'This inline Server Action' : 'This Server Action';
  if (action.name === 'default') return 'The default-exported Server Action';
  return `Server Action \`${action.name}\``;
}

/** The function a route export names: written in place, a local function, or the one a wrapper receives. */
function handlerFunction(program: TSESTree.Program, node: TSESTree.Node | null | undefined, depth = 0): FunctionNode | undefined {
  if (!node || depth > 3) return undefined;
  const target = skipTypeWrappers(node);
  if (isFunctionNode(target)) return target;
  if (target.type === AST_NODE_TYPES.CallExpression) {
    for (const argument of [...target.arguments].reverse()) {
      const found = handlerFunction(program, argument, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  if (target.type !== AST_NODE_TYPES.Identifier) return undefined;
  for (const statement of program.body) {
    const declaration = statement.type === AST_NODE_TYPES.ExportNamedDeclaration ? statement.declaration : statement;
    if (declaration?.type === AST_NODE_TYPES.FunctionDeclaration && declaration.id?.name === target.name) return declaration;
    if (declaration?.type === AST_NODE_TYPES.VariableDeclaration) {
      const declarator = declaration.declarations.find(item => item.id.type === AST_NODE_TYPES.Identifier && item.id.name === target.name);
      if (declarator) return handlerFunction(program, declarator.init, depth + 1);
    }
  }
  return undefined;
}

function routeHandlers(program: TSESTree.Program): Target[] {
  const targets: Target[] = [];
  // Only the few HTTP method names are followed: every export doing so would rescan the file each time.
  const add = (name: string, nameNode: TSESTree.Node, handler: () => FunctionNode | undefined) => {
    const fn = HTTP_HANDLERS.has(name) ? handler() : undefined;
    if (fn) targets.push({ fn, loc: nameNode.loc, title: `Route Handler \`${name}\``, routeHandler: true });
  };
  for (const statement of program.body) {
    if (statement.type !== AST_NODE_TYPES.ExportNamedDeclaration || statement.exportKind === 'type' || statement.source) continue;
    const { declaration } = statement;
    if (declaration?.type === AST_NODE_TYPES.FunctionDeclaration && declaration.id) add(declaration.id.name, declaration.id, () => declaration);
    if (declaration?.type === AST_NODE_TYPES.VariableDeclaration) {
      for (const declarator of declaration.declarations) {
        if (declarator.id.type === AST_NODE_TYPES.Identifier) add(declarator.id.name, declarator.id, () => handlerFunction(program, declarator.init));
      }
    }
    for (const specifier of statement.specifiers) {
      const exported = specifier.exported.type === AST_NODE_TYPES.Identifier ? specifier.exported.name : specifier.exported.value;
      add(exported, specifier.exported, () => handlerFunction(program, specifier.local));
    }
  }
  return targets;
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

    // --- Code path bookkeeping -------------------------------------------------------------
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
      if (isMutatingHttp(found) && (checkHttp || found.urlKind === 'relative' || found.urlKind === 'own-origin')) {
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
      for (const event of events) {
        switch (event.type) {
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

    // --- Reporting -------------------------------------------------------------------------------
    function targets(): Target[] {
      const found: Target[] = [];
      if (checksActions) {
        for (const action of getServerActions(context).actions) {
          found.push({ fn: action.fn, loc: actionReportLoc(action, sourceCode), title: actionTitle(action), routeHandler: false, action });
        }
      }
      if (checksRoutes) found.push(...routeHandlers(sourceCode.ast));
      return found;
    }

    function mayMutate(fn: FunctionNode): boolean {
      return getFunctionEffects(context, fn).effects.some(found => mutationOf(found) !== undefined);
    }

    /** Suggestions that revalidate after `mutation`, the last write of the paths, on the data `named` changes. */
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
      const tag = matchingTag(tags, named.subject ?? mutation.subject);
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
      if (!mayMutate(target.fn)) return;
      const outcomes = summarize(target.fn, []);
      const stale = outcomes.flatMap(state => (state.kind === 'dirty' ? [state] : []));
      if (stale.length === 0) return;
      const callers = target.action && callersOfAction(facts, target.action, 'settle');
      if (callersExcuse(callers)) return;
      const later = (a: Mutation, b: Mutation) => b.site.range[0] > a.site.range[0] || (b.site === a.site && b.origin.range[0] > a.origin.range[0]);
      const last = stale.map(state => state.mutation).reduce((a, b) => (later(a, b) ? b : a));
      const named = stale
        .map(state => state.named)
        .reduce((a, b) => (weight(b) > weight(a) || (weight(b) === weight(a) && later(a, b)) ? b : a));
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
        const found = classifyCall(context, node);
        const event = found && found.kind !== 'helper' ? eventOf(found) : undefined;
        if (event) emit(event);
      },
      'CallExpression:exit'(node: TSESTree.CallExpression) {
        collectTags(node);
        const found = classifyCall(context, node);
        // A session function's own writes renew the session: the caller changed nothing.
        if (found?.kind === 'helper') {
          if (!isSessionFunctionCall(found)) emit({ type: 'call', fn: found.fn, node, name: found.name });
        }
        else if (found) {
          checkDeprecatedTag(node, found);
          const event = eventOf(found);
          if (event) emit(event);
        }
        // A chain's callbacks run after the query it builds: `.then(() => revalidatePath('/'))`.
        if (!isInnerChainLink(node)) {
          for (const call of chainCalls(node).calls) emitCallbacks(call);
        }
      },
      'Program:exit'() {
        for (const target of targets()) check(target);
      },
    };
    return listeners as unknown as TSESLint.RuleListener;
  },
});
