import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESTree } from '@typescript-eslint/utils';
import { skipTypeWrappers } from '../utils/ast.js';
import { getExportTable } from './exports.js';
import { isHttpMethod } from './routes.js';
import { type FunctionNode, isFunctionNode } from './server-actions.js';

/** An HTTP handler a Route Handler file exports: `export async function POST`, `export const PUT = withAuth(async …)`. */
export interface RouteHandler {
  /** The exported name: one of the HTTP methods. */
  method: string;
  /** The identifier that exports it; findings about the whole handler go here. */
  nameNode: TSESTree.Node;
  fn: FunctionNode;
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
  return target.type === AST_NODE_TYPES.Identifier ? declaredFunction(program, target.name, depth) : undefined;
}

/** The function a module-level `name` is declared as, directly or through what its initializer hands on. */
function declaredFunction(program: TSESTree.Program, name: string, depth: number): FunctionNode | undefined {
  for (const statement of program.body) {
    const declaration = statement.type === AST_NODE_TYPES.ExportNamedDeclaration ? statement.declaration : statement;
    if (declaration?.type === AST_NODE_TYPES.FunctionDeclaration && declaration.id?.name === name) return declaration;
    if (declaration?.type === AST_NODE_TYPES.VariableDeclaration) {
      const declarator = declaration.declarations.find(item => item.id.type === AST_NODE_TYPES.Identifier && item.id.name === name);
      if (declarator) return handlerFunction(program, declarator.init, depth + 1);
    }
  }
  return undefined;
}

/** The HTTP handlers a module exports, in source order, with the function each one runs. */
export function routeHandlers(program: TSESTree.Program): RouteHandler[] {
  const handlers: RouteHandler[] = [];
  for (const [method, entry] of getExportTable(program).names) {
    // Only the few HTTP method names are followed: every export doing so would rescan the file each time.
    if (!isHttpMethod(method) || (entry.kind !== 'value' && entry.kind !== 'local')) continue;
    const fn = entry.kind === 'value' ? handlerFunction(program, entry.node) : declaredFunction(program, entry.name, 0);
    if (fn) handlers.push({ method, nameNode: entry.nameNode, fn });
  }
  return handlers;
}
