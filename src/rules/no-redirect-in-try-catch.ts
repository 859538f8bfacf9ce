import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import * as ASTUtils from '@typescript-eslint/utils/ast-utils';
import { getBodyFacts, IN_TYPE } from '../analysis/action-facts.js';
import { type Effect, getEndingNavigation, importedCallee, resolveCallee } from '../analysis/effects.js';
import { type FileFacts, getFileFacts, isServerComponentFile, mayDefineServerActions } from '../analysis/file-kind.js';
import { resolveImportedFunction } from '../analysis/foreign-module.js';
import { type FunctionNode, getServerActions, isFunctionNode } from '../analysis/server-actions.js';
import { childNodes, skipAwait, skipTypeWrappers, TYPE_KEYS, walkNodes } from '../utils/ast.js';
import { createRule } from '../utils/create-rule.js';
import { lineBreakOf, usesSemicolons } from '../utils/fixers.js';
import { namedImport } from '../utils/imports.js';
import { describeLine } from '../utils/locations.js';
import type { Context } from '../utils/context.js';

export type Options = [];
export type MessageIds = 'swallowedNavigation' | 'swallowedHelperNavigation' | 'moveAfterTry' | 'addRethrow';

type SourceCode = Readonly<TSESLint.SourceCode>;
type Variable = TSESLint.Scope.Variable;

/** The `next/navigation` functions that work by throwing, and what the user misses when the throw is caught. */
const NAVIGATIONS = new Map([
  ['redirect', 'the redirect never happens'],
  ['permanentRedirect', 'the redirect never happens'],
  ['notFound', 'the 404 page never shows'],
  ['forbidden', 'the 403 page never shows'],
  ['unauthorized', 'the 401 page never shows'],
]);
const REDIRECTS = ['redirect', 'permanentRedirect'];
const ERROR_PAGES = ['notFound', 'forbidden', 'unauthorized'];

/** Next.js's own predicates over a caught error, and the navigations each one recognises. */
const ERROR_PREDICATES = new Map<string, readonly string[]>([
  ['isRedirectError', REDIRECTS],
  ['isNotFoundError', ['notFound']],
  ['isHTTPAccessFallbackError', ERROR_PAGES],
  ['isNextRouterError', [...REDIRECTS, ...ERROR_PAGES]],
]);

/** How many calls deep a `catch` is followed into the functions it hands the error to. */
const MAX_HANDLER_DEPTH = 3;

/**
 * How a piece of a `catch` block ends for the caught navigation error: `rethrow` (or may rethrow:
 * anything the analysis cannot see through counts, so that only a certain swallow is reported),
 * `return`, `throw` of another error, `navigate` elsewhere; `next` goes on to the next statement,
 * `jump` is a `break` or `continue`.
 */
type Step = 'rethrow' | 'return' | 'throw' | 'navigate' | 'next' | 'jump';

/** Where the swallowed call runs, for what the user sees instead. */
type Place = 'action' | 'handler' | 'page' | 'code';

interface Navigation {
  /** The `next/navigation` function that throws: `redirect`, `notFound`, … */
  name: string;
  /** The call inside the `try`: the navigation itself, or a helper that always ends in one. */
  call: TSESTree.CallExpression;
  /** The helper's navigation, when `call` is a helper call. */
  helper: Effect | undefined;
}

interface Judge {
  /** The context of the module the judged code is in: the linted file, or an imported module. */
  context: Context;
  /** The caught error as a variable of that module; undefined for a `catch` without one. */
  binding: Variable | undefined;
  /** Undefined to judge the block for any error (can it complete at all), not for the navigation. */
  navigation: Navigation | undefined;
  depth: number;
}

const NEXT: ReadonlySet<Step> = new Set(['next']);

function union(...sets: readonly ReadonlySet<Step>[]): Set<Step> {
  const result = new Set<Step>();
  for (const set of sets) for (const step of set) result.add(step);
  return result;
}

/** `next` and `jump` (leaving a loop or switch) become `replacement`. */
function settle(steps: ReadonlySet<Step>, replacement: Step, from: readonly Step[] = ['next']): Set<Step> {
  const result = new Set<Step>();
  for (const step of steps) result.add(from.includes(step) ? replacement : step);
  return result;
}

function isGlobal(context: Context, identifier: TSESTree.Identifier): boolean {
  const variable = ASTUtils.findVariable(context.sourceCode.getScope(identifier), identifier);
  return !variable || variable.defs.length === 0;
}

function isBinding(judge: Judge, node: TSESTree.Node | undefined): boolean {
  if (!node || !judge.binding) return false;
  const target = skipTypeWrappers(node);
  return target.type === AST_NODE_TYPES.Identifier && ASTUtils.findVariable(judge.context.sourceCode.getScope(target), target) === judge.binding;
}

function calleeName(callee: TSESTree.Node): string | undefined {
  const target = skipTypeWrappers(callee);
  if (target.type === AST_NODE_TYPES.Identifier) return target.name;
  if (target.type === AST_NODE_TYPES.MemberExpression && !target.computed && target.property.type === AST_NODE_TYPES.Identifier) return target.property.name;
  return undefined;
}

/**
 * What an `if` test answers for the navigation error: `error instanceof Error` is true (Next.js
 * throws plain errors), `instanceof` anything else false, `isRedirectError(error)` and the other
 * predicates true for what they recognise; undefined when the code does not tell.
 */
function testValue(judge: Judge, test: TSESTree.Node): boolean | undefined {
  if (!judge.navigation) return undefined;
  const node = skipTypeWrappers(test);
  switch (node.type) {
    case AST_NODE_TYPES.UnaryExpression: {
      if (node.operator !== '!') return undefined;
      const value = testValue(judge, node.argument);
      return value === undefined ? undefined : !value;
    }
    case AST_NODE_TYPES.LogicalExpression: {
      const left = testValue(judge, node.left);
      const right = testValue(judge, node.right);
      if (node.operator === '&&') return left === false || right === false ? false : left === true && right === true ? true : undefined;
      if (node.operator === '||') return left === true || right === true ? true : left === false && right === false ? false : undefined;
      return undefined;
    }
    case AST_NODE_TYPES.BinaryExpression: {
      if (node.operator !== 'instanceof' || !isBinding(judge, node.left)) return undefined;
      const right = skipTypeWrappers(node.right);
      return right.type === AST_NODE_TYPES.Identifier && (right.name === 'Error' || right.name === 'Object') && isGlobal(judge.context, right);
    }
    case AST_NODE_TYPES.CallExpression: {
      const recognised = ERROR_PREDICATES.get(calleeName(node.callee) ?? '');
      if (!recognised || !isBinding(judge, node.arguments[0])) return undefined;
      return recognised.includes(judge.navigation.name);
    }
    default:
      return undefined;
  }
}

/** A package import (`@sentry/nextjs`) rather than a project path that could not be followed. */
function isPackageSpecifier(specifier: string): boolean {
  return !/^(?:\.|\/|@\/|~\/|#)/.test(specifier);
}

/** Follows the error into a function it is handed to, as that function's parameter. */
function handlerSteps(judge: Judge, call: TSESTree.CallExpression, index: number): Set<Step> {
  const maybe = new Set<Step>(['rethrow', 'next']);
  const resolved = resolveCallee(judge.context, call);
  if (!resolved) return new Set(NEXT);
  let target: { context: Context; fn: FunctionNode } | undefined;
  if (resolved.kind === 'local') target = { context: judge.context, fn: resolved.fn };
  else {
    const found = resolveImportedFunction(judge.context, resolved.source, resolved.imported);
    if (!found) return isPackageSpecifier(resolved.source) ? new Set(NEXT) : maybe;
    target = found;
  }
  if (judge.depth >= MAX_HANDLER_DEPTH) return maybe;
  let param: TSESTree.Node | undefined = target.fn.params[index];
  if (param?.type === AST_NODE_TYPES.AssignmentPattern) param = param.left;
  if (param?.type !== AST_NODE_TYPES.Identifier) return new Set(NEXT);
  const name = param.name;
  const binding = target.context.sourceCode.scopeManager?.getDeclaredVariables(target.fn).find(variable => variable.name === name);
  const inner: Judge = { ...judge, context: target.context, binding, depth: judge.depth + 1 };
  const { body } = target.fn;
  const steps = body.type === AST_NODE_TYPES.BlockStatement ? sequence(inner, body.body) : expressionSteps(inner, body);
  // However the handler finishes normally, the call in the catch returns.
  return settle(steps, 'next', ['next', 'return', 'jump']);
}

function isSameNavigation(judge: Judge, call: TSESTree.CallExpression): boolean {
  const protectedCall = judge.navigation?.call;
  if (!protectedCall || judge.depth > 0) return false;
  const text = (node: TSESTree.Node) => judge.context.sourceCode.getText(node).replace(/\s+/g, '');
  return text(protectedCall) === text(call);
}

function callSteps(judge: Judge, call: TSESTree.CallExpression): Set<Step> {
  const imported = importedCallee(judge.context, call.callee);
  if (imported?.source === 'next/navigation') {
    if (imported.name === 'unstable_rethrow') return new Set(isBinding(judge, call.arguments[0]) ? ['rethrow'] : ['next']);
    if (NAVIGATIONS.has(imported.name)) return new Set([isSameNavigation(judge, call) ? 'rethrow' : 'navigate']);
  }
  if (judge.depth === 0 && getEndingNavigation(judge.context, call)) return new Set([isSameNavigation(judge, call) ? 'rethrow' : 'navigate']);
  const index = call.arguments.findIndex(argument => isBinding(judge, argument));
  return index === -1 ? new Set(NEXT) : handlerSteps(judge, call, index);
}

/** The steps of evaluating an expression: the calls in it, in order, some of them conditionally. */
function expressionSteps(judge: Judge, node: TSESTree.Node): Set<Step> {
  if (isFunctionNode(node) || node.type === AST_NODE_TYPES.ClassExpression) return new Set(NEXT);
  if (node.type === AST_NODE_TYPES.ConditionalExpression) {
    const test = expressionSteps(judge, node.test);
    if (!test.has('next')) return test;
    test.delete('next');
    return union(test, expressionSteps(judge, node.consequent), expressionSteps(judge, node.alternate));
  }
  if (node.type === AST_NODE_TYPES.LogicalExpression) {
    const left = expressionSteps(judge, node.left);
    return left.has('next') ? union(left, expressionSteps(judge, node.right)) : left;
  }
  const children = childNodes(node, judge.context.sourceCode.visitorKeys, TYPE_KEYS);
  const steps = sequence(judge, children, expressionSteps);
  if (!steps.has('next')) return steps;
  if (node.type !== AST_NODE_TYPES.CallExpression) return steps;
  steps.delete('next');
  const own = callSteps(judge, node);
  // `a?.b(error)` may not run at all.
  return node.optional ? union(steps, own, NEXT) : union(steps, own);
}

function sequence(
  judge: Judge,
  nodes: readonly TSESTree.Node[],
  each: (judge: Judge, node: TSESTree.Node) => Set<Step> = statementSteps,
): Set<Step> {
  const done = new Set<Step>();
  for (const node of nodes) {
    const steps = each(judge, node);
    for (const step of steps) if (step !== 'next') done.add(step);
    if (!steps.has('next')) return done;
  }
  done.add('next');
  return done;
}

function statementSteps(judge: Judge, node: TSESTree.Node): Set<Step> {
  switch (node.type) {
    case AST_NODE_TYPES.BlockStatement:
      return sequence(judge, node.body);
    case AST_NODE_TYPES.ExpressionStatement:
      return expressionSteps(judge, node.expression);
    case AST_NODE_TYPES.VariableDeclaration:
      return sequence(judge, node.declarations.flatMap(declarator => (declarator.init ? [declarator.init] : [])), expressionSteps);
    case AST_NODE_TYPES.ReturnStatement:
      return settle(node.argument ? expressionSteps(judge, node.argument) : NEXT, 'return');
    case AST_NODE_TYPES.ThrowStatement:
      return settle(expressionSteps(judge, node.argument), isBinding(judge, node.argument) ? 'rethrow' : 'throw');
    case AST_NODE_TYPES.IfStatement: {
      const value = testValue(judge, node.test);
      const consequent = value === false ? new Set<Step>() : statementSteps(judge, node.consequent);
      const alternate = value === true ? new Set<Step>() : node.alternate ? statementSteps(judge, node.alternate) : NEXT;
      return union(consequent, alternate);
    }
    case AST_NODE_TYPES.TryStatement: {
      const caught = union(statementSteps(judge, node.block), node.handler ? statementSteps(judge, node.handler.body) : new Set());
      if (!node.finalizer) return caught;
      const finalizer = statementSteps(judge, node.finalizer);
      return finalizer.has('next') ? union(caught, settle(finalizer, 'next')) : finalizer;
    }
    case AST_NODE_TYPES.SwitchStatement: {
      const cases = node.cases.map((_, index) => sequence(judge, node.cases.slice(index).flatMap(item => item.consequent)));
      const fallsThrough = node.cases.some(item => item.test === null) ? new Set<Step>() : NEXT;
      return settle(union(fallsThrough, ...cases), 'next', ['next', 'jump']);
    }
    case AST_NODE_TYPES.ForStatement:
    case AST_NODE_TYPES.ForInStatement:
    case AST_NODE_TYPES.ForOfStatement:
    case AST_NODE_TYPES.WhileStatement:
    case AST_NODE_TYPES.DoWhileStatement:
      return settle(union(NEXT, statementSteps(judge, node.body)), 'next', ['next', 'jump']);
    case AST_NODE_TYPES.LabeledStatement:
      return settle(statementSteps(judge, node.body), 'next', ['next', 'jump']);
    case AST_NODE_TYPES.BreakStatement:
    case AST_NODE_TYPES.ContinueStatement:
      return new Set(['jump']);
    default:
      return new Set(NEXT);
  }
}

/** How a `catch` block ends, for the navigation error or (without one) for any error. */
function catchSteps(context: Context, handler: TSESTree.CatchClause, navigation: Navigation | undefined): Set<Step> {
  const param = handler.param;
  const binding =
    param?.type === AST_NODE_TYPES.Identifier
      ? context.sourceCode.scopeManager?.getDeclaredVariables(handler).find(variable => variable.name === param.name)
      : undefined;
  const steps = sequence({ context, binding, navigation, depth: 0 }, handler.body.body);
  return settle(steps, 'return', ['next', 'jump']);
}

// ---------------------------------------------------------------------------------------------
// Suggestions

function indentOf(sourceCode: SourceCode, node: TSESTree.Node): string {
  return /^[ \t]*/.exec(sourceCode.lines[node.loc.start.line - 1] ?? '')![0];
}

/** Variables declared inside `block` (outside `except`) that `except` reads. */
function readsBlockLocals(sourceCode: SourceCode, block: TSESTree.BlockStatement, except: TSESTree.Node): boolean {
  const scope = sourceCode.scopeManager?.acquire(block);
  if (!scope) return true;
  const inside = (node: TSESTree.Node, container: TSESTree.Node) => node.range[0] >= container.range[0] && node.range[1] <= container.range[1];
  const visit = (current: TSESLint.Scope.Scope): boolean => {
    if (!inside(current.block, except)) {
      for (const variable of current.variables) {
        if (variable.references.some(reference => inside(reference.identifier, except))) return true;
      }
    }
    return current.childScopes.some(child => inside(child.block, block) && visit(child));
  };
  return visit(scope);
}

/** Every name the `catch` clause declares or reads from outside: a binding added to it must shadow none. */
function namesInCatch(sourceCode: SourceCode, handler: TSESTree.CatchClause): Set<string> {
  const names = new Set<string>();
  const visit = (scope: TSESLint.Scope.Scope) => {
    for (const variable of scope.variables) names.add(variable.name);
    for (const reference of scope.through) names.add(reference.identifier.name);
    scope.childScopes.forEach(visit);
  };
  const scope = sourceCode.scopeManager?.acquire(handler);
  if (scope) visit(scope);
  return names;
}

const CATCH_NAMES = ['error', 'err', 'caughtError'];

// ---------------------------------------------------------------------------------------------
// Where the rule applies

/** `import 'server-only'`: the module never reaches the client. */
function importsServerOnly(program: TSESTree.Program): boolean {
  return program.body.some(statement => statement.type === AST_NODE_TYPES.ImportDeclaration && statement.source.value === 'server-only');
}

function filePlace(facts: FileFacts, program: TSESTree.Program): Place | undefined {
  if (facts.kind === 'route-handler') return 'handler';
  if (facts.isServerActionsFile) return 'action';
  if (facts.kind !== 'other') return undefined;
  if (isServerComponentFile(facts)) return 'page';
  return importsServerOnly(program) ? 'code' : undefined;
}

function enclosingFunctions(node: TSESTree.Node): FunctionNode[] {
  const found: FunctionNode[] = [];
  for (let current = node.parent; current; current = current.parent) if (isFunctionNode(current)) found.push(current);
  return found;
}

/** The next `try` out from `node`, in the same function, whose `catch` receives what its block throws. */
function enclosingTry(node: TSESTree.Node): TSESTree.TryStatement | undefined {
  let child = node;
  for (let parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (isFunctionNode(parent)) return undefined;
    if (parent.type === AST_NODE_TYPES.TryStatement && parent.block === child && parent.handler) return parent;
  }
  return undefined;
}

/** `call();`, `await call();`, `return call();`: a call whose value nothing else uses. */
function isStatementCall(call: TSESTree.CallExpression): boolean {
  let node: TSESTree.Node = call;
  while (node.parent?.type === AST_NODE_TYPES.AwaitExpression || node.parent?.type === AST_NODE_TYPES.ChainExpression) node = node.parent;
  return node.parent?.type === AST_NODE_TYPES.ExpressionStatement || node.parent?.type === AST_NODE_TYPES.ReturnStatement;
}

function shortText(sourceCode: SourceCode, call: TSESTree.CallExpression): string {
  const text = sourceCode.getText(call);
  // A template literal would end the message's code span.
  if (text.length <= 60 && !/[\n`]/.test(text)) return text;
  return `${sourceCode.getText(call.callee).replace(/\s+/g, '')}(…)`;
}

export default createRule<Options, MessageIds>({
  name: 'no-redirect-in-try-catch',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow `redirect()`, `notFound()` and the other navigation calls of `next/navigation` where a `catch` swallows them',
      recommended: 'error',
    },
    hasSuggestions: true,
    schema: [],
    messages: {
      swallowedNavigation:
        '`{{call}}` works by throwing, and the `catch` on line {{line}} catches that throw, so {{effect}}: {{instead}}. Call it after the `try` statement, or start the `catch` with `unstable_rethrow({{binding}})` from `next/navigation`.',
      swallowedHelperNavigation:
        '`{{call}}` always ends in `{{navigation}}()` ({{where}}), which works by throwing, and the `catch` on line {{line}} catches that throw, so {{effect}}: {{instead}}. Call it after the `try` statement, or start the `catch` with `unstable_rethrow({{binding}})` from `next/navigation`.',
      moveAfterTry: 'Move `{{call}}` after the `try` statement.',
      addRethrow: 'Start the `catch` with `unstable_rethrow({{binding}})`, which rethrows the errors Next.js uses for navigation.',
    },
  },
  create(context) {
    const facts = getFileFacts(context);
    if (facts.isClient || facts.kind === 'pages-api') return {};
    const { sourceCode } = context;
    if (!sourceCode.text.includes('catch')) return {};
    const place = filePlace(facts, sourceCode.ast);
    if (place === undefined && !mayDefineServerActions(facts)) return {};

    let actionScope: Set<FunctionNode> | undefined;
    /** Inline actions and the same-file functions they call, as far as calls lead. */
    function actionFunctions(): Set<FunctionNode> {
      if (actionScope) return actionScope;
      actionScope = new Set();
      const pending = getServerActions(context).actions.map(action => action.fn);
      while (pending.length > 0) {
        const fn = pending.pop()!;
        if (actionScope.has(fn)) continue;
        actionScope.add(fn);
        for (const { node, where } of getBodyFacts(context, fn).nodes) {
          if (where & IN_TYPE || node.type !== AST_NODE_TYPES.CallExpression) continue;
          const resolved = resolveCallee(context, node);
          if (resolved?.kind === 'local') pending.push(resolved.fn);
        }
      }
      return actionScope;
    }

    function placeOf(node: TSESTree.Node): Place | undefined {
      if (place === 'action') return place;
      const functions = enclosingFunctions(node);
      if (facts.mayHaveInlineActions && functions.some(fn => actionFunctions().has(fn))) return 'action';
      return place;
    }

    /** The calls a `try` block protects with no `try` nearer to them: not in callbacks, not in an inner `try` block. */
    function protectedCalls(node: TSESTree.Node, found: TSESTree.CallExpression[]): TSESTree.CallExpression[] {
      walkNodes(
        node,
        sourceCode.visitorKeys,
        current => {
          if (isFunctionNode(current) || current.type === AST_NODE_TYPES.ClassBody) return 'skip';
          if (current.type === AST_NODE_TYPES.TryStatement && current.handler) {
            protectedCalls(current.handler.body, found);
            if (current.finalizer) protectedCalls(current.finalizer, found);
            return 'skip';
          }
          if (current.type === AST_NODE_TYPES.CallExpression) found.push(current);
          return undefined;
        },
        TYPE_KEYS,
      );
      return found;
    }

    function navigationOf(call: TSESTree.CallExpression): Navigation | undefined {
      const imported = importedCallee(context, call.callee);
      if (imported?.source === 'next/navigation') return NAVIGATIONS.has(imported.name) ? { name: imported.name, call, helper: undefined } : undefined;
      // A function that always navigates returns nothing: only calls whose value is dropped or returned are asked about.
      if (!isStatementCall(call)) return undefined;
      const helper = getEndingNavigation(context, call);
      return helper && { name: helper.method ?? helper.label, call, helper };
    }

    function catchBindingName(handler: TSESTree.CatchClause): string | undefined {
      if (handler.param) return handler.param.type === AST_NODE_TYPES.Identifier ? handler.param.name : undefined;
      const taken = namesInCatch(sourceCode, handler);
      return CATCH_NAMES.find(name => !taken.has(name));
    }

    function moveSuggestion(guard: TSESTree.TryStatement, navigation: Navigation): TSESLint.ReportFixFunction | undefined {
      const statements = guard.block.body;
      const statement = statements[statements.length - 1];
      if (!statement || statements.length < 2) return undefined;
      const expression =
        statement.type === AST_NODE_TYPES.ExpressionStatement ? statement.expression : statement.type === AST_NODE_TYPES.ReturnStatement ? statement.argument : null;
      if (!expression || skipAwait(expression) !== navigation.call) return undefined;
      const container = guard.parent;
      if (container.type !== AST_NODE_TYPES.BlockStatement && container.type !== AST_NODE_TYPES.Program && container.type !== AST_NODE_TYPES.SwitchCase) {
        return undefined;
      }
      // After the move, only a `try` that succeeded may reach the call.
      if (!catchCannotComplete(guard.handler!)) return undefined;
      if (readsBlockLocals(sourceCode, guard.block, statement)) return undefined;
      const text = sourceCode.getText(statement);
      const after = sourceCode.getTokenAfter(guard);
      if (!text.endsWith(';') && after && after.loc.start.line > guard.loc.end.line && ['(', '[', '`'].includes(after.value.charAt(0))) return undefined;
      const previous = sourceCode.getTokenBefore(statement, { includeComments: true })!;
      const eol = lineBreakOf(sourceCode);
      const from = indentOf(sourceCode, statement);
      const to = indentOf(sourceCode, guard);
      const moved = text
        .split(/\r\n|\n|\r/)
        .map((line, index) => (index > 0 && line.startsWith(from) ? to + line.slice(from.length) : line))
        .join(eol);
      return fixer => [fixer.removeRange([previous.range[1], statement.range[1]]), fixer.insertTextAfter(guard, `${eol}${to}${moved}`)];
    }

    /** Whether no error gets past the `catch` into the code after the `try`: each path returns or throws. */
    function catchCannotComplete(handler: TSESTree.CatchClause): boolean {
      const steps = sequence({ context, binding: undefined, navigation: undefined, depth: 0 }, handler.body.body);
      return !steps.has('next') && !steps.has('jump');
    }

    function rethrowSuggestion(guard: TSESTree.TryStatement, binding: string): TSESLint.ReportFixFunction | undefined {
      const handler = guard.handler!;
      if (handler.param && handler.param.type !== AST_NODE_TYPES.Identifier) return undefined;
      const body = handler.body;
      const imported = namedImport(sourceCode, 'next/navigation', 'unstable_rethrow', body);
      if (!imported) return undefined;
      const first = body.body[0];
      const semicolonStyle = usesSemicolons(sourceCode, [...body.body, ...guard.block.body]);
      // Without semicolons, a next line that starts with `(`, `[` or a template would continue the call.
      const hazard = first && ['(', '[', '`'].includes(sourceCode.getFirstToken(first)!.value.charAt(0));
      const bare = `${imported.reference}(${binding})`;
      const call = `${bare}${semicolonStyle || hazard ? ';' : ''}`;
      const eol = lineBreakOf(sourceCode);
      const catchIndent = indentOf(sourceCode, handler);
      const blockIndent = guard.block.body[0] ? indentOf(sourceCode, guard.block.body[0]) : '';
      const unit = blockIndent.startsWith(catchIndent) && blockIndent.length > catchIndent.length ? blockIndent.slice(catchIndent.length) : '  ';
      const openBrace = sourceCode.getFirstToken(body)!;
      const catchKeyword = sourceCode.getFirstToken(handler)!;
      return fixer => {
        const fixes = [];
        if (!handler.param) fixes.push(fixer.insertTextAfter(catchKeyword, ` (${binding})`));
        if (first && first.loc.start.line > openBrace.loc.end.line) {
          fixes.push(fixer.insertTextBefore(first, `${call}${eol}${indentOf(sourceCode, first)}`));
        } else if (first) {
          // On the brace's line, the next statement follows on the same line: only a semicolon separates them.
          fixes.push(fixer.insertTextBefore(first, `${bare}; `));
        } else if (body.loc.start.line === body.loc.end.line && sourceCode.getCommentsInside(body).length === 0) {
          fixes.push(fixer.replaceText(body, `{${eol}${catchIndent}${unit}${call}${eol}${catchIndent}}`));
        } else {
          fixes.push(fixer.insertTextAfter(openBrace, `${eol}${catchIndent}${unit}${call}`));
        }
        if (imported.fix) fixes.push(imported.fix(fixer));
        return fixes;
      };
    }

    function report(guard: TSESTree.TryStatement, navigation: Navigation, steps: ReadonlySet<Step>, where: Place): void {
      const handler = guard.handler!;
      const binding = catchBindingName(handler);
      const outcome = steps.has('return') ? 'return' : steps.has('throw') ? 'throw' : 'navigate';
      const instead =
        outcome === 'throw'
          ? 'the `catch` throws another error instead'
          : outcome === 'navigate'
            ? 'the `catch` navigates elsewhere instead'
            : {
                action: 'the action returns normally and the user stays on the page',
                handler: 'the handler carries on and sends its own response',
                page: 'the page carries on rendering',
                code: 'the code after the `catch` carries on',
              }[where];
      const data = {
        call: shortText(sourceCode, navigation.call),
        line: String(handler.loc.start.line),
        instead,
        effect: NAVIGATIONS.get(navigation.name) ?? 'the navigation never happens',
        binding: binding ?? 'error',
      };
      const suggest: TSESLint.ReportSuggestionArray<MessageIds> = [];
      const move = moveSuggestion(guard, navigation);
      if (move) suggest.push({ messageId: 'moveAfterTry', data: { call: data.call }, fix: move });
      const rethrow = binding === undefined ? undefined : rethrowSuggestion(guard, binding);
      if (rethrow) suggest.push({ messageId: 'addRethrow', data: { binding: data.binding }, fix: rethrow });
      if (navigation.helper) {
        const found = navigation.helper;
        context.report({
          node: navigation.call,
          messageId: 'swallowedHelperNavigation',
          data: {
            call: data.call,
            line: data.line,
            instead: data.instead,
            effect: data.effect,
            binding: data.binding,
            navigation: navigation.name,
            where: describeLine(context, found.origin, found.file),
          },
          suggest,
        });
        return;
      }
      context.report({ node: navigation.call, messageId: 'swallowedNavigation', data, suggest });
    }

    return {
      TryStatement(node) {
        if (!node.handler) return;
        const where = placeOf(node);
        if (where === undefined) return;
        for (const call of protectedCalls(node.block, [])) {
          const navigation = navigationOf(call);
          if (!navigation) continue;
          for (let guard: TSESTree.TryStatement | undefined = node; guard; guard = enclosingTry(guard)) {
            const steps = catchSteps(context, guard.handler!, navigation);
            if (steps.has('rethrow')) continue;
            report(guard, navigation, steps, where);
            break;
          }
        }
      },
    };
  },
});
