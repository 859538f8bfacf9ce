import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { getBodyFacts, IN_OWN_THIS } from '../analysis/action-facts.js';
import { type Directive, directiveScopeOf, findDirectiveMistake, knownDirective } from '../analysis/directives.js';
import { getFileFacts } from '../analysis/file-kind.js';
import {
  actionLabel,
  actionReportLoc,
  type ExportEntry,
  findActionForFunction,
  type FunctionNode,
  getServerActions,
  isFunctionNode,
} from '../analysis/server-actions.js';
import type { Context } from '../utils/context.js';
import { addAsyncFix, lineBreakOf } from '../utils/fixers.js';
import { createRule } from '../utils/create-rule.js';

export type Options = [];
export type MessageIds =
  | 'syncExport'
  | 'valueExportBuild'
  | 'valueExportRuntime'
  | 'reexport'
  | 'syncInlineAction'
  | 'forbiddenExpression'
  | 'inlineActionInClientComponent'
  | 'instanceMethodAction'
  | 'clientAndServer'
  | 'serverAndCache'
  | 'serverDirectiveInRoute'
  | 'misplacedDirective'
  | 'misplacedConflictingDirective'
  | 'wrappedDirective'
  | 'misspelledDirective'
  | 'misspelledClientDirective'
  | 'misplacedClientDirective'
  | 'clientAndCache'
  | 'backtickDirective'
  | 'addAsync'
  | 'removeDirective'
  | 'replaceDirective'
  | 'moveDirectiveToTop';

const ONLY_ASYNC = 'Only async functions are allowed to be exported in a "use server" file.';

/** The `this`, `arguments` and `super` of an action body, which Next.js rejects in actions. */
function findForbiddenExpressions(context: Context, fn: FunctionNode): TSESTree.Node[] {
  const found: TSESTree.Node[] = [];
  for (const { node, where } of getBodyFacts(context, fn).nodes) {
    // Regular functions and classes bring their own `this`/`arguments`; arrows share the action's.
    if (where & IN_OWN_THIS) continue;
    if (node.type === AST_NODE_TYPES.ThisExpression || node.type === AST_NODE_TYPES.Super) {
      found.push(node);
    } else if (node.type === AST_NODE_TYPES.Identifier && node.name === 'arguments' && isArgumentsReference(node)) {
      found.push(node);
    }
  }
  return found;
}

function isArgumentsReference(node: TSESTree.Identifier): boolean {
  const { parent } = node;
  if (parent.type === AST_NODE_TYPES.MemberExpression && parent.property === node && !parent.computed) return false;
  // A shorthand `{ arguments }` holds the name twice, as key and as value: the value counts.
  if ((parent.type === AST_NODE_TYPES.Property || parent.type === AST_NODE_TYPES.MethodDefinition) && parent.key === node && !parent.computed) {
    return false;
  }
  return true;
}

function quote(value: string): string {
  return JSON.stringify(value);
}

export default createRule<Options, MessageIds>({
  name: 'valid-server-actions',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow Server Action and directive mistakes that Next.js only reports at build time or at runtime',
      recommended: 'error',
    },
    fixable: 'code',
    hasSuggestions: true,
    schema: [],
    messages: {
      syncExport:
        '`{{name}}` is exported from a "use server" file but is not async, so every export of this file is a Server Action and `next build` fails: "Server Actions must be async functions." Make it `async`, or move it to a module without "use server" if it is a helper.',
      valueExportBuild:
        '`{{name}}` is {{description}}, exported from a "use server" file. `next build` fails: "' + ONLY_ASYNC + '" Move it to a module without "use server" and import it from there.',
      valueExportRuntime:
        '`{{name}}` is {{description}}, exported from a "use server" file. It compiles, but the route crashes when it loads: "A "use server" file can only export async functions, found {{typeOf}}." Move it to a module without "use server" and import it from there.',
      reexport:
        '`{{statement}}` re-exports from a "use server" file, and `next build` fails: "' + ONLY_ASYNC + '" Import the actions where they are used from {{source}} directly, or import them here and export them by name.',
      syncInlineAction:
        '{{name}} carries "use server" but is not async, and `next build` fails: "Server Actions must be async functions." Make it `async`.',
      forbiddenExpression:
        '`{{keyword}}` inside a Server Action fails `next build`: "Server Actions cannot use `{{keyword}}`." An action runs as a separate request with no receiver; pass what it needs as arguments.',
      inlineActionInClientComponent:
        'An inline "use server" function in a "use client" file fails `next build`: "It is not allowed to define inline "use server" annotated Server Actions in Client Components." Export it from a separate "use server" file and import it, or pass it down as a prop from a Server Component.',
      instanceMethodAction:
        '"use server" on a class instance method fails `next build`: "It is not allowed to define inline "use server" annotated class instance methods." Use a function, an object method or a static method instead.',
      clientAndServer:
        'This file starts with both "use client" and "use server", and `next build` fails: "It\'s not possible to have both "use client" and "use server" directives in the same file." Keep the actions in their own "use server" file and import them into the Client Component.',
      serverAndCache:
        'This file starts with both "use server" and {{cache}}, and `next build` fails: "Conflicting directives "use server" and "use cache" found in the same file." Keep one: "use server" for mutations called from the client, {{cache}} for cached reads.',
      serverDirectiveInRoute:
        '"use server" at the top of a Route Handler turns its HTTP handlers into Server Action references, and any config export (`dynamic`, `revalidate`) fails `next build`. Route Handlers answer HTTP requests on their own: remove the directive.',
      misplacedDirective:
        '{{directive}} is not the first statement of the {{place}}, so it is not a directive: `next build` fails ("The {{directive}} directive must be at the top of the {{place}}.") and TypeScript silently treats it as a plain string. Move it above every import and statement; comments may stay above it.',
      misplacedConflictingDirective:
        '{{directive}} is not the first statement of the {{place}}, so it is not a directive: `next build` fails ("The {{directive}} directive must be at the top of the {{place}}."). Moving it up is no fix: {{conflict}}. Put the code that needs {{directive}} in a file of its own and import it.',
      wrappedDirective:
        '{{directive}} is wrapped in parentheses, so it is not a directive: `next build` fails ("The {{directive}} directive cannot be wrapped in parentheses.") and TypeScript treats it as a plain string. Remove the parentheses{{andMove}}.',
      misspelledClientDirective:
        '{{written}} is not "use client": Next.js ignores it, so this file is a Server Component, and hooks, event handlers and browser APIs in it fail when the page renders. Write "use client".',
      misplacedClientDirective:
        '"use client" is not the first statement of the file, so it is not a directive, and `next build` fails: "The "use client" directive must be placed before other expressions. Move it to the top of the file to resolve this issue." Comments may stay above it.',
      clientAndCache:
        'This file starts with both "use client" and {{cache}}, and `next build` fails: "It\'s not possible to have both "use client" and "use cache" directives in the same file." Cached functions run on the server: keep them in a module without "use client".',
      misspelledDirective:
        '{{written}} is not a directive Next.js knows, and `next build` fails: "Did you mean {{directive}}? {{written}} is not a supported directive name." Write {{directive}}.',
      backtickDirective:
        '{{directive}} written with backticks is never a directive: Next.js and React ignore it, so this code is not what you meant it to be. Use single or double quotes.',
      addAsync: 'Make `{{name}}` async.',
      removeDirective: 'Remove the "use server" directive.',
      replaceDirective: 'Replace it with {{directive}}.',
      moveDirectiveToTop: 'Move {{directive}} to the top of the {{place}}.',
    },
  },
  create(context) {
    const { sourceCode } = context;
    const facts = getFileFacts(context);

    function reportExport(entry: ExportEntry): void {
      switch (entry.kind) {
        case 'sync-function': {
          const fix = addAsyncFix(entry.action.fn, sourceCode);
          context.report({
            node: entry.node,
            messageId: 'syncExport',
            data: { name: entry.action.name ?? 'default' },
            suggest: fix ? [{ messageId: 'addAsync', data: { name: entry.action.name ?? 'default' }, fix }] : [],
          });
          break;
        }
        case 'value':
          context.report({
            node: entry.node,
            messageId: entry.failure === 'build' ? 'valueExportBuild' : 'valueExportRuntime',
            data: { name: entry.name, description: entry.description, typeOf: entry.typeOf ?? 'function' },
          });
          break;
        case 'reexport': {
          const text = sourceCode.getText(entry.node).replace(/\s+/g, ' ');
          context.report({
            node: entry.node,
            messageId: 'reexport',
            data: { statement: text.length > 60 ? `${text.slice(0, 57)}...` : text, source: quote(entry.source) },
          });
          break;
        }
        default:
          break;
      }
    }

    function reportForbidden(fn: FunctionNode): void {
      for (const node of findForbiddenExpressions(context, fn)) {
        const keyword = node.type === AST_NODE_TYPES.ThisExpression ? 'this' : node.type === AST_NODE_TYPES.Super ? 'super' : 'arguments';
        context.report({ node, messageId: 'forbiddenExpression', data: { keyword } });
      }
    }

    function checkFilePrologue(prologue: readonly Directive[]): void {
      const server = prologue.find(directive => knownDirective(directive.value) === 'use server');
      const client = prologue.find(directive => knownDirective(directive.value) === 'use client');
      const cache = prologue.find(directive => knownDirective(directive.value) === 'use cache');
      if (server && client) {
        const later = server.node.range[0] > client.node.range[0] ? server : client;
        context.report({ node: later.node, messageId: 'clientAndServer' });
      }
      if (client && cache) {
        context.report({ node: cache.node, messageId: 'clientAndCache', data: { cache: quote(cache.value) } });
      }
      if (server && cache) {
        context.report({ node: server.node, messageId: 'serverAndCache', data: { cache: quote(cache.value) } });
      }
      if (server && facts.kind === 'route-handler') {
        context.report({
          node: server.node,
          messageId: 'serverDirectiveInRoute',
          suggest: [{ messageId: 'removeDirective', fix: fixer => removeStatement(fixer, server.node) }],
        });
      }
    }

    /** Removes a statement, and its line when nothing else stands on it. */
    function removeStatement(fixer: TSESLint.RuleFixer, statement: TSESTree.Node): TSESLint.RuleFix {
      const { text } = sourceCode;
      const before = text.slice(0, statement.range[0]);
      const lineStart = Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r')) + 1;
      const newline = /\r\n?|\n/.exec(text.slice(statement.range[1]));
      const lineEnd = newline ? statement.range[1] + newline.index + newline[0].length : text.length;
      const aloneOnLine =
        text.slice(lineStart, statement.range[0]).trim() === '' && text.slice(statement.range[1], lineEnd).trim() === '';
      return fixer.removeRange(aloneOnLine ? [lineStart, lineEnd] : statement.range);
    }


    function checkInlineAction(fn: FunctionNode, directive: TSESTree.ExpressionStatement): void {
      if (facts.isClient) {
        context.report({ node: directive, messageId: 'inlineActionInClientComponent' });
        return;
      }
      if (fn.parent.type === AST_NODE_TYPES.MethodDefinition && !fn.parent.static) {
        context.report({ node: directive, messageId: 'instanceMethodAction' });
        return;
      }
      // File-level exports are checked with the file; this covers functions with their own directive.
      const action = findActionForFunction(context, fn);
      if (!fn.async && !(action?.origin === 'export')) {
        const label = action ? actionLabel(action) : 'This function';
        context.report({
          loc: action ? actionReportLoc(action, sourceCode) : directive.loc,
          messageId: 'syncInlineAction',
          data: { name: label === 'this inline Server Action' ? 'This inline Server Action' : `\`${label}\`` },
          fix: addAsyncFix(fn, sourceCode),
        });
      }
      if (action?.origin !== 'export') reportForbidden(fn);
    }

    /**
     * Why a misplaced directive cannot move to the top of its scope: the file already starts with
     * a directive it cannot be combined with, or it would make an inline action in a Client Component.
     */
    function movingConflict(directive: string, place: 'file' | 'function body'): string | undefined {
      if (place === 'function body') {
        return directive === 'use server' && facts.isClient ? 'this is a Client Component, and Next.js rejects inline Server Actions there' : undefined;
      }
      // Any two of "use client", "use server" and "use cache" at the top of a file fail the build.
      const moved = knownDirective(directive);
      const other = facts.prologue.find(found => {
        const known = knownDirective(found.value);
        return known !== undefined && known !== moved;
      });
      return other && `the file starts with ${quote(other.value)}, and a file cannot be both`;
    }

    function checkStringStatement(statement: TSESTree.ExpressionStatement): void {
      const mistake = findDirectiveMistake(statement, sourceCode);
      if (!mistake) return;
      const scope = directiveScopeOf(statement)!;
      switch (mistake.kind) {
        case 'misplaced': {
          // "use client" only means something at the top of a file; Next.js ignores it in a function.
          if (mistake.directive === 'use client' && mistake.place !== 'file') return;
          const conflict = movingConflict(mistake.directive, mistake.place);
          if (conflict) {
            context.report({
              node: statement,
              messageId: 'misplacedConflictingDirective',
              data: { directive: quote(mistake.directive), place: mistake.place, conflict },
            });
            return;
          }
          const first = scope.body[0]!;
          context.report({
            node: statement,
            messageId: mistake.directive === 'use client' ? 'misplacedClientDirective' : 'misplacedDirective',
            data: { directive: quote(mistake.directive), place: mistake.place },
            suggest: [
              {
                messageId: 'moveDirectiveToTop',
                data: { directive: quote(mistake.directive), place: mistake.place },
                fix: fixer => [
                  fixer.insertTextBefore(first, `${quote(mistake.directive)};${lineBreakOf(sourceCode)}${' '.repeat(first.loc.start.column)}`),
                  removeStatement(fixer, statement),
                ],
              },
            ],
          });
          break;
        }
        case 'wrapped':
          context.report({
            node: statement,
            messageId: 'wrappedDirective',
            data: { directive: quote(mistake.directive), andMove: mistake.misplaced ? ` and move it to the top of the ${mistake.place}` : '' },
            suggest: mistake.misplaced
              ? []
              : [{ messageId: 'replaceDirective', data: { directive: quote(mistake.directive) }, fix: fixer => fixer.replaceText(statement, `${quote(mistake.directive)};`) }],
          });
          break;
        case 'misspelled':
        case 'backtick':
          context.report({
            node: statement,
            messageId:
              mistake.kind === 'backtick'
                ? 'backtickDirective'
                : mistake.directive === 'use client'
                  ? 'misspelledClientDirective'
                  : 'misspelledDirective',
            data: { directive: quote(mistake.directive), written: mistake.kind === 'misspelled' ? quote(mistake.written) : '' },
            suggest: [{ messageId: 'replaceDirective', data: { directive: quote(mistake.directive) }, fix: fixer => fixer.replaceText(statement.expression, quote(mistake.directive)) }],
          });
          break;
      }
    }

    return {
      Program() {
        checkFilePrologue(facts.prologue);
        if (!facts.isServerActionsFile) return;
        for (const entry of getServerActions(context).exports) {
          reportExport(entry);
          if ((entry.kind === 'action' || entry.kind === 'sync-function') && !entry.action.wrapper) reportForbidden(entry.action.fn);
        }
      },
      ExpressionStatement(statement) {
        const { expression } = statement;
        const isStringLike =
          (expression.type === AST_NODE_TYPES.Literal && typeof expression.value === 'string') ||
          (expression.type === AST_NODE_TYPES.TemplateLiteral && expression.expressions.length === 0);
        if (!isStringLike) return;
        checkStringStatement(statement);
        const fn = statement.parent.parent;
        if (
          statement.directive !== undefined &&
          expression.type === AST_NODE_TYPES.Literal &&
          knownDirective(expression.value as string) === 'use server' &&
          statement.parent.type === AST_NODE_TYPES.BlockStatement &&
          isFunctionNode(fn) &&
          fn.body === statement.parent
        ) {
          checkInlineAction(fn, statement);
        }
      },
    };
  },
});
