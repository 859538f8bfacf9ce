import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { visitorKeys as typescriptVisitorKeys } from '@typescript-eslint/visitor-keys';
import { skipTypeWrappers, walkNodes } from '../../utils/ast.js';
import { importedName } from '../../utils/imports.js';
import { chainCalls } from '../data-layer.js';
import { calleePath } from '../effects.js';
import { loadModuleProgram } from '../foreign-module.js';
import { resolveImport } from '../modules.js';
import { isFunctionNode } from '../server-actions.js';
import { AUTH_MIDDLEWARE, isAuthCalleeName, lastSegment } from './names.js';

/*
 * Whether an action client or wrapper authenticates, read from its definition: in the linted file,
 * or in the modules it is imported from, loaded without scopes and read statement by statement.
 * A definition authenticates when it calls an authentication function: inside the wrapper
 * function, in a middleware of the client chain (`.use(async ({ next }) => …)`), or in the client
 * it is built from.
 */

const MAX_MODULE_HOPS = 4;

type TopLevelBinding =
  | { kind: 'value'; node: TSESTree.Node }
  | { kind: 'import'; source: string; imported: string };

interface ModuleWalk {
  configured: (path: string) => boolean;
  seen: Set<string>;
}

/** What a module exports under the name an import specifier reads. */
function exportOf(specifier: TSESTree.Node): string {
  return specifier.type === AST_NODE_TYPES.ImportSpecifier ? importedName(specifier) : 'default';
}

/** Whether the function body `root` calls an authentication function, known by name alone. */
export function containsAuthCall(root: TSESTree.Node, configured: (path: string) => boolean): boolean {
  let found = false;
  // Definitions in other modules come from the TypeScript parser, whatever parser lints this file.
  walkNodes(root, typescriptVisitorKeys as TSESLint.SourceCode['visitorKeys'], node => {
    if (found) return 'skip';
    if (node.type === AST_NODE_TYPES.CallExpression && isAuthCalleeName(calleePath(node.callee), node, configured)) found = true;
    return undefined;
  });
  return found;
}

/** What a module-level name is bound to, read from the statements (no scope analysis). */
function topLevelBinding(program: TSESTree.Program, name: string): TopLevelBinding | undefined {
  let local = name;
  for (const statement of program.body) {
    if (statement.type !== AST_NODE_TYPES.ExportNamedDeclaration || statement.source) continue;
    for (const specifier of statement.specifiers) {
      const exported = specifier.exported.type === AST_NODE_TYPES.Identifier ? specifier.exported.name : specifier.exported.value;
      if (exported === name && specifier.local.type === AST_NODE_TYPES.Identifier) local = specifier.local.name;
    }
  }
  for (const statement of program.body) {
    if (statement.type === AST_NODE_TYPES.ImportDeclaration) {
      for (const specifier of statement.specifiers) {
        if (specifier.local.name !== local) continue;
        return { kind: 'import', source: statement.source.value, imported: exportOf(specifier) };
      }
      continue;
    }
    const declaration = statement.type === AST_NODE_TYPES.ExportNamedDeclaration ? statement.declaration : statement;
    if (declaration?.type === AST_NODE_TYPES.FunctionDeclaration && declaration.id?.name === local) return { kind: 'value', node: declaration };
    if (declaration?.type === AST_NODE_TYPES.VariableDeclaration) {
      for (const declarator of declaration.declarations) {
        if (declarator.id.type === AST_NODE_TYPES.Identifier && declarator.id.name === local && declarator.init) return { kind: 'value', node: declarator.init };
      }
    }
  }
  return undefined;
}

function importedNameAuthenticates(file: string, source: string, imported: string, walk: ModuleWalk, hops: number): boolean {
  const target = resolveImport(file, source);
  const program = target === undefined ? undefined : loadModuleProgram(target);
  return program !== undefined && moduleNameAuthenticates(target!, program, imported, walk, hops);
}

/** Whether the module-level name `name` of `file` is a client or wrapper that authenticates. */
function moduleNameAuthenticates(file: string, program: TSESTree.Program, name: string, walk: ModuleWalk, hops: number): boolean {
  const key = `${file}\0${name}`;
  if (walk.seen.has(key) || hops > MAX_MODULE_HOPS) return false;
  walk.seen.add(key);
  const binding = topLevelBinding(program, name);
  if (!binding) return false;
  if (binding.kind === 'value') return valueAuthenticatesIn(file, program, binding.node, walk, hops);
  return importedNameAuthenticates(file, binding.source, binding.imported, walk, hops + 1);
}

function valueAuthenticatesIn(file: string, program: TSESTree.Program, node: TSESTree.Node, walk: ModuleWalk, hops: number): boolean {
  const value = skipTypeWrappers(node);
  if (isFunctionNode(value)) return containsAuthCall(value.body, walk.configured);
  if (value.type === AST_NODE_TYPES.Identifier) return moduleNameAuthenticates(file, program, value.name, walk, hops);
  if (value.type !== AST_NODE_TYPES.CallExpression) return false;
  const { calls, root } = chainCalls(value);
  for (const link of calls) {
    for (const argument of link.arguments) {
      const inner = skipTypeWrappers(argument);
      if (isFunctionNode(inner) && containsAuthCall(inner.body, walk.configured)) return true;
      if (inner.type === AST_NODE_TYPES.Identifier && /^(?:use|middleware)$/.test(lastSegment(calleePath(link.callee)))) {
        if (AUTH_MIDDLEWARE.test(inner.name) || moduleNameAuthenticates(file, program, inner.name, walk, hops)) return true;
      }
    }
  }
  const base = skipTypeWrappers(root);
  return base.type === AST_NODE_TYPES.Identifier && calls[0]?.callee !== base && moduleNameAuthenticates(file, program, base.name, walk, hops);
}

/** Whether the import `specifier` of `file`, from `source`, is a client or wrapper that authenticates. */
export function importAuthenticates(file: string, source: string, specifier: TSESTree.Node, configured: (path: string) => boolean): boolean {
  return importedNameAuthenticates(file, source, exportOf(specifier), { configured, seen: new Set() }, 1);
}

/** Whether the value `node`, defined in `program` (the module `file`), is a client or wrapper that authenticates. */
export function valueAuthenticates(file: string, program: TSESTree.Program, node: TSESTree.Node, configured: (path: string) => boolean): boolean {
  return valueAuthenticatesIn(file, program, node, { configured, seen: new Set() }, 0);
}
