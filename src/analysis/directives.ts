import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import * as ASTUtils from '@typescript-eslint/utils/ast-utils';

/** The directives Next.js and React act on. `use cache` also stands for `use cache: <kind>`. */
export type KnownDirective = 'use server' | 'use client' | 'use cache';

export interface Directive {
  /** The cooked string value, as SWC compares it (`'use\x20server'` is `use server`). */
  value: string;
  node: TSESTree.ExpressionStatement;
}

type StatementList = readonly TSESTree.ProgramStatement[] | readonly TSESTree.Statement[];

function stringValue(statement: TSESTree.Node): string | undefined {
  if (statement.type !== AST_NODE_TYPES.ExpressionStatement) return undefined;
  const { expression } = statement;
  return expression.type === AST_NODE_TYPES.Literal && typeof expression.value === 'string'
    ? expression.value
    : undefined;
}

function isTypeOnlyImport(statement: TSESTree.Node): boolean {
  return statement.type === AST_NODE_TYPES.ImportDeclaration && statement.importKind === 'type';
}

/**
 * The directive prologue of a file or function body. Follows ESTree's `directive` field, plus one
 * deliberate extension: `import type` lines are erased before Next.js looks for directives, so a
 * string right after them is a directive to Next.js although ESTree does not mark it.
 */
export function getPrologue(body: StatementList): Directive[] {
  const directives: Directive[] = [];
  let afterTypeImport = false;
  for (const statement of body) {
    if (isTypeOnlyImport(statement)) {
      afterTypeImport = true;
      continue;
    }
    if (statement.type !== AST_NODE_TYPES.ExpressionStatement) break;
    const value = stringValue(statement);
    // A parenthesised string starts after the statement does; it is never a directive.
    const unwrapped = statement.expression.range[0] === statement.range[0];
    const isDirective = statement.directive !== undefined || (afterTypeImport && unwrapped);
    if (!isDirective || value === undefined) break;
    directives.push({ value, node: statement });
  }
  return directives;
}

const cacheKind = /^use cache: [A-Za-z0-9_-]+$/;

/** Which known directive a cooked string is, if it is exactly one of them. */
export function knownDirective(value: string): KnownDirective | undefined {
  if (value === 'use server' || value === 'use client' || value === 'use cache') return value;
  return cacheKind.test(value) ? 'use cache' : undefined;
}

export function hasDirective(prologue: readonly Directive[], name: KnownDirective): boolean {
  return prologue.some(directive => knownDirective(directive.value) === name);
}

function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length]!;
}

/** Directives other tools own; never treat them as typos of ours. */
const foreignDirectives = new Set(['use strict', 'use asm', 'use memo', 'use no memo', 'use forget', 'use no forget']);

/**
 * The directive a near-miss string was meant to be (`use sever`, `use-server`, `'use server;'`,
 * `use action`, `use cache:remote`), or undefined when the string is not close to one.
 * Next.js rejects these at build time with "Did you mean …?".
 */
export function intendedDirective(value: string): string | undefined {
  if (knownDirective(value) || foreignDirectives.has(value) || value.length < 6) return undefined;
  const cacheVariant = /^\s*use[\s_-]*cache\s*:\s*([A-Za-z0-9_-]+)\s*;?\s*$/i.exec(value);
  if (cacheVariant) return `use cache: ${cacheVariant[1]!}`;
  const normalized = value.toLowerCase().replace(/[-_]/g, ' ').replace(/\s+/g, ' ').replace(/;$/, '').trim();
  if (normalized === 'use action') return 'use server';
  let best: { directive: string; distance: number } | undefined;
  for (const directive of ['use server', 'use client', 'use cache']) {
    const distance = normalized === directive ? 0 : editDistance(value, directive, 2);
    if (distance <= 2 && (!best || distance < best.distance)) best = { directive, distance };
  }
  return best?.directive;
}

export type DirectiveMistake =
  | { kind: 'misplaced'; directive: string; place: 'file' | 'function body' }
  | { kind: 'wrapped'; directive: string; place: 'file' | 'function body'; misplaced: boolean }
  | { kind: 'misspelled'; written: string; directive: string }
  | { kind: 'backtick'; directive: string };

export type DirectiveScope = TSESTree.Program | TSESTree.BlockStatement;

/** The statement list whose prologue can hold directives: a file, or a function's block body. */
export function directiveScopeOf(statement: TSESTree.Node): DirectiveScope | undefined {
  const { parent } = statement;
  if (parent?.type === AST_NODE_TYPES.Program) return parent;
  if (
    parent?.type === AST_NODE_TYPES.BlockStatement &&
    (parent.parent.type === AST_NODE_TYPES.FunctionDeclaration ||
      parent.parent.type === AST_NODE_TYPES.FunctionExpression ||
      parent.parent.type === AST_NODE_TYPES.ArrowFunctionExpression)
  ) {
    return parent;
  }
  return undefined;
}

function isLeading(statement: TSESTree.Statement, scope: DirectiveScope): boolean {
  for (const sibling of scope.body) {
    if (sibling === statement) return true;
    if (isTypeOnlyImport(sibling)) continue;
    if (sibling.type !== AST_NODE_TYPES.ExpressionStatement) return false;
    const isStringStatement =
      stringValue(sibling) !== undefined ||
      (sibling.expression.type === AST_NODE_TYPES.TemplateLiteral && sibling.expression.expressions.length === 0);
    if (!isStringStatement) return false;
  }
  return false;
}

/**
 * What is wrong with a string expression statement that looks like a directive, if anything.
 * Only statements directly in a file or function body count: that is where Next.js looks.
 */
export function findDirectiveMistake(
  statement: TSESTree.ExpressionStatement,
  sourceCode: Readonly<TSESLint.SourceCode>,
): DirectiveMistake | undefined {
  const scope = directiveScopeOf(statement);
  if (!scope) return undefined;
  const place = scope.type === AST_NODE_TYPES.Program ? 'file' : 'function body';
  const { expression } = statement;

  if (expression.type === AST_NODE_TYPES.TemplateLiteral) {
    if (expression.expressions.length > 0 || !isLeading(statement, scope)) return undefined;
    const cooked = expression.quasis[0]?.value.cooked ?? '';
    const directive = knownDirective(cooked) ? cooked : intendedDirective(cooked);
    return directive ? { kind: 'backtick', directive } : undefined;
  }

  const value = stringValue(statement);
  if (value === undefined) return undefined;
  const leading = isLeading(statement, scope);
  const wrapped = ASTUtils.isParenthesized(expression, sourceCode);

  if (knownDirective(value)) {
    if (wrapped) return { kind: 'wrapped', directive: value, place, misplaced: !leading };
    // A string after `import type` only is accepted by Next.js (see getPrologue).
    if (statement.directive === undefined && !leading) return { kind: 'misplaced', directive: value, place };
    return undefined;
  }
  if (!leading) return undefined;
  const directive = intendedDirective(value);
  return directive ? { kind: 'misspelled', written: value, directive } : undefined;
}
