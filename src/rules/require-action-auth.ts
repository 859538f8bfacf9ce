import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import * as ASTUtils from '@typescript-eslint/utils/ast-utils';
import { type AuthCall, createAuthAnalyzer, isAuthFlowActionName, isContractName } from '../analysis/auth/index.js';
import type { Effect } from '../analysis/effects.js';
import { getFileFacts } from '../analysis/file-kind.js';
import { actionReportLoc, getServerActions, type ServerAction } from '../analysis/server-actions.js';
import { createNameMatcher, getSettings } from '../settings.js';
import { createRule } from '../utils/create-rule.js';
import { lineBreakOf, usesSemicolons } from '../utils/fixers.js';
import { importedName, importQuote } from '../utils/imports.js';
import { describeLine } from '../utils/locations.js';

export type Options = [
  {
    allow?: string[];
    authWrappers?: string[];
  },
];

export type MessageIds = 'missingAuth' | 'authNotEnforced' | 'authResultUnchecked' | 'authAfterWork' | 'addAuthCheck';

type SourceCode = Readonly<TSESLint.SourceCode>;

/** A configured auth function the suggestion can call as written: `auth`, `requireUser`, `auth.protect`. */
const CALLABLE_PATH = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$/;

function actionTitle(action: ServerAction): string {
  if (action.name === undefined) return action.origin === 'inline' ? 'This inline Server Action' : 'This Server Action';
  if (action.name === 'default') return 'The default-exported Server Action';
  return `Server Action \`${action.name}\``;
}

/** How the work reads in a message: `db.user.update`, or `POST https://api.example.com/refunds` for a request. */
function workLabel(found: Effect): string {
  if (found.kind !== 'http' || found.method === undefined) return found.label;
  const url = found.url === undefined ? undefined : /^(['"`])([^'"`$]*)\1$/.exec(found.url)?.[2];
  return url !== undefined && url.length <= 60 ? `${found.method} ${url}` : `${found.label} (${found.method})`;
}

/** Where the work is: `line 5`, or `lib/services/user.ts:5` in an imported module, and the helper it happens in. */
function whereData(context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>, found: Effect): { where: string; via: string } {
  const helper = found.via[found.via.length - 1];
  return { where: describeLine(context, found.origin, found.file), via: helper === undefined ? '' : `, in \`${helper}\`` };
}

/**
 * Every name the action declares, reads from outside or sees around it, so that the inserted
 * variable shadows nothing. The scopes around it are asked by name (`scope.set`) rather than
 * listed: a module of thousands of actions would otherwise be listed once per action.
 */
function namesInUse(sourceCode: SourceCode, fn: TSESTree.Node): { has(name: string): boolean } {
  const names = new Set<string>();
  const visit = (scope: TSESLint.Scope.Scope) => {
    for (const variable of scope.variables) names.add(variable.name);
    for (const reference of scope.through) names.add(reference.identifier.name);
    for (const child of scope.childScopes) visit(child);
  };
  const own = sourceCode.getScope(fn);
  visit(own);
  return {
    has(name) {
      if (names.has(name)) return true;
      for (let scope = own.upper; scope; scope = scope.upper) if (scope.set.has(name)) return true;
      return false;
    },
  };
}

function freshName(preferred: string, taken: { has(name: string): boolean }): string {
  if (!taken.has(preferred)) return preferred;
  for (let index = 2; ; index++) if (!taken.has(`${preferred}${index}`)) return `${preferred}${index}`;
}

function isClerkAuth(sourceCode: SourceCode, name: string, useSite: TSESTree.Node): boolean {
  if (name !== 'auth') return false;
  const definition = ASTUtils.findVariable(sourceCode.getScope(useSite), name)?.defs[0];
  return definition?.type === 'ImportBinding' && definition.parent.type === AST_NODE_TYPES.ImportDeclaration && definition.parent.source.value.startsWith('@clerk/');
}

interface AuthImport {
  local: string;
  imported: string;
  source: string;
}

/** The value imports of the file, as authentication candidates. */
function authImports(sourceCode: SourceCode): AuthImport[] {
  const found: AuthImport[] = [];
  for (const statement of sourceCode.ast.body) {
    if (statement.type !== AST_NODE_TYPES.ImportDeclaration || statement.importKind === 'type') continue;
    for (const specifier of statement.specifiers) {
      if (specifier.type !== AST_NODE_TYPES.ImportSpecifier || specifier.importKind === 'type') continue;
      const imported = importedName(specifier);
      found.push({ local: specifier.local.name, imported, source: statement.source.value });
    }
  }
  return found;
}

const USER_CHECK = /^(?:get|fetch|load|read)(?:Current|Auth|Authenticated|LoggedIn|SignedIn|Server)*(?:User|Viewer|Me)$/;
const SESSION_CHECK = /^(?:get|fetch|load|read|validate|verify)(?:Current|Auth|Server|Active|Verified)*Session$/;

/**
 * A guard for the authentication function the file imports, in the shape its library answers:
 * Clerk `auth()` gives `{ userId }`, Auth.js `auth()` a session or null, Lucia `validateRequest()`
 * `{ user }`, Kinde a set of functions, WorkOS `withAuth({ ensureSignedIn: true })` redirects by itself,
 * Better Auth `auth.api.getSession({ headers })`.
 */
function importedGuardLines(sourceCode: SourceCode, fn: TSESTree.Node, semicolon: string): string[] | undefined {
  const quote = importQuote(sourceCode);
  const fail = `throw new Error(${quote}Unauthorized${quote})${semicolon}`;
  const taken = namesInUse(sourceCode, fn);
  const check = (preferred: string, call: string) => {
    const name = freshName(preferred, taken);
    return [`const ${name} = await ${call}${semicolon}`, `if (!${name}) ${fail}`];
  };
  const destructured = (key: string, call: string) => {
    const name = freshName(key, taken);
    return [`const { ${name === key ? key : `${key}: ${name}`} } = ${call}${semicolon}`, `if (!${name}) ${fail}`];
  };
  const imports = authImports(sourceCode);
  const headers = imports.find(binding => binding.source === 'next/headers' && binding.imported === 'headers');
  for (const { local, imported, source } of imports) {
    if (source.startsWith('@clerk/')) {
      if (imported === 'auth') return destructured('userId', `await ${local}()`);
      if (imported === 'currentUser') return check('user', `${local}()`);
      continue;
    }
    if (source.startsWith('@kinde-oss/') && imported === 'getKindeServerSession') {
      const name = freshName('isAuthenticated', taken);
      return [`const { ${name === 'isAuthenticated' ? name : `isAuthenticated: ${name}`} } = ${local}()${semicolon}`, `if (!(await ${name}())) ${fail}`];
    }
    if (source.startsWith('@workos-inc/') && imported === 'withAuth') return [`await ${local}({ ensureSignedIn: true })${semicolon}`];
    if (source.startsWith('next-auth') && imported === 'getServerSession') {
      // Auth.js v4 needs the app's options: only when the file already passes them.
      const options = new RegExp(`\\b${local}\\(([A-Za-z_$][\\w$]*)\\)`).exec(sourceCode.text)?.[1];
      if (options !== undefined) return check('session', `${local}(${options})`);
      continue;
    }
    if (source === 'next-auth' || source.startsWith('next-auth/') || source.startsWith('@clerk') || source.startsWith('next/')) continue;
    if (imported === 'auth' && new RegExp(`\\b${local}\\.api\\.getSession\\b`).test(sourceCode.text)) {
      // Better Auth: the session comes from the request headers.
      if (headers) return check('session', `${local}.api.getSession({ headers: await ${headers.local}() })`);
      continue;
    }
    if (imported === 'auth') return check('session', `${local}()`);
    if (imported === 'validateRequest') return destructured('user', `await ${local}()`);
    if (isContractName(imported)) return [`await ${local}()${semicolon}`];
    if (USER_CHECK.test(imported)) return check('user', `${local}()`);
    if (SESSION_CHECK.test(imported)) return check('session', `${local}()`);
  }
  return undefined;
}

export default createRule<Options, MessageIds>({
  name: 'require-action-auth',
  meta: {
    type: 'problem',
    docs: {
      description: 'Require an authentication check before a Server Action does privileged work',
      strict: 'error',
    },
    hasSuggestions: true,
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          allow: {
            type: 'array',
            items: { type: 'string', minLength: 1 },
            uniqueItems: true,
            description: 'Names of Server Actions that are public on purpose (`subscribeToNewsletter`, `submit*`); `default` is the default export.',
          },
          authWrappers: {
            type: 'array',
            items: { type: 'string', minLength: 1 },
            uniqueItems: true,
            description: 'Wrapper functions and action clients that authenticate before they run the action (`withSession`, `memberClient`), in addition to the built-in names.',
          },
        },
      },
    ],
    defaultOptions: [{ allow: [], authWrappers: [] }],
    messages: {
      missingAuth:
        '{{action}} runs `{{work}}` ({{where}}{{via}}) without checking who is calling. Every Server Action is a public endpoint: anyone can call it with a direct POST request, whatever page renders it. Check the session at the top of the action and stop (`throw`, `return` or `redirect`) when nobody is signed in.{{allowHint}}',
      authNotEnforced:
        '{{action}} calls `{{check}}`, but `{{work}}` ({{where}}{{via}}) can still run when nobody is signed in: no `throw`, `return` or `redirect` on the result stops the action first. Every Server Action is a public endpoint that anyone can call with a direct POST request. Stop the action before the work when `{{check}}` finds no user.{{objectHint}}',
      authResultUnchecked:
        '{{action}} calls `{{check}}` but never checks its result before `{{work}}` ({{where}}{{via}}), so the work also runs when nobody is signed in. Every Server Action is a public endpoint that anyone can call with a direct POST request. Test what `{{check}}` returns and stop the action (`throw`, `return` or `redirect`) when it finds no user.{{objectHint}}',
      authAfterWork:
        '{{action}} runs `{{work}}` ({{where}}{{via}}) before its authentication check `{{check}}` on line {{checkLine}}, so an anonymous direct POST request has done the work by the time the check runs. Every Server Action is a public endpoint: move the check to the top of the action.',
      addAuthCheck: 'Start the action with an authentication check: `{{code}}`.',
    },
  },
  create(context, [options]) {
    const facts = getFileFacts(context);
    if (!facts.isServerActionsFile && !facts.mayHaveInlineActions) return {};
    const { sourceCode } = context;
    const allowed = createNameMatcher(options.allow ?? []);
    const analyzer = createAuthAnalyzer(context, { authWrappers: options.authWrappers ?? [] });

    function isExempt(action: ServerAction): boolean {
      // A sync export is a build error (valid-server-actions), not an endpoint.
      if (!action.fn.async && !action.wrapper) return true;
      if (action.name !== undefined && (allowed(action.name) || isAuthFlowActionName(action.name))) return true;
      return action.wrapper !== undefined && (analyzer.isAuthWrapper(action.wrapper) || analyzer.readsAuthContext(action.fn));
    }

    /**
     * The guard the suggestion inserts: for the authentication function the file already imports,
     * written the way its library answers (so that the rule accepts it), else from the first
     * configured auth function the code can call as written.
     */
    function guardLines(action: ServerAction, semicolon: string): string[] | undefined {
      if (!action.fn.async) return undefined;
      const imported = importedGuardLines(sourceCode, action.fn, semicolon);
      if (imported) return imported;
      const configured = getSettings(context).authFunctions.find(name => CALLABLE_PATH.test(name));
      if (!configured) return undefined;
      if (isContractName(configured)) return [`await ${configured}()${semicolon}`];
      const quote = importQuote(sourceCode);
      const fail = `throw new Error(${quote}Unauthorized${quote})${semicolon}`;
      const taken = namesInUse(sourceCode, action.fn);
      if (isClerkAuth(sourceCode, configured, action.fn)) {
        const name = freshName('userId', taken);
        const pattern = name === 'userId' ? '{ userId }' : `{ userId: ${name} }`;
        return [`const ${pattern} = await ${configured}()${semicolon}`, `if (!${name}) ${fail}`];
      }
      const last = configured.slice(configured.lastIndexOf('.') + 1);
      const name = freshName(/user|viewer|member/i.test(last) ? 'user' : 'session', taken);
      return [`const ${name} = await ${configured}()${semicolon}`, `if (!${name}) ${fail}`];
    }

    function suggestion(action: ServerAction): TSESLint.ReportSuggestionArray<MessageIds> {
      const { fn } = action;
      const body = fn.body;
      const statements = body.type === AST_NODE_TYPES.BlockStatement ? body.body : [];
      const semicolon = usesSemicolons(sourceCode, statements) ? ';' : '';
      const lines = guardLines(action, semicolon);
      if (!lines) return [];
      const eol = lineBreakOf(sourceCode);
      const outerIndent = /^\s*/.exec(sourceCode.lines[fn.loc.start.line - 1] ?? '')![0];
      // The description reads the same in files with and without semicolons.
      const code = lines.map(line => line.replace(/;$/, '')).join('; ');
      if (body.type !== AST_NODE_TYPES.BlockStatement) {
        const indent = `${outerIndent}  `;
        const text = `{${eol}${lines.map(line => `${indent}${line}`).join(eol)}${eol}${indent}return ${sourceCode.getText(body)}${semicolon}${eol}${outerIndent}}`;
        return [{ messageId: 'addAuthCheck', data: { code }, fix: fixer => fixer.replaceTextRange(bodyRange(body), text) }];
      }
      const directives = statements.filter(statement => statement.type === AST_NODE_TYPES.ExpressionStatement && statement.directive !== undefined);
      const firstStatement = statements[directives.length] ?? directives[0];
      if (!firstStatement) {
        const indent = `${outerIndent}  `;
        const text = `{${eol}${lines.map(line => `${indent}${line}`).join(eol)}${eol}${outerIndent}}`;
        return [{ messageId: 'addAuthCheck', data: { code }, fix: fixer => fixer.replaceText(body, text) }];
      }
      const indent =
        firstStatement.loc.start.line === body.loc.start.line
          ? `${outerIndent}  `
          : /^\s*/.exec(sourceCode.lines[firstStatement.loc.start.line - 1] ?? '')![0];
      // Offsets come from the body's first token (or the last directive's last token) and the text:
      // under oxlint 1.95, edits placed by the body node's range or by comment tokens land elsewhere.
      const { text: source } = sourceCode;
      const lastDirective = directives[directives.length - 1];
      const anchorEnd = (lastDirective ? sourceCode.getLastToken(lastDirective)! : sourceCode.getFirstToken(body)!).range[1];
      const lineBreak = source.slice(anchorEnd).search(/\r\n?|\n/);
      const lineEnd = lineBreak === -1 ? source.length : anchorEnd + lineBreak;
      const restOfLine = source.slice(anchorEnd, lineEnd);
      // Without semicolons, a next line that starts with `(`, `[` or a template would continue the guard's last line.
      const nextCode = firstStatement === directives[0] && directives.length > 0 ? '' : source.charAt(firstStatement.range[0]);
      const guarded = semicolon === '' && /^[([`+\-/]/.test(nextCode) ? [...lines.slice(0, -1), `${lines[lines.length - 1]!};`] : lines;
      const text = guarded.map(line => `${eol}${indent}${line}`).join('');
      // Nothing but a comment after the anchor on its line: the guard goes right after the anchor
      // and the comment ends the guard's last line, an edit every host applies alike.
      if (/^\s*(?:\/\/.*|\/\*.*?\*\/\s*)?$/.test(restOfLine)) {
        return [{ messageId: 'addAuthCheck', data: { code }, fix: fixer => fixer.insertTextAfterRange([anchorEnd, anchorEnd], text) }];
      }
      // Code that follows on the anchor's line moves to a line of its own, after the guard.
      const codeStart = anchorEnd + restOfLine.search(/\S/);
      return [{ messageId: 'addAuthCheck', data: { code }, fix: fixer => fixer.replaceTextRange([anchorEnd, codeStart], `${text}${eol}${indent}`) }];
    }

    /** An expression body's range including the parentheses around it (`=> ({ … })`). */
    function bodyRange(body: TSESTree.Node): TSESTree.Range {
      let first = sourceCode.getFirstToken(body)!;
      let last = sourceCode.getLastToken(body)!;
      for (;;) {
        const before = sourceCode.getTokenBefore(first);
        const after = sourceCode.getTokenAfter(last);
        if (before?.value !== '(' || after?.value !== ')') break;
        first = before;
        last = after;
      }
      return [first.range[0], last.range[1]];
    }

    function check(action: ServerAction): void {
      if (isExempt(action)) return;
      const unguarded = analyzer.findUnguardedWork(action.fn);
      if (!unguarded) return;
      const { effect, authCalls } = unguarded;
      const loc = actionReportLoc(action, sourceCode);
      const title = actionTitle(action);
      const work = workLabel(effect);
      const { where, via } = whereData(context, effect);
      // A check inside the work's own arguments (`db.post.create({ data: { userId: (await auth()).userId } })`) runs before it.
      const end = effect.node.range[1];
      const before: AuthCall | undefined = authCalls.find(call => call.node.range[1] <= end);
      const after: AuthCall | undefined = authCalls.find(call => call.node.range[1] > end);
      if (before) {
        const objectHint = before.objectResult
          ? ` \`${before.label}\` answers with an object even for a signed-out caller: test the user it holds (such as \`userId\`, \`data.user\` or \`isLoggedIn\`), not the object.`
          : '';
        const messageId = unguarded.testsAuth ? 'authNotEnforced' : 'authResultUnchecked';
        context.report({ loc, messageId, data: { action: title, check: before.label, work, where, via, objectHint } });
      } else if (after) {
        context.report({ loc, messageId: 'authAfterWork', data: { action: title, work, where, via, check: after.label, checkLine: after.node.loc.start.line } });
      } else {
        const allowHint = action.name === undefined ? '' : ` If it is meant to be public, add \`${action.name}\` to the rule's \`allow\` option.`;
        context.report({ loc, messageId: 'missingAuth', data: { action: title, work, where, via, allowHint }, suggest: suggestion(action) });
      }
    }

    return {
      'Program:exit'() {
        for (const action of getServerActions(context).actions) check(action);
      },
    };
  },
});
