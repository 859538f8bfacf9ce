import { createRequire } from 'node:module';
import path from 'node:path';
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { childNodes } from '../utils/ast.js';
import { warnMissingPeer } from '../utils/missing-peer.js';
import { getFileFacts } from './file-kind.js';
import { clearStore, derive, getStoreGeneration, type Tier } from './store.js';
import { resolveImport } from './modules.js';
import { type FunctionNode, isFunctionNode } from './server-actions.js';
import type { Context } from '../utils/context.js';
import { exportedName, isReassigned } from './scope.js';
import { getExportTable } from './exports.js';

/*
 * Other project modules, seen the way the linted file is: parsed by the same parser, with scopes,
 * and wrapped in a context that the effects and data-layer analysis accept in place of a rule
 * context. This is what lets the effects of an imported helper be computed in its own module.
 *
 * A module is read and parsed at most once per change, as the store's full tier, and kept until
 * the store sees it change, so the analysis cached on its nodes stays valid. Files over 1 MB (generated code),
 * unreadable files and files that do not parse are remembered as "no module". The parser and
 * ESLint's `SourceCode` are loaded on the first cross-file question only. Nothing here throws.
 */

type Scope = TSESLint.Scope.Scope;

/** A function exported by another module, with what it takes to analyse it there. */
export interface ForeignFunction {
  /** The absolute path of the module that declares the function. */
  file: string;
  /** A context for that module: `sourceCode`, `filename`, `physicalFilename`, `cwd` and the caller's `settings`. */
  context: Context;
  fn: FunctionNode;
}

interface ParsedModule {
  file: string;
  sourceCode: TSESLint.SourceCode;
  moduleScope: Scope | undefined;
  /**
   * Synthetic contexts, one per settings object of the files that import this module. Weak: each
   * new `ESLint` instance brings new settings objects, and the module outlives them.
   */
  contexts: WeakMap<object, Context>;
}

/** How many `export … from` / import hops are followed to find where an exported function is written. */
const MAX_HOPS = 4;
const JSX_EXTENSIONS = /\.(?:[jt]sx|[cm]?js)$/;

const contextModules = new WeakMap<Context, ParsedModule>();
const counters = { reads: 0, parses: 0 };

interface Toolchain {
  parse: (code: string, options: Record<string, unknown>) => TSESTree.Program;
  analyze: (program: TSESTree.Program, options: Record<string, unknown>) => TSESLint.Scope.ScopeManager;
  visitorKeys: TSESLint.SourceCode.VisitorKeys;
  SourceCode: new (config: {
    text: string;
    ast: TSESTree.Program;
    parserServices: unknown;
    scopeManager: TSESLint.Scope.ScopeManager;
    visitorKeys: TSESLint.SourceCode.VisitorKeys;
  }) => TSESLint.SourceCode;
}

let toolchain: Toolchain | null | undefined;

/**
 * The parser's own parts rather than `parseForESLint`: ESLint needs tokens and comments for every
 * file it lints, the analysis of another module needs neither, and converting them is more than
 * half of that module's parse.
 */
function loadToolchain(): Toolchain | undefined {
  if (toolchain === undefined) {
    const require = createRequire(import.meta.url);
    const load = <T>(name: string, peer: 'eslint' | 'typescript', neededFor: string): T | undefined => {
      try {
        return require(name) as T;
      } catch {
        warnMissingPeer(peer, neededFor);
        return undefined;
      }
    };
    const neededFor = 'imported modules are parsed with @typescript-eslint/typescript-estree';
    const estree = load<Pick<Toolchain, 'parse'>>('@typescript-eslint/typescript-estree', 'typescript', neededFor);
    const scopes = estree && load<Pick<Toolchain, 'analyze'>>('@typescript-eslint/scope-manager', 'typescript', neededFor);
    const keys = scopes && load<{ visitorKeys: Toolchain['visitorKeys'] }>('@typescript-eslint/visitor-keys', 'typescript', neededFor);
    const eslint = keys && load<Pick<Toolchain, 'SourceCode'>>('eslint', 'eslint', "imported modules are read through ESLint's SourceCode");
    toolchain =
      typeof estree?.parse === 'function' && typeof scopes?.analyze === 'function' && keys?.visitorKeys && typeof eslint?.SourceCode === 'function'
        ? { parse: estree.parse, analyze: scopes.analyze, visitorKeys: keys.visitorKeys, SourceCode: eslint.SourceCode }
        : null;
  }
  return toolchain ?? undefined;
}

/** ESLint links nodes to their parents while it traverses; a module parsed here is never traversed. */
function linkParents(program: TSESTree.Program, visitorKeys: TSESLint.SourceCode.VisitorKeys): void {
  const stack: TSESTree.Node[] = [program];
  while (stack.length > 0) {
    const node = stack.pop()!;
    for (const child of childNodes(node, visitorKeys)) {
      (child as { parent?: TSESTree.Node }).parent = node;
      stack.push(child);
    }
  }
}

function parseModule(file: string, text: string): ParsedModule | undefined {
  const tools = loadToolchain();
  if (!tools) return undefined;
  try {
    counters.parses++;
    const code = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    const ast = tools.parse(code, {
      range: true,
      loc: true,
      tokens: false,
      comment: false,
      jsx: JSX_EXTENSIONS.test(file),
      filePath: file,
      loggerFn: false,
      // TypeScript's own syntax errors still throw; the extra ESTree grammar checks (misplaced
      // modifiers and the like, which a module Next.js builds never has) are a quarter of the parse.
      allowInvalidAST: true,
    });
    (ast as { tokens?: unknown[] }).tokens = [];
    (ast as { comments?: unknown[] }).comments = [];
    // No implicit lib globals (a quarter of the scope analysis): the analysis treats an unresolved
    // name (`Promise`, `fetch`) as the global it is, exactly as a lib variable without definitions.
    const scopeManager = tools.analyze(ast, { sourceType: 'module', lib: [] });
    linkParents(ast, tools.visitorKeys);
    const sourceCode = new tools.SourceCode({
      text: code,
      ast,
      parserServices: {},
      scopeManager,
      visitorKeys: tools.visitorKeys,
    });
    const moduleScope = scopeManager.globalScope?.childScopes.find(scope => scope.type === 'module');
    return { file, sourceCode, moduleScope, contexts: new WeakMap() };
  } catch {
    return undefined;
  }
}

const parsedTier: Tier<ParsedModule | undefined> = {
  name: 'parsed',
  build(file, text, complete) {
    counters.reads++;
    return complete ? parseModule(file, text) : undefined;
  },
};

/** The parsed module at `file`: read and parsed once per change, through the store; undefined when it cannot be. */
function loadModule(file: string): ParsedModule | undefined {
  return derive(file, parsedTier);
}

/**
 * The syntax tree of a project module, from the same per-mtime cache that import following uses,
 * so that a module is read and parsed once whichever analysis asks for it first.
 */
export function loadModuleProgram(file: string): TSESTree.Program | undefined {
  return loadModule(file)?.sourceCode.ast as TSESTree.Program | undefined;
}

/**
 * The module at `file` parsed with its scopes, from the same cache as import following: the caller
 * analysis reads the importers of every action module, and without tokens a tree is cheaper to
 * keep than to parse again for the next action module that shares the importer.
 */
export function parseModuleSource(file: string): TSESLint.SourceCode | undefined {
  return loadModule(file)?.sourceCode;
}

/** The key for files linted without settings. */
const NO_SETTINGS = {};

function contextFor(module: ParsedModule, from: Context): Context {
  const key: object = from.settings ?? NO_SETTINGS;
  let context = module.contexts.get(key);
  if (!context) {
    context = Object.freeze({
      sourceCode: module.sourceCode,
      filename: module.file,
      physicalFilename: module.file,
      cwd: from.cwd,
      settings: from.settings,
    }) as unknown as Context;
    module.contexts.set(key, context);
    contextModules.set(context, module);
  }
  return context;
}

// ---------------------------------------------------------------------------------------------
// Exports

interface Search {
  seen: Set<string>;
  hops: number;
}

function functionInModule(module: ParsedModule, from: Context, specifier: string, imported: string, search: Search): ForeignFunction | undefined {
  if (search.hops > MAX_HOPS) return undefined;
  const file = resolveImport(module.file, specifier);
  if (file === undefined) return undefined;
  const target = loadModule(file);
  return target && exportedFunction(target, from, imported, { ...search, hops: search.hops + 1 });
}

function exportedFunction(module: ParsedModule, from: Context, name: string, search: Search): ForeignFunction | undefined {
  const key = `${module.file}\0${name}`;
  if (search.seen.has(key)) return undefined;
  search.seen.add(key);
  const { names, stars } = getExportTable(module.sourceCode.ast as TSESTree.Program);
  const entry = names.get(name);
  if (entry?.kind === 'value') return valueFunction(module, from, entry.node, search);
  if (entry?.kind === 'local') return bindingFunction(module, from, entry.name, search);
  if (entry?.kind === 'reexport') return functionInModule(module, from, entry.specifier, entry.imported, search);
  if (entry || name === 'default') return undefined;
  for (const star of stars) {
    const found = functionInModule(module, from, star, name, search);
    if (found) return found;
  }
  return undefined;
}

/** `cache(async () => …)` from React and `unstable_cache(async () => …, keys)`: the function still runs on a miss. */
const CACHE_WRAPPERS = new Set(['cache', 'unstable_cache']);

function wrappedFunction(call: TSESTree.CallExpression): TSESTree.Node | undefined {
  const callee = call.callee;
  const name =
    callee.type === AST_NODE_TYPES.Identifier
      ? callee.name
      : callee.type === AST_NODE_TYPES.MemberExpression && !callee.computed && callee.property.type === AST_NODE_TYPES.Identifier
        ? callee.property.name
        : undefined;
  const [first] = call.arguments;
  return name !== undefined && CACHE_WRAPPERS.has(name) && first && first.type !== AST_NODE_TYPES.SpreadElement ? first : undefined;
}

function valueFunction(module: ParsedModule, from: Context, node: TSESTree.Node, search: Search): ForeignFunction | undefined {
  let value = node;
  while (
    value.type === AST_NODE_TYPES.TSAsExpression ||
    value.type === AST_NODE_TYPES.TSSatisfiesExpression ||
    value.type === AST_NODE_TYPES.TSNonNullExpression ||
    value.type === AST_NODE_TYPES.TSTypeAssertion
  ) {
    value = value.expression;
  }
  if (isFunctionNode(value)) return { file: module.file, context: contextFor(module, from), fn: value };
  if (value.type === AST_NODE_TYPES.Identifier) return bindingFunction(module, from, value.name, search);
  if (value.type === AST_NODE_TYPES.CallExpression) {
    const wrapped = wrappedFunction(value);
    return wrapped && valueFunction(module, from, wrapped, search);
  }
  return undefined;
}

/** The function a module-level name is bound to: declared there, or imported from a further module. */
function bindingFunction(module: ParsedModule, from: Context, name: string, search: Search): ForeignFunction | undefined {
  const variable = module.moduleScope?.set.get(name);
  if (!variable || variable.defs.length !== 1 || isReassigned(variable)) return undefined;
  const definition = variable.defs[0]!;
  switch (definition.type) {
    case 'FunctionName':
      return isFunctionNode(definition.node) ? { file: module.file, context: contextFor(module, from), fn: definition.node } : undefined;
    case 'Variable':
      return definition.node.id.type === AST_NODE_TYPES.Identifier && definition.node.init ? valueFunction(module, from, definition.node.init, search) : undefined;
    case 'ImportBinding': {
      const declaration = definition.parent;
      const specifier = definition.node;
      if (declaration.type !== AST_NODE_TYPES.ImportDeclaration || declaration.importKind === 'type') return undefined;
      if (specifier.type === AST_NODE_TYPES.ImportNamespaceSpecifier || specifier.type === AST_NODE_TYPES.TSImportEqualsDeclaration) return undefined;
      if (specifier.type === AST_NODE_TYPES.ImportSpecifier && specifier.importKind === 'type') return undefined;
      const imported = specifier.type === AST_NODE_TYPES.ImportDefaultSpecifier ? 'default' : exportedName(specifier.imported);
      return functionInModule(module, from, declaration.source.value, imported, search);
    }
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Entry points

/** Whether a context is one this module made for another file, rather than ESLint's for the linted file. */
export function isForeignContext(context: Context): boolean {
  return contextModules.has(context);
}

/** The absolute path of the file a context analyses: the linted file, or the module a foreign context stands for. */
export function contextFile(context: Context): string {
  return contextModules.get(context)?.file ?? getFileFacts(context).filename;
}

/**
 * The function that `import { imported } from 'source'` names, in the project module the import
 * resolves to (relative imports and tsconfig `paths`, as resolveImport): an exported function
 * declaration, `export const name = async () => …` (also through React's `cache(…)` or
 * `unstable_cache(…)`), `export { local as name }`, the default export, and `export … from` /
 * `export *` re-exports a few modules deep. Undefined for packages, files that cannot be read
 * or parsed, files over 1 MB, and exports that are not plain functions (objects, classes,
 * action-client wrappers).
 */
export function resolveImportedFunction(context: Context, source: string, imported: string): ForeignFunction | undefined {
  if (imported === '*') return undefined;
  const from = contextFile(context);
  const answers = answersFor(context);
  const key = `${from}\0${source}\0${imported}`;
  if (answers.has(key)) return answers.get(key);
  const file = resolveImport(from, source);
  const module = file === undefined || path.resolve(file) === from ? undefined : loadModule(file);
  const found = module && exportedFunction(module, context, imported, { seen: new Set(), hops: 0 });
  answers.set(key, found);
  return found;
}

/**
 * Answers of resolveImportedFunction by importing file, specifier and name, per settings object
 * (the function's context carries the settings), until a module changes on disk. An editor
 * re-lints the same imports at every keystroke, each time with new nodes to ask from.
 */
const answersBySettings = new WeakMap<object, { generation: number; answers: Map<string, ForeignFunction | undefined> }>();

function answersFor(context: Context): Map<string, ForeignFunction | undefined> {
  const key: object = context.settings ?? NO_SETTINGS;
  const generation = getStoreGeneration().content;
  let entry = answersBySettings.get(key);
  if (entry?.generation !== generation) answersBySettings.set(key, (entry = { generation, answers: new Map() }));
  return entry.answers;
}

/**
 * A number that changes whenever a module parsed earlier has changed on disk: analysis cached on
 * the nodes of other modules may have followed calls into its old version.
 */
export function getForeignModulesVersion(): number {
  return getStoreGeneration().content;
}

/** How often modules have been read and parsed in this process: each at most once per modification time. */
export function getForeignModuleStats(): Readonly<typeof counters> {
  return { ...counters };
}

/** Forget every parsed module, so that a test can start from a cold cache. */
export function clearForeignModuleCaches(): void {
  clearStore();
  counters.reads = 0;
  counters.parses = 0;
}
