import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESTree } from '@typescript-eslint/utils';
import { skipTypeWrappers } from '../utils/ast.js';
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

/** The HTTP handlers a module exports, in source order, with the function each one runs. */
export function routeHandlers(program: TSESTree.Program): RouteHandler[] {
  const handlers: RouteHandler[] = [];
  // Only the few HTTP method names are followed: every export doing so would rescan the file each time.
  const add = (name: string, nameNode: TSESTree.Node, handler: () => FunctionNode | undefined) => {
    const fn = isHttpMethod(name) ? handler() : undefined;
    if (fn) handlers.push({ method: name, nameNode, fn });
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
  return handlers;
}
