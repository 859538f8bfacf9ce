import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import * as ASTUtils from '@typescript-eslint/utils/ast-utils';
import { TYPE_KEYS, walkNodes } from '../utils/ast.js';
import { getPrologue, hasDirective } from './directives.js';
import { getFileFacts, mayDefineServerActions } from './file-kind.js';
import type { Context } from '../utils/context.js';
import { exportedName } from './scope.js';

export type FunctionNode =
  | TSESTree.FunctionDeclaration
  | TSESTree.FunctionExpression
  | TSESTree.ArrowFunctionExpression;

export interface ServerAction {
  /** The exported name, or the local name of an inline action; undefined when anonymous. */
  name: string | undefined;
  /** The function whose body runs when the action is called. */
  fn: FunctionNode;
  /** `export`: covered by a file-level "use server"; `inline`: carries its own directive. */
  origin: 'export' | 'inline';
  /** The wrapper call around the body (`client.action(async …)`, `withAuth(async …)`), if any. */
  wrapper: TSESTree.CallExpression | undefined;
  /** The identifier that names the action where it is defined; findings about the whole action go here. */
  nameNode: TSESTree.Node | undefined;
}

/** How Next.js treats a value exported from a "use server" file that is not an async function. */
export type ExportFailure = 'build' | 'runtime';

export type ExportEntry =
  | { kind: 'action'; action: ServerAction }
  | { kind: 'sync-function'; action: ServerAction; node: TSESTree.Node }
  | {
      kind: 'value';
      name: string;
      node: TSESTree.Node;
      failure: ExportFailure;
      /** What the value is, as a noun phrase: `an object`, `a string literal`, `a class`. */
      description: string;
      /** `typeof` of the value where Next.js prints it at runtime (`found object`). */
      typeOf: string | undefined;
    }
  | { kind: 'reexport'; node: TSESTree.Node; source: string; names: string[] }
  | { kind: 'unknown'; name: string; node: TSESTree.Node };

export interface ServerActionsFacts {
  /** Every Server Action the file defines: file-level exports and inline functions. */
  actions: ServerAction[];
  /** Classification of each export of a "use server" file (empty for other files). */
  exports: ExportEntry[];
}

type Binding =
  | { kind: 'function'; node: TSESTree.FunctionDeclaration }
  | { kind: 'variable'; node: TSESTree.VariableDeclarator }
  | { kind: 'class'; node: TSESTree.ClassDeclaration }
  | { kind: 'enum'; node: TSESTree.TSEnumDeclaration }
  | { kind: 'import' };

// Values built by these libraries are schemas and objects, never functions.
const schemaLibraries = new Set(['zod', 'zod/v4', 'zod/mini', 'yup', 'valibot', 'joi', 'superstruct', 'arktype', '@sinclair/typebox', 'effect/Schema']);

export function isFunctionNode(node: TSESTree.Node | null | undefined): node is FunctionNode {
  return (
    node?.type === AST_NODE_TYPES.FunctionDeclaration ||
    node?.type === AST_NODE_TYPES.FunctionExpression ||
    node?.type === AST_NODE_TYPES.ArrowFunctionExpression
  );
}

function isTypeScriptExpression(node: TSESTree.Node): boolean {
  return (
    node.type === AST_NODE_TYPES.TSAsExpression ||
    node.type === AST_NODE_TYPES.TSSatisfiesExpression ||
    node.type === AST_NODE_TYPES.TSNonNullExpression ||
    node.type === AST_NODE_TYPES.TSTypeAssertion ||
    node.type === AST_NODE_TYPES.TSInstantiationExpression
  );
}

function unwrapTypeScript(node: TSESTree.Expression): TSESTree.Expression {
  let current = node;
  while (isTypeScriptExpression(current)) {
    current = (current as TSESTree.TSAsExpression).expression;
  }
  return current;
}

function collectBindings(program: TSESTree.Program): Map<string, Binding> {
  const bindings = new Map<string, Binding>();
  const addDeclaration = (declaration: TSESTree.Node | null | undefined) => {
    if (!declaration) return;
    switch (declaration.type) {
      case AST_NODE_TYPES.FunctionDeclaration:
        if (declaration.id) bindings.set(declaration.id.name, { kind: 'function', node: declaration });
        break;
      case AST_NODE_TYPES.VariableDeclaration:
        for (const declarator of declaration.declarations) {
          if (declarator.id.type === AST_NODE_TYPES.Identifier) {
            bindings.set(declarator.id.name, { kind: 'variable', node: declarator });
          }
        }
        break;
      case AST_NODE_TYPES.ClassDeclaration:
        if (declaration.id) bindings.set(declaration.id.name, { kind: 'class', node: declaration });
        break;
      case AST_NODE_TYPES.TSEnumDeclaration:
        if (!declaration.const && !declaration.declare) {
          bindings.set(declaration.id.name, { kind: 'enum', node: declaration });
        }
        break;
      case AST_NODE_TYPES.ImportDeclaration:
        for (const specifier of declaration.specifiers) bindings.set(specifier.local.name, { kind: 'import' });
        break;
      default:
        break;
    }
  };
  for (const statement of program.body) {
    if (
      statement.type === AST_NODE_TYPES.ExportNamedDeclaration ||
      statement.type === AST_NODE_TYPES.ExportDefaultDeclaration
    ) {
      addDeclaration(statement.declaration);
    } else {
      addDeclaration(statement);
    }
  }
  return bindings;
}

/** The root identifier of a callee chain: `z` in `z.object({}).strict()`. */
function rootIdentifier(node: TSESTree.Node): TSESTree.Identifier | undefined {
  let current: TSESTree.Node = node;
  for (;;) {
    if (current.type === AST_NODE_TYPES.Identifier) return current;
    if (current.type === AST_NODE_TYPES.MemberExpression) current = current.object;
    else if (current.type === AST_NODE_TYPES.CallExpression) current = current.callee;
    else return undefined;
  }
}

function importSourceOf(program: TSESTree.Program, localName: string): string | undefined {
  for (const statement of program.body) {
    if (statement.type !== AST_NODE_TYPES.ImportDeclaration) continue;
    if (statement.specifiers.some(specifier => specifier.local.name === localName)) return statement.source.value;
  }
  return undefined;
}

interface Analyzer {
  program: TSESTree.Program;
  sourceCode: Readonly<TSESLint.SourceCode>;
  bindings: Map<string, Binding>;
}

type Classified =
  | { kind: 'function'; fn: FunctionNode; wrapper: TSESTree.CallExpression | undefined }
  | { kind: 'value'; failure: ExportFailure; description: string; typeOf: string | undefined }
  | { kind: 'unknown' };

const unknown: Classified = { kind: 'unknown' };

/** The function a wrapper call hands its work to: `client.action(async …)`, `withAuth(handler)`. */
function wrappedFunction(analyzer: Analyzer, call: TSESTree.CallExpression, depth: number): FunctionNode | undefined {
  if (depth > 4) return undefined;
  for (let index = call.arguments.length - 1; index >= 0; index--) {
    const argument = call.arguments[index]!;
    if (argument.type === AST_NODE_TYPES.SpreadElement) continue;
    const inner = unwrapTypeScript(argument);
    if (isFunctionNode(inner)) return inner;
    if (inner.type === AST_NODE_TYPES.CallExpression) {
      const nested = wrappedFunction(analyzer, inner, depth + 1);
      if (nested) return nested;
    }
    if (inner.type === AST_NODE_TYPES.Identifier) {
      const binding = analyzer.bindings.get(inner.name);
      if (binding?.kind === 'function') return binding.node;
      if (binding?.kind === 'variable' && binding.node.init) {
        const init = unwrapTypeScript(binding.node.init);
        if (isFunctionNode(init)) return init;
      }
    }
  }
  return undefined;
}

function classifyExpression(analyzer: Analyzer, node: TSESTree.Expression | null, depth: number): Classified {
  if (node === null) return { kind: 'value', failure: 'runtime', description: 'undefined', typeOf: 'undefined' };
  const expression = unwrapTypeScript(node);
  switch (expression.type) {
    case AST_NODE_TYPES.ArrowFunctionExpression:
    case AST_NODE_TYPES.FunctionExpression:
      // The compiler does not look inside parentheses; a sync function there passes the load check.
      if (!expression.async && ASTUtils.isParenthesized(expression, analyzer.sourceCode)) return unknown;
      return { kind: 'function', fn: expression, wrapper: undefined };
    case AST_NODE_TYPES.Literal: {
      const typeOf = expression.value === null || expression.value instanceof RegExp ? 'object' : typeof expression.value;
      // The compiler only sees a literal written in the export itself; one behind a name crashes at load.
      return { kind: 'value', failure: depth === 0 ? 'build' : 'runtime', description: `a ${typeOf === 'object' ? 'literal' : `${typeOf} literal`}`, typeOf };
    }
    case AST_NODE_TYPES.TemplateLiteral:
      return { kind: 'value', failure: 'runtime', description: 'a template string', typeOf: 'string' };
    case AST_NODE_TYPES.ObjectExpression:
      return { kind: 'value', failure: 'runtime', description: 'an object', typeOf: 'object' };
    case AST_NODE_TYPES.ArrayExpression:
      return { kind: 'value', failure: 'runtime', description: 'an array', typeOf: 'object' };
    case AST_NODE_TYPES.NewExpression:
      return { kind: 'value', failure: 'runtime', description: 'an object created with `new`', typeOf: 'object' };
    case AST_NODE_TYPES.UnaryExpression: {
      const typeOfByOperator: Record<string, string> = { '-': 'number', '+': 'number', '~': 'number', '!': 'boolean', typeof: 'string', void: 'undefined' };
      const typeOf = typeOfByOperator[expression.operator];
      return typeOf ? { kind: 'value', failure: 'runtime', description: `a ${typeOf}`, typeOf } : unknown;
    }
    case AST_NODE_TYPES.CallExpression: {
      const fn = wrappedFunction(analyzer, expression, 0);
      if (fn) return { kind: 'function', fn, wrapper: expression };
      const root = rootIdentifier(expression.callee);
      const source = root && importSourceOf(analyzer.program, root.name);
      if (source !== undefined && schemaLibraries.has(source)) {
        return { kind: 'value', failure: 'runtime', description: `a schema built with \`${source}\``, typeOf: 'object' };
      }
      return unknown;
    }
    case AST_NODE_TYPES.Identifier: {
      if (expression.name === 'undefined') return { kind: 'value', failure: 'runtime', description: 'undefined', typeOf: 'undefined' };
      const aliased = classifyBinding(analyzer, expression.name, depth + 1);
      // `export const run = impl` is a function to the load check, sync or not, and the compiler does not look behind the name.
      return aliased.kind === 'function' && !aliased.fn.async ? unknown : aliased;
    }
    default:
      return unknown;
  }
}

function classifyBinding(analyzer: Analyzer, name: string, depth: number): Classified {
  if (depth > 3) return unknown;
  const binding = analyzer.bindings.get(name);
  switch (binding?.kind) {
    case 'function':
      return { kind: 'function', fn: binding.node, wrapper: undefined };
    case 'variable':
      return classifyExpression(analyzer, binding.node.init, depth);
    case 'class':
      return { kind: 'value', failure: 'build', description: 'a class', typeOf: undefined };
    case 'enum':
      return { kind: 'value', failure: 'runtime', description: 'an enum', typeOf: 'object' };
    default:
      return unknown;
  }
}

function entryFor(
  classified: Classified,
  name: string,
  nameNode: TSESTree.Node,
): ExportEntry {
  switch (classified.kind) {
    case 'function': {
      // An anonymous default export has no name to underline; the function head stands in.
      const action: ServerAction = { name, fn: classified.fn, origin: 'export', wrapper: classified.wrapper, nameNode: nameNode === classified.fn ? undefined : nameNode };
      return classified.fn.async || classified.wrapper ? { kind: 'action', action } : { kind: 'sync-function', action, node: nameNode };
    }
    case 'value':
      return { kind: 'value', name, node: nameNode, failure: classified.failure, description: classified.description, typeOf: classified.typeOf };
    default:
      return { kind: 'unknown', name, node: nameNode };
  }
}

/** Classifies every export of a "use server" file the way Next.js will. */
function classifyExports(program: TSESTree.Program, sourceCode: Readonly<TSESLint.SourceCode>): ExportEntry[] {
  const analyzer: Analyzer = { program, sourceCode, bindings: collectBindings(program) };
  const entries: ExportEntry[] = [];
  for (const statement of program.body) {
    if (statement.type === AST_NODE_TYPES.ExportAllDeclaration) {
      if (statement.exportKind !== 'type') {
        entries.push({ kind: 'reexport', node: statement, source: statement.source.value, names: ['*'] });
      }
      continue;
    }
    if (statement.type === AST_NODE_TYPES.ExportDefaultDeclaration) {
      const { declaration } = statement;
      if (declaration.type === AST_NODE_TYPES.FunctionDeclaration) {
        entries.push(entryFor({ kind: 'function', fn: declaration, wrapper: undefined }, 'default', declaration.id ?? declaration));
      } else if (declaration.type === AST_NODE_TYPES.ClassDeclaration) {
        entries.push(entryFor({ kind: 'value', failure: 'build', description: 'a class', typeOf: undefined }, 'default', declaration));
      } else if (declaration.type.startsWith('TS') && !isTypeScriptExpression(declaration)) {
        continue;
      } else {
        const expression = declaration as TSESTree.Expression;
        // Unlike `export const x = impl`, the compiler follows `export default impl` to a sync function.
        const classified =
          expression.type === AST_NODE_TYPES.Identifier && expression.name !== 'undefined'
            ? classifyBinding(analyzer, expression.name, 1)
            : classifyExpression(analyzer, expression, 0);
        // Next.js checks `export default <expression>` at build time for anything but identifiers and calls.
        const direct = unwrapTypeScript(expression).type;
        const buildChecked = classified.kind === 'value' && direct !== AST_NODE_TYPES.Identifier && direct !== AST_NODE_TYPES.CallExpression;
        entries.push(entryFor(buildChecked ? { ...classified, failure: 'build' } : classified, 'default', declaration));
      }
      continue;
    }
    if (statement.type !== AST_NODE_TYPES.ExportNamedDeclaration || statement.exportKind === 'type') continue;
    if (statement.source) {
      const names = statement.specifiers.filter(specifier => specifier.exportKind !== 'type').map(specifier => exportedName(specifier.exported));
      if (names.length > 0) entries.push({ kind: 'reexport', node: statement, source: statement.source.value, names });
      continue;
    }
    const { declaration } = statement;
    if (declaration) {
      switch (declaration.type) {
        case AST_NODE_TYPES.FunctionDeclaration:
          entries.push(entryFor({ kind: 'function', fn: declaration, wrapper: undefined }, declaration.id?.name ?? 'default', declaration.id ?? declaration));
          break;
        case AST_NODE_TYPES.VariableDeclaration:
          if (declaration.declare) break;
          for (const declarator of declaration.declarations) {
            if (declarator.id.type !== AST_NODE_TYPES.Identifier) {
              entries.push({ kind: 'unknown', name: sourceOfPattern(declarator.id), node: declarator.id });
              continue;
            }
            entries.push(entryFor(classifyExpression(analyzer, declarator.init, 0), declarator.id.name, declarator.id));
          }
          break;
        case AST_NODE_TYPES.ClassDeclaration:
          if (!declaration.declare) {
            entries.push(entryFor({ kind: 'value', failure: 'build', description: 'a class', typeOf: undefined }, declaration.id?.name ?? 'default', declaration.id ?? declaration));
          }
          break;
        case AST_NODE_TYPES.TSEnumDeclaration:
          if (!declaration.const && !declaration.declare) {
            entries.push(entryFor({ kind: 'value', failure: 'runtime', description: 'an enum', typeOf: 'object' }, declaration.id.name, declaration.id));
          }
          break;
        default:
          // Types, interfaces, `declare` forms and namespaces are erased or out of scope.
          break;
      }
      continue;
    }
    for (const specifier of statement.specifiers) {
      if (specifier.exportKind === 'type' || specifier.local.type !== AST_NODE_TYPES.Identifier) continue;
      const binding = analyzer.bindings.get(specifier.local.name);
      // A class is a function to the load check, and the compiler only rejects `export class`.
      const classified = binding?.kind === 'class' ? unknown : classifyBinding(analyzer, specifier.local.name, 1);
      entries.push(entryFor(classified, exportedName(specifier.exported), specifier.exported));
    }
  }
  return entries;
}

function sourceOfPattern(node: TSESTree.Node): string {
  return node.type === AST_NODE_TYPES.Identifier ? node.name : '(destructured)';
}

/** The local name an inline action is known by, and the node that spells it. */
function inlineName(fn: FunctionNode): { name: string | undefined; nameNode: TSESTree.Node | undefined } {
  if (fn.id) return { name: fn.id.name, nameNode: fn.id };
  const { parent } = fn;
  if (parent.type === AST_NODE_TYPES.VariableDeclarator && parent.id.type === AST_NODE_TYPES.Identifier) {
    return { name: parent.id.name, nameNode: parent.id };
  }
  if (
    (parent.type === AST_NODE_TYPES.Property || parent.type === AST_NODE_TYPES.MethodDefinition) &&
    parent.key.type === AST_NODE_TYPES.Identifier &&
    !parent.computed
  ) {
    return { name: parent.key.name, nameNode: parent.key };
  }
  return { name: undefined, nameNode: undefined };
}

/** True when a function's own body starts with "use server". */
export function hasInlineUseServer(fn: FunctionNode): boolean {
  return fn.body.type === AST_NODE_TYPES.BlockStatement && hasDirective(getPrologue(fn.body.body), 'use server');
}

function collectInlineActions(
  program: TSESTree.Program,
  visitorKeys: TSESLint.SourceCode['visitorKeys'],
  found: ServerAction[],
  known: ReadonlySet<FunctionNode>,
): void {
  walkNodes(
    program,
    visitorKeys,
    node => {
      if (isFunctionNode(node) && hasInlineUseServer(node) && !known.has(node)) {
        found.push({ ...inlineName(node), fn: node, origin: 'inline', wrapper: undefined });
      }
    },
    TYPE_KEYS,
  );
}

const cache = new WeakMap<TSESTree.Program, ServerActionsFacts>();

/**
 * In a "use server" file, whether the text says `use server` past its first mention (the file's
 * own directive): an inline action needs one more. Escaped directives are let through.
 */
function mentionsUseServerAgain(text: string): boolean {
  const first = text.indexOf('use server');
  return (first !== -1 && text.includes('use server', first + 1)) || (text.includes('\\') && /['"]use\\/.test(text));
}

/**
 * Every Server Action the linted file defines. Files that are not "use server" files and never
 * mention `use server` cost one cached text check; others pay one walk, shared by every rule.
 * Route Handlers, Pages API routes and the proxy define none, whatever directive they carry: they
 * answer HTTP themselves. Their exports are still classified, since Next.js compiles the directive
 * and fails the build on what it forbids there; that is valid-server-actions' finding, not an action's.
 */
export function getServerActions(context: Context): ServerActionsFacts {
  const program = context.sourceCode.ast;
  const cached = cache.get(program);
  if (cached) return cached;
  const facts = getFileFacts(context);
  const exports = facts.isServerActionsFile ? classifyExports(program, context.sourceCode) : [];
  if (!mayDefineServerActions(facts)) {
    // The compiler still checks the exports under the directive (a build error to report), but
    // nothing imports them as actions.
    const none: ServerActionsFacts = { actions: [], exports };
    cache.set(program, none);
    return none;
  }
  const actions = exports.flatMap(entry => (entry.kind === 'action' || entry.kind === 'sync-function' ? [entry.action] : []));
  if (facts.mayHaveInlineActions && (!facts.isServerActionsFile || mentionsUseServerAgain(context.sourceCode.text))) {
    collectInlineActions(program, context.sourceCode.visitorKeys, actions, new Set(actions.map(action => action.fn)));
  }
  const result: ServerActionsFacts = { actions, exports };
  cache.set(program, result);
  return result;
}

const actionsByFunction = new WeakMap<TSESTree.Program, ReadonlyMap<FunctionNode, ServerAction>>();

/** The file's actions by their function node, once per file: a page can hold thousands of inline actions. */
export function getActionsByFunction(context: Context): ReadonlyMap<FunctionNode, ServerAction> {
  const program = context.sourceCode.ast;
  let known = actionsByFunction.get(program);
  if (!known) actionsByFunction.set(program, (known = new Map(getServerActions(context).actions.map(action => [action.fn, action]))));
  return known;
}

/** The action a function node belongs to as its body, if the file defines it as one. */
export function findActionForFunction(context: Context, fn: FunctionNode): ServerAction | undefined {
  return getActionsByFunction(context).get(fn);
}

/**
 * Where a finding about a whole action is reported: its name, or the function head
 * (`async function`, `async () =>`) when it has none.
 */
export function actionReportLoc(action: ServerAction, sourceCode: Readonly<TSESLint.SourceCode>): TSESTree.SourceLocation {
  if (action.nameNode) return action.nameNode.loc;
  const { fn } = action;
  if (fn.type === AST_NODE_TYPES.ArrowFunctionExpression) {
    // From `async (…)` through `=>`: the part of an arrow that reads as its head.
    const arrow = sourceCode.getTokenBefore(fn.body, token => token.value === '=>');
    if (arrow) return { start: fn.loc.start, end: arrow.loc.end };
  }
  return ASTUtils.getFunctionHeadLocation(fn, sourceCode);
}

/** How an action is named in messages: its name, or a description of where it is. */
export function actionLabel(action: ServerAction): string {
  return action.name ?? (action.origin === 'inline' ? 'this inline Server Action' : 'this Server Action');
}

/** How a message starts a sentence about an action: "Server Action `save`", "This inline Server Action". */
export function actionSubject(action: ServerAction): string {
  if (action.name === 'default' && action.origin === 'export') return 'The default-exported Server Action';
  if (action.name) return `Server Action \`${action.name}\``;
  const label = actionLabel(action);
  return label.charAt(0).toUpperCase() + label.slice(1);
}
