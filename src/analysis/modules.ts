import { createRequire } from 'node:module';
import path from 'node:path';
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESTree } from '@typescript-eslint/utils';
import * as ASTUtils from '@typescript-eslint/utils/ast-utils';
import type * as TypeScript from 'typescript';
import { clearStore, derive, directoryExists, fileExists, getStoreGeneration, realpath, type Tier } from './store.js';
import { getFileFacts } from './file-kind.js';
import { findActionForFunction, type FunctionNode, isFunctionNode } from './server-actions.js';
import { skipTypeWrappers } from '../utils/ast.js';
import { packageName } from '../utils/create-rule.js';
import { warnMissingPeer } from '../utils/missing-peer.js';
import type { Context } from '../utils/context.js';
import { isReassigned } from './scope.js';

/*
 * Cross-file knowledge: where an import leads and what the target module declares.
 *
 * Resolution is TypeScript's own (`ts.resolveModuleName`) with the compiler options of the nearest
 * tsconfig.json/jsconfig.json, so `paths`, `baseUrl`, `extends`, index files and extension
 * probing behave as in the editor. TypeScript is loaded on the first cross-file question only;
 * without it every answer is "unknown" (undefined / false). Nothing here throws.
 *
 * Everything read from disk comes from the store (store.ts): each file is read and scanned at most
 * once per change, and resolution answers are dropped when the store sees files or folders
 * appear, go away or be renamed, so an editor session follows the disk.
 */

/** What a module declares, from a light scan of its text (no parse). */
export interface ModuleInfo {
  /** The cooked strings of the file's directive prologue, in order (`use server`, `use client`, …). */
  directives: string[];
  /** The file starts with `"use server"`: every export is a Server Action. */
  isServerActionsFile: boolean;
  /**
   * The value names a "use server" file exports (`default` included). Undefined for other files,
   * and when the scan cannot list them all (`export *`, destructured exports, CommonJS).
   */
  exportedNames: Set<string> | undefined;
  /** `export … from '…'` statements, so that a barrel file can pass actions through. */
  reexports: readonly Reexport[];
  /**
   * The text names `next/navigation`: only then can a function written in the module call
   * `redirect()` or `notFound()` itself (true when the file was too large to read whole).
   */
  mentionsNavigation: boolean;
}

export interface Reexport {
  specifier: string;
  /** Exported name → name in the source module, or `*` for `export * from`. */
  names: ReadonlyMap<string, string> | '*';
}

type Ts = typeof TypeScript;

// ---------------------------------------------------------------------------------------------
// Cached file system

interface Counters {
  fileReads: number;
  configParses: number;
  resolutions: number;
}

const counters: Counters = { fileReads: 0, configParses: 0, resolutions: 0 };

const configTextTier: Tier<string | undefined> = {
  name: 'config-text',
  build(_file, text, complete) {
    counters.fileReads++;
    return complete ? text : undefined;
  },
};

/** Config and package.json text for TypeScript, from the store. */
function readText(file: string): string | undefined {
  return derive(file, configTextTier);
}

/** The layout generation the resolution caches below were filled in: older answers are dropped. */
let resolvedInLayout = -1;

function forgetStaleResolutions(): void {
  const { layout } = getStoreGeneration();
  if (layout === resolvedInLayout) return;
  resolvedInLayout = layout;
  configFileByDir.clear();
  resolverByConfig.clear();
  resolutionCache.clear();
  aliasCache.clear();
}

// ---------------------------------------------------------------------------------------------
// TypeScript and configs

let typescript: Ts | null | undefined;

function loadTypeScript(): Ts | undefined {
  if (typescript === undefined) {
    try {
      typescript = createRequire(import.meta.url)('typescript') as Ts;
    } catch {
      typescript = null;
      warnMissingPeer('typescript', 'imports are resolved with TypeScript, as your tsconfig says');
    }
  }
  return typescript ?? undefined;
}

interface ResolverConfig {
  options: TypeScript.CompilerOptions;
  cache: TypeScript.ModuleResolutionCache;
  host: TypeScript.ModuleResolutionHost;
}

const configFileByDir = new Map<string, string | undefined>();
const resolverByConfig = new Map<string, ResolverConfig>();

/** The nearest tsconfig.json (or, failing that, jsconfig.json) upwards from a folder. */
function findConfigFile(dir: string): string | undefined {
  if (configFileByDir.has(dir)) return configFileByDir.get(dir);
  const own = ['tsconfig.json', 'jsconfig.json'].map(name => path.join(dir, name)).find(fileExists);
  const parent = path.dirname(dir);
  const found = own ?? (parent === dir ? undefined : findConfigFile(parent));
  configFileByDir.set(dir, found);
  return found;
}

function createHost(ts: Ts): TypeScript.ModuleResolutionHost & TypeScript.ParseConfigHost {
  return {
    useCaseSensitiveFileNames: ts.sys.useCaseSensitiveFileNames,
    fileExists,
    directoryExists,
    readFile: readText,
    realpath,
    getCurrentDirectory: () => process.cwd(),
    // Only compiler options are wanted; listing the project's files would cost a full directory walk.
    readDirectory: () => [],
  };
}

function warnBrokenConfig(configFile: string, reason: string): void {
  console.warn(`${packageName}: ${configFile} cannot be read (${reason}); its path aliases are ignored, so imports through them are not followed.`);
}

function resolverFor(ts: Ts, configFile: string | undefined): ResolverConfig {
  const key = configFile ?? '';
  const cached = resolverByConfig.get(key);
  if (cached) return cached;
  const host = createHost(ts);
  let options: TypeScript.CompilerOptions = {};
  if (configFile) {
    counters.configParses++;
    const { config, error } = ts.readConfigFile(configFile, readText);
    // A broken config still leaves relative imports resolvable with the defaults; say once that aliases are off.
    if (error) warnBrokenConfig(configFile, ts.flattenDiagnosticMessageText(error.messageText, ' '));
    if (!error && config) {
      options = ts.parseJsonConfigFileContent(config, host, path.dirname(configFile), undefined, configFile).options;
    }
  }
  // Next.js resolves like a bundler whatever `moduleResolution` says, and loads .js next to .ts.
  const resolved: TypeScript.CompilerOptions = {
    ...options,
    allowJs: true,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
  };
  const config: ResolverConfig = {
    options: resolved,
    cache: ts.createModuleResolutionCache(configFile ? path.dirname(configFile) : process.cwd(), name => name, resolved),
    host,
  };
  resolverByConfig.set(key, config);
  return config;
}

const SOURCE_EXTENSIONS = new Set(['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs']);
// Imported in nearly every component and never project files: skip the node_modules lookups.
const FRAMEWORK_PACKAGES = /^(?:react|react-dom|next)(?:\/|$)/;
const resolutionCache = new Map<string, string | undefined>();
/**
 * Files found through a tsconfig `paths` alias (`@/lib/db`), by config and specifier: the answer
 * is the same from every folder, and an app imports the same aliased modules from hundreds of
 * folders. Only found files are kept; a miss falls back to node_modules, which depends on the folder.
 */
const aliasCache = new Map<string, string>();

function matchesPathAlias(paths: TypeScript.MapLike<string[]> | undefined, specifier: string): boolean {
  for (const pattern in paths) {
    const star = pattern.indexOf('*');
    if (star === -1 ? specifier === pattern : specifier.startsWith(pattern.slice(0, star)) && specifier.endsWith(pattern.slice(star + 1))) return true;
  }
  return false;
}

/**
 * Whether `specifier` matches a tsconfig/jsconfig `paths` pattern of the config that governs
 * `fromFile` (`@/lib/db` under `"@/*"`): a name the project gave its own modules, never a package.
 */
export function isPathAlias(fromFile: string, specifier: string): boolean {
  const ts = loadTypeScript();
  if (!ts) return false;
  forgetStaleResolutions();
  try {
    return matchesPathAlias(resolverFor(ts, findConfigFile(path.dirname(fromFile))).options.paths, specifier);
  } catch {
    return false;
  }
}

/**
 * The project source file an import specifier loads, as an absolute path: relative imports,
 * tsconfig/jsconfig `paths` and `baseUrl` (with `extends`), index files, `.ts`/`.tsx`/`.js`/`.jsx`,
 * and workspace packages whose real path lies outside node_modules. Undefined for installed
 * packages, declaration files, JSON, anything that does not resolve, and when TypeScript cannot
 * be loaded. `fromFile` is the absolute path of the importing file.
 */
export function resolveImport(fromFile: string, specifier: string): string | undefined {
  const ts = loadTypeScript();
  if (!ts || specifier === '' || FRAMEWORK_PACKAGES.test(specifier)) return undefined;
  forgetStaleResolutions();
  const fromDir = path.dirname(fromFile);
  const configFile = findConfigFile(fromDir);
  const key = `${configFile ?? ''}\0${fromDir}\0${specifier}`;
  if (resolutionCache.has(key)) return resolutionCache.get(key);
  const aliasKey = `${configFile ?? ''}\0${specifier}`;
  const aliased = aliasCache.get(aliasKey);
  if (aliased !== undefined) return aliased;
  let result: string | undefined;
  try {
    const resolver = resolverFor(ts, configFile);
    counters.resolutions++;
    const { resolvedModule } = ts.resolveModuleName(specifier, fromFile, resolver.options, resolver.host, resolver.cache);
    if (resolvedModule && SOURCE_EXTENSIONS.has(resolvedModule.extension)) {
      const file = path.resolve(resolvedModule.resolvedFileName);
      if (!file.split(path.sep).includes('node_modules')) result = file;
      if (result !== undefined && matchesPathAlias(resolver.options.paths, specifier)) aliasCache.set(aliasKey, result);
    }
  } catch {
    result = undefined;
  }
  resolutionCache.set(key, result);
  return result;
}

// ---------------------------------------------------------------------------------------------
// Module facts from a light scan

const moduleInfoTier: Tier<ModuleInfo> = {
  name: 'module-info',
  build(_file, text, complete) {
    counters.fileReads++;
    return scanModule(text, complete);
  },
};

/**
 * The directives and, for a "use server" file, the exported names of a source file, from the
 * store: read at most once per change; undefined when the file is missing, unreadable or not a
 * file. Files over the size cap are generated code: only their head is read, for the prologue.
 */
export function getModuleInfo(file: string): ModuleInfo | undefined {
  return derive(file, moduleInfoTier);
}

function scanModule(text: string, complete: boolean): ModuleInfo {
  const directives = scanPrologue(text);
  const isServerActionsFile = directives.includes('use server');
  if (!complete) return { directives, isServerActionsFile, exportedNames: undefined, reexports: [], mentionsNavigation: true };
  const exports = scanExports(text);
  return {
    directives,
    isServerActionsFile,
    exportedNames: isServerActionsFile && exports.complete ? exports.names : undefined,
    reexports: exports.reexports,
    mentionsNavigation: text.includes('next/navigation'),
  };
}

const LINE_BREAK = /[\n\r\u2028\u2029]/;

/** Skips whitespace and comments from `start`; tells whether a line break was crossed. */
function skipTrivia(text: string, start: number): { pos: number; newline: boolean } {
  let pos = start;
  let newline = false;
  while (pos < text.length) {
    const char = text[pos]!;
    if (LINE_BREAK.test(char)) {
      newline = true;
      pos++;
    } else if (/\s/.test(char)) {
      pos++;
    } else if (text.startsWith('//', pos)) {
      const end = text.slice(pos).search(LINE_BREAK);
      pos = end === -1 ? text.length : pos + end;
    } else if (text.startsWith('/*', pos)) {
      const end = text.indexOf('*/', pos + 2);
      if (end === -1) return { pos: text.length, newline };
      if (LINE_BREAK.test(text.slice(pos, end))) newline = true;
      pos = end + 2;
    } else {
      break;
    }
  }
  return { pos, newline };
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', 0: '\0' };

/** The value of a string literal body, as SWC compares directives (`'use\x20server'`). */
function cook(raw: string): string {
  return raw.replace(/\\(?:x([0-9a-fA-F]{2})|u\{([0-9a-fA-F]+)\}|u([0-9a-fA-F]{4})|(\r\n|[\s\S]))/g, (_, hex, braced, unicode, other: string | undefined) => {
    const code = hex ?? braced ?? unicode;
    if (code !== undefined) return String.fromCodePoint(Number.parseInt(code, 16));
    if (other === undefined || LINE_BREAK.test(other)) return '';
    return SIMPLE_ESCAPES[other] ?? other;
  });
}

// Characters that continue an expression onto the next line, so no semicolon is inserted.
const CONTINUATION = /^(?:[.(\[+\-*\/%,?=<>&|^`]|!=|in\b|instanceof\b)/;
const TYPE_IMPORT = /import\s+type\b(?!\s*from\s*['"]|\s*=)[^;'"]*?\bfrom\s*(['"])[^'"\n\r]*\1[ \t]*;?/y;

/**
 * The directive prologue of a file from its text: leading string statements, skipping comments,
 * a hashbang and `import type` lines (erased before Next.js looks, as in directives.ts).
 */
export function scanPrologue(text: string): string[] {
  const directives: string[] = [];
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (text.startsWith('#!', pos)) {
    const end = text.slice(pos).search(LINE_BREAK);
    pos = end === -1 ? text.length : pos + end;
  }
  for (;;) {
    pos = skipTrivia(text, pos).pos;
    TYPE_IMPORT.lastIndex = pos;
    if (TYPE_IMPORT.test(text)) {
      pos = TYPE_IMPORT.lastIndex;
      continue;
    }
    const quote = text[pos];
    if (quote !== '"' && quote !== "'") return directives;
    let end = pos + 1;
    while (end < text.length && text[end] !== quote) {
      if (text[end] === '\\') end++;
      else if (LINE_BREAK.test(text[end]!)) return directives;
      end++;
    }
    if (end >= text.length) return directives;
    const value = cook(text.slice(pos + 1, end));
    const after = skipTrivia(text, end + 1);
    const next = text.slice(after.pos, after.pos + 12);
    if (next.startsWith(';')) {
      pos = after.pos + 1;
    } else if (after.pos >= text.length || (after.newline && (/^(?:\+\+|--)/.test(next) || !CONTINUATION.test(next)))) {
      pos = after.pos;
    } else {
      return directives;
    }
    directives.push(value);
  }
}

const IDENTIFIER = '[A-Za-z_$\\u00a0-\\uffff][\\w$\\u00a0-\\uffff]*';
const EXPORT_AT_LINE_START = /^[ \t]*export\b/gm;
const EXPORT_FORMS = {
  default: /\s+default\b/y,
  function: new RegExp(`\\s+(?:async\\s+)?function\\b\\s*\\*?\\s*(${IDENTIFIER})`, 'y'),
  class: new RegExp(`\\s+(?:abstract\\s+)?class\\s+(${IDENTIFIER})`, 'y'),
  enum: new RegExp(`\\s+enum\\s+(${IDENTIFIER})`, 'y'),
  variable: new RegExp(`\\s+(?:const|let|var)\\s+(?!enum\\b)(${IDENTIFIER}|[{[])`, 'y'),
  // Erased at compile time, or not a value binding of the module.
  typeOnly: /\s+(?:type|interface|declare|namespace|module|import|as\s+namespace)\b/y,
  list: /\s*\{([^}]*)\}[ \t]*(?:from\s*(['"])([^'"\n\r]+)\2)?/y,
  star: new RegExp(`\\s*\\*\\s*(?:as\\s+(${IDENTIFIER}|'[^'\\n]*'|"[^"\\n]*")\\s*)?from\\s*(['"])([^'"\\n\\r]+)\\2`, 'y'),
};
const LIST_ITEM = new RegExp(`^(${IDENTIFIER}|'[^']*'|"[^"]*")(?:\\s+as\\s+(${IDENTIFIER}|'[^']*'|"[^"]*"))?$`);

function unquote(name: string): string {
  return name.startsWith("'") || name.startsWith('"') ? name.slice(1, -1) : name;
}

function matchAt(pattern: RegExp, text: string, pos: number): RegExpExecArray | null {
  pattern.lastIndex = pos;
  return pattern.exec(text);
}

/**
 * Export statements found at line starts. Conservative: any form it does not understand makes
 * the name list incomplete rather than wrong. Commented-out exports may add a name that nothing
 * can import, which is harmless.
 */
export function scanExports(text: string): { names: Set<string>; complete: boolean; reexports: Reexport[] } {
  const names = new Set<string>();
  const reexports: Reexport[] = [];
  let complete = !/\bmodule\.exports\b|\bexports\.[A-Za-z_$]/.test(text);
  for (const match of text.matchAll(EXPORT_AT_LINE_START)) {
    const pos = match.index + match[0].length;
    let found: RegExpExecArray | null;
    if (matchAt(EXPORT_FORMS.default, text, pos)) {
      names.add('default');
    } else if ((found = matchAt(EXPORT_FORMS.function, text, pos) ?? matchAt(EXPORT_FORMS.class, text, pos) ?? matchAt(EXPORT_FORMS.enum, text, pos))) {
      names.add(found[1]!);
    } else if ((found = matchAt(EXPORT_FORMS.variable, text, pos))) {
      if (found[1] === '{' || found[1] === '[') complete = false;
      else names.add(found[1]!);
    } else if (matchAt(EXPORT_FORMS.typeOnly, text, pos)) {
      continue;
    } else if ((found = matchAt(EXPORT_FORMS.list, text, pos))) {
      const mapped = new Map<string, string>();
      for (const item of found[1]!.split(',').map(part => part.trim()).filter(Boolean)) {
        if (/^type\s/.test(item)) continue;
        const parts = LIST_ITEM.exec(item);
        if (!parts) {
          complete = false;
          continue;
        }
        const local = unquote(parts[1]!);
        const exported = unquote(parts[2] ?? parts[1]!);
        names.add(exported);
        mapped.set(exported, local);
      }
      if (found[3] !== undefined) reexports.push({ specifier: found[3], names: mapped });
    } else if ((found = matchAt(EXPORT_FORMS.star, text, pos))) {
      if (found[1] === undefined) {
        complete = false;
        reexports.push({ specifier: found[3]!, names: '*' });
      } else {
        names.add(unquote(found[1]));
      }
    } else {
      complete = false;
    }
  }
  return { names, complete, reexports };
}

// ---------------------------------------------------------------------------------------------
// Server Action references in the linted file

const MAX_DEPTH = 4;

/**
 * Whether the export `name` of the module `specifier` (imported from `fromFile`) is a Server
 * Action: exported by a "use server" file, directly or through barrels' `export … from`. It
 * resolves the module; text-gates.mayImportServerAction is the resolve-free test a rule asks first.
 */
export function importsServerAction(fromFile: string, specifier: string, name: string): boolean {
  return followImport(fromFile, specifier, name, 0, new Set());
}

function followImport(fromFile: string, specifier: string, name: string, depth: number, seen: Set<string>): boolean {
  const file = resolveImport(fromFile, specifier);
  if (!file || seen.has(`${file}\0${name}`) || depth > MAX_DEPTH) return false;
  seen.add(`${file}\0${name}`);
  const info = getModuleInfo(file);
  if (!info) return false;
  if (info.isServerActionsFile) return info.exportedNames === undefined || info.exportedNames.has(name);
  // Any barrel passes actions through, a "use client" one included: they stay action references.
  return info.reexports.some(reexport => {
    if (reexport.names === '*') return name !== 'default' && followImport(file, reexport.specifier, name, depth + 1, seen);
    const imported = reexport.names.get(name);
    return imported !== undefined && followImport(file, reexport.specifier, imported, depth + 1, seen);
  });
}

type Variable = NonNullable<ReturnType<typeof ASTUtils.findVariable>>;

const variableCache = new WeakMap<Variable, boolean>();

/**
 * Whether an identifier names a Server Action: an import from a "use server" module (or a barrel
 * re-exporting one), an action this file defines (inline "use server" function, or an export of a
 * "use server" file), a `const` alias or `action.bind(null, …)` of one, or a prop of a component
 * in this file whose every `<Component prop={…}>` in this file passes an action.
 */
export function isServerActionReference(context: Context, identifier: TSESTree.Identifier): boolean {
  return referenceIsAction(context, identifier, 0);
}

/**
 * Like isServerActionReference, for any expression that can name an action: also
 * `actions.save` of `import * as actions`, `props.onSave`, `save.bind(null, id)`, `save!`.
 */
export function isServerActionExpression(context: Context, node: TSESTree.Node): boolean {
  return expressionIsAction(context, node, 0);
}

function referenceIsAction(context: Context, identifier: TSESTree.Identifier, depth: number): boolean {
  const variable = ASTUtils.findVariable(context.sourceCode.getScope(identifier), identifier);
  return variable ? variableIsAction(context, variable, depth) : false;
}

function propertyName(node: TSESTree.MemberExpression): string | undefined {
  if (!node.computed) return node.property.type === AST_NODE_TYPES.Identifier ? node.property.name : undefined;
  return node.property.type === AST_NODE_TYPES.Literal && typeof node.property.value === 'string' ? node.property.value : undefined;
}

function expressionIsAction(context: Context, node: TSESTree.Node, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  const expression = skipTypeWrappers(node);
  if (expression.type === AST_NODE_TYPES.Identifier) return referenceIsAction(context, expression, depth);
  if (expression.type === AST_NODE_TYPES.MemberExpression) {
    const name = propertyName(expression);
    const object = skipTypeWrappers(expression.object);
    if (name === undefined || object.type !== AST_NODE_TYPES.Identifier) return false;
    const variable = ASTUtils.findVariable(context.sourceCode.getScope(object), object);
    const def = variable?.defs.length === 1 ? variable.defs[0]! : undefined;
    if (def?.type === 'ImportBinding' && def.node.type === AST_NODE_TYPES.ImportNamespaceSpecifier && def.parent.type === AST_NODE_TYPES.ImportDeclaration) {
      return def.parent.importKind !== 'type' && importsServerAction(getFileFacts(context).filename, def.parent.source.value, name);
    }
    if (def?.type === 'Parameter' && isFunctionNode(def.node) && def.node.params[0] === def.name) {
      return propIsAction(context, def.node, name, depth);
    }
    return false;
  }
  if (expression.type === AST_NODE_TYPES.CallExpression) {
    const callee = skipTypeWrappers(expression.callee);
    return (
      callee.type === AST_NODE_TYPES.MemberExpression &&
      propertyName(callee) === 'bind' &&
      expression.arguments.length > 0 &&
      expressionIsAction(context, callee.object, depth + 1)
    );
  }
  return isFunctionNode(expression) && findActionForFunction(context, expression) !== undefined;
}

function variableIsAction(context: Context, variable: Variable, depth: number): boolean {
  const cached = variableCache.get(variable);
  if (cached !== undefined) return cached;
  // Provisional answer for cycles (`const a = b, b = a`).
  variableCache.set(variable, false);
  const result = depth <= MAX_DEPTH && variable.defs.length === 1 && !isReassigned(variable) && definitionIsAction(context, variable.defs[0]!, depth);
  variableCache.set(variable, result);
  return result;
}

function definitionIsAction(context: Context, def: Variable['defs'][number], depth: number): boolean {
  switch (def.type) {
    case 'ImportBinding': {
      const { node, parent } = def;
      if (parent.type !== AST_NODE_TYPES.ImportDeclaration || parent.importKind === 'type') return false;
      if (node.type === AST_NODE_TYPES.ImportNamespaceSpecifier || node.type === AST_NODE_TYPES.TSImportEqualsDeclaration) return false;
      if (node.type === AST_NODE_TYPES.ImportSpecifier && node.importKind === 'type') return false;
      const imported =
        node.type === AST_NODE_TYPES.ImportDefaultSpecifier
          ? 'default'
          : node.imported.type === AST_NODE_TYPES.Identifier
            ? node.imported.name
            : node.imported.value;
      return importsServerAction(getFileFacts(context).filename, parent.source.value, imported);
    }
    case 'FunctionName':
      return isFunctionNode(def.node) && findActionForFunction(context, def.node) !== undefined;
    case 'Variable': {
      const declarator = def.node;
      if (declarator.id !== def.name) return destructuredPropIsAction(context, def.name, declarator, depth);
      return declarator.init !== null && expressionIsAction(context, declarator.init, depth + 1);
    }
    case 'Parameter': {
      const prop = isFunctionNode(def.node) ? destructuredPropName(def.name, def.node.params[0]) : undefined;
      return prop !== undefined && propIsAction(context, def.node as FunctionNode, prop, depth);
    }
    default:
      return false;
  }
}

/** `onSave` for the binding `onSave` in `({ onSave, other = 1 })`, when `pattern` holds it at top level. */
function destructuredPropName(name: TSESTree.Node, pattern: TSESTree.Node | undefined): string | undefined {
  if (pattern?.type !== AST_NODE_TYPES.ObjectPattern) return undefined;
  let node: TSESTree.Node = name;
  if (node.parent?.type === AST_NODE_TYPES.AssignmentPattern && node.parent.left === node) node = node.parent;
  const property = node.parent;
  if (property?.type !== AST_NODE_TYPES.Property || property.value !== node || property.parent !== pattern) return undefined;
  if (!property.computed && property.key.type === AST_NODE_TYPES.Identifier) return property.key.name;
  return property.key.type === AST_NODE_TYPES.Literal && typeof property.key.value === 'string' ? property.key.value : undefined;
}

/** `const { onSave } = props` inside a component whose first parameter is `props`. */
function destructuredPropIsAction(context: Context, name: TSESTree.Identifier, declarator: TSESTree.VariableDeclarator, depth: number): boolean {
  const prop = destructuredPropName(name, declarator.id);
  const init = declarator.init && skipTypeWrappers(declarator.init);
  if (prop === undefined || init?.type !== AST_NODE_TYPES.Identifier) return false;
  const variable = ASTUtils.findVariable(context.sourceCode.getScope(init), init);
  const def = variable?.defs.length === 1 ? variable.defs[0]! : undefined;
  if (def?.type !== 'Parameter' || !isFunctionNode(def.node) || def.node.params[0] !== def.name) return false;
  return propIsAction(context, def.node, prop, depth);
}

/** The variable a component function is declared as: `function Form`, `const Form = () => …`. */
function componentVariable(context: Context, fn: FunctionNode): Variable | undefined {
  const declaration = fn.type === AST_NODE_TYPES.FunctionDeclaration ? fn : fn.parent.type === AST_NODE_TYPES.VariableDeclarator ? fn.parent : undefined;
  const id = declaration?.id;
  if (id?.type !== AST_NODE_TYPES.Identifier || !/^[A-Z]/.test(id.name)) return undefined;
  return context.sourceCode.getDeclaredVariables(declaration!).find(variable => variable.name === id.name);
}

function isExportedDeclaration(variable: Variable): boolean {
  return variable.defs.some(def => {
    const holder = def.type === 'Variable' ? def.node.parent.parent : def.node.parent;
    return holder?.type === AST_NODE_TYPES.ExportNamedDeclaration || holder?.type === AST_NODE_TYPES.ExportDefaultDeclaration;
  });
}

/**
 * A prop is an action when the component stays in this file (not exported, only rendered as
 * JSX) and every element that renders it passes an action for that prop. Anything else
 * (spread props, other callers, an exported component) leaves the question open, which is "no".
 */
function propIsAction(context: Context, fn: FunctionNode, prop: string, depth: number): boolean {
  const component = componentVariable(context, fn);
  if (!component || isExportedDeclaration(component) || depth > MAX_DEPTH) return false;
  let rendered = 0;
  for (const reference of component.references) {
    if (reference.init) continue;
    const { identifier } = reference;
    const { parent } = identifier;
    if (parent?.type === AST_NODE_TYPES.JSXClosingElement) continue;
    if (parent?.type !== AST_NODE_TYPES.JSXOpeningElement || parent.name !== identifier) return false;
    if (parent.attributes.some(attribute => attribute.type === AST_NODE_TYPES.JSXSpreadAttribute)) return false;
    const attribute = parent.attributes.find(
      (candidate): candidate is TSESTree.JSXAttribute =>
        candidate.type === AST_NODE_TYPES.JSXAttribute && candidate.name.type === AST_NODE_TYPES.JSXIdentifier && candidate.name.name === prop,
    );
    const value = attribute?.value;
    if (value?.type !== AST_NODE_TYPES.JSXExpressionContainer || value.expression.type === AST_NODE_TYPES.JSXEmptyExpression) return false;
    if (!expressionIsAction(context, value.expression, depth + 1)) return false;
    rendered++;
  }
  return rendered > 0;
}

// ---------------------------------------------------------------------------------------------
// Tests and benchmarks

/** How much disk work the caches have let through so far in this process. */
export function getModuleCacheStats(): Readonly<Counters> {
  return { ...counters };
}

/** Forget everything read from disk, so that a test can change a tree. */
export function clearModuleCaches(): void {
  clearStore();
  configFileByDir.clear();
  resolverByConfig.clear();
  resolutionCache.clear();
  counters.fileReads = 0;
  counters.configParses = 0;
  counters.resolutions = 0;
}
