import path from 'node:path';
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESTree } from '@typescript-eslint/utils';
import { RuleCreator } from '@typescript-eslint/utils/eslint-utils';
import { createAuthAnalyzer, isAuthFlowActionName } from '../analysis/auth/index.js';
import { type Effect, getFunctionEffects } from '../analysis/effects.js';
import { getFileFacts } from '../analysis/file-kind.js';
import { isHmacCall, staticString, walkFunction, webhookVerification } from '../analysis/http.js';
import { getHttpCall, resolveUrl } from '../analysis/http-calls.js';
import { classifyPrivilegedCall } from '../analysis/privileged-calls.js';
import { DYNAMIC_PART, isHttpMethod } from '../analysis/routes.js';
import { actionReportLoc, type FunctionNode, getServerActions, isFunctionNode, type ServerAction } from '../analysis/server-actions.js';
import { childNodes } from '../utils/ast.js';
import type { CallerKind, EffectSummary, Guard } from './model.js';
import type { Context } from '../utils/context.js';
import { importOf } from '../analysis/scope.js';

/*
 * The report sees the app through ESLint: one internal rule, run on every relevant file next to
 * the plugin's own rules, records what the analysis modules know about the file. Nothing here
 * decides anything; build.ts links the records of all files into the surface.
 */

export interface RawAction {
  name: string;
  /** `export`: an export of a "use server" file, whose callers the app graph knows; `inline`: referenced where it is written. */
  origin: 'export' | 'inline';
  line: number;
  /** The lines of the function, to attach the findings of our rules to it. */
  startLine: number;
  endLine: number;
  exportKind: 'file-level' | 'inline' | 'wrapped';
  wrapper: string | undefined;
  effects: EffectSummary[];
  revalidates: string[];
  guard: Guard;
}

export interface RawHandler {
  method: string;
  line: number;
  startLine: number;
  endLine: number;
  effects: EffectSummary[];
  guard: Guard;
  verifiesSignature: string | undefined;
}

/** A place in the file that names one of its inline Server Actions. */
export interface RawReference {
  line: number;
  kind: CallerKind;
  /** The component or function the reference sits in, when it has a name. */
  within: string | undefined;
  /** The inline action: this file and its name. */
  target: { file: string; name: string };
}

export interface RawFetch {
  line: number;
  method: string;
  path: string;
}

export interface FileRecord {
  file: string;
  kind: 'client' | 'server-actions' | 'route-handler' | 'pages-api' | 'other';
  /** The App Router page folder this file belongs to (`/posts/[id]`), for files under app/. */
  appRoute: string | undefined;
  actions: RawAction[];
  handlers: RawHandler[];
  references: RawReference[];
  fetches: RawFetch[];
}

let sink: ((record: FileRecord) => void) | undefined;

/** Where the records of the next lint go; cleared by passing undefined. */
export function setRecordSink(receiver: ((record: FileRecord) => void) | undefined): void {
  sink = receiver;
}


const PASCAL_CASE = /^[A-Z]/;
const FORM_PROPS = new Set(['action', 'formAction']);
const DEFERRING_CALLS = new Set(['after', 'waitUntil']);

function summarize(context: Context, effects: readonly Effect[], rootDir: string): { summaries: EffectSummary[]; revalidates: string[] } {
  const summaries: EffectSummary[] = [];
  const revalidates: string[] = [];
  for (const effect of effects) {
    const file = effect.file ?? getFileFacts(context).filename;
    const where = { file: path.relative(rootDir, file).split(path.sep).join('/'), line: effect.origin.loc.start.line };
    switch (effect.kind) {
      case 'mutation':
      case 'read':
        summaries.push({ kind: effect.kind === 'read' ? 'read' : 'write', label: effect.label, subject: effect.subject, ...where });
        break;
      case 'cookieWrite':
        summaries.push({ kind: 'write', label: effect.label, subject: 'cookies', ...where });
        break;
      case 'http':
        summaries.push({ kind: 'http', label: effect.label, method: effect.method, url: effect.url, ...where });
        break;
      case 'revalidate': {
        const call = effect.origin.type === AST_NODE_TYPES.CallExpression ? effect.origin : undefined;
        const argument = call?.arguments[0];
        const sourceCode = effect.file === undefined ? context.sourceCode : undefined;
        const shown = argument && sourceCode ? `(${sourceCode.getText(argument)})` : '';
        revalidates.push(`${effect.label}${shown}`);
        break;
      }
      case 'redirect':
        revalidates.push(effect.label);
        break;
      default:
        break;
    }
  }
  return { summaries: dedupe(summaries), revalidates: [...new Set(revalidates)] };
}

/** Package calls that do privileged work (storage, payments, email, paid AI), from the catalogue require-action-auth uses. */
function packageCalls(context: Context, fn: FunctionNode, rootDir: string): EffectSummary[] {
  const found: EffectSummary[] = [];
  const file = path.relative(rootDir, getFileFacts(context).filename).split(path.sep).join('/');
  walkFunction(fn, context.sourceCode.visitorKeys, new Set(), node => {
    if (node.type !== AST_NODE_TYPES.CallExpression) return;
    const call = classifyPrivilegedCall(node);
    if (call) found.push({ kind: 'package', label: call.label, subject: call.kind, file, line: node.loc.start.line });
  });
  return found;
}

function dedupe(summaries: EffectSummary[]): EffectSummary[] {
  const seen = new Set<string>();
  return summaries.filter(summary => {
    const key = `${summary.kind}\0${summary.label}\0${summary.file}\0${summary.line}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function guardOf(
  context: Context,
  analyzer: ReturnType<typeof createAuthAnalyzer>,
  fn: FunctionNode,
  wrapper: TSESTree.CallExpression | undefined,
  endpoint: 'action' | 'route',
): Guard {
  if (wrapper && analyzer.isAuthWrapper(wrapper)) return { kind: 'wrapper', label: context.sourceCode.getText(wrapper.callee) };
  const ownGuard = ownGuardOf(context, analyzer, fn);
  // A Route Handler wrapper the analysis does not know (`withCron`, `withWorkspace`) decides whether
  // the handler runs at all: the report names it for the reviewer instead of calling the endpoint
  // unguarded. Action clients are judged by the analysis, which reads their middleware.
  if (ownGuard.kind === 'none' && wrapper && endpoint === 'route') return { kind: 'wrapped', label: context.sourceCode.getText(wrapper.callee) };
  return ownGuard;
}

function ownGuardOf(context: Context, analyzer: ReturnType<typeof createAuthAnalyzer>, fn: FunctionNode): Guard {
  if (analyzer.readsAuthContext(fn)) return { kind: 'context', label: 'the caller from its wrapper' };
  const { authCalls } = analyzer.analyze(fn);
  const first = authCalls[0];
  if (!first) {
    // Guest carts, email-link tokens: the work is filtered by something only its holder has.
    const writes = getFunctionEffects(context, fn).effects.filter(effect => effect.kind === 'mutation' || (effect.kind === 'http' && effect.method !== 'GET'));
    const capability = writes.length > 0 && writes.every(effect => analyzer.isCapabilityScoped(fn, effect));
    return capability ? { kind: 'capability', label: 'server-set cookie or one-time token' } : { kind: 'none' };
  }
  return { kind: analyzer.findUnguardedWork(fn) ? 'unenforced' : 'auth', label: first.label };
}

function exportKind(action: ServerAction): RawAction['exportKind'] {
  if (action.wrapper) return 'wrapped';
  return action.origin === 'inline' ? 'inline' : 'file-level';
}

/** The name of the nearest named function around a node: the component or handler it belongs to. */
function enclosingName(node: TSESTree.Node): string | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (!isFunctionNode(current)) continue;
    if (current.type === AST_NODE_TYPES.FunctionDeclaration && current.id) return current.id.name;
    const parent = current.parent;
    if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.id.type === AST_NODE_TYPES.Identifier) return parent.id.name;
  }
  return undefined;
}

/** The outermost named function a node is in, with whether the path crosses a deferring call. */
function functionsAround(node: TSESTree.Node): { outermost: TSESTree.Node | undefined; deferred: boolean; nested: boolean } {
  let outermost: TSESTree.Node | undefined;
  let deferred = false;
  let depth = 0;
  for (let current = node.parent; current; current = current.parent) {
    if (isFunctionNode(current)) {
      depth++;
      outermost = current;
      const call = current.parent;
      if (call?.type === AST_NODE_TYPES.CallExpression && call.callee.type === AST_NODE_TYPES.Identifier && DEFERRING_CALLS.has(call.callee.name)) {
        deferred = true;
      }
      if (
        call?.type === AST_NODE_TYPES.CallExpression &&
        call.callee.type === AST_NODE_TYPES.MemberExpression &&
        call.callee.property.type === AST_NODE_TYPES.Identifier &&
        DEFERRING_CALLS.has(call.callee.property.name)
      ) {
        deferred = true;
      }
    }
  }
  return { outermost, deferred, nested: depth > 1 };
}

function isPascalCaseFunction(node: TSESTree.Node | undefined): boolean {
  if (!node || !isFunctionNode(node)) return false;
  if (node.type === AST_NODE_TYPES.FunctionDeclaration) return node.id ? PASCAL_CASE.test(node.id.name) : node.parent?.type === AST_NODE_TYPES.ExportDefaultDeclaration;
  const parent = node.parent;
  if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.id.type === AST_NODE_TYPES.Identifier) return PASCAL_CASE.test(parent.id.name);
  return parent?.type === AST_NODE_TYPES.ExportDefaultDeclaration;
}

/** The JSX attribute an expression is the value of, if any (`<form action={save}>`). */
function jsxAttributeOf(node: TSESTree.Node): TSESTree.JSXAttribute | undefined {
  let current: TSESTree.Node = node;
  while (
    current.parent &&
    (current.parent.type === AST_NODE_TYPES.CallExpression ||
      current.parent.type === AST_NODE_TYPES.MemberExpression ||
      current.parent.type === AST_NODE_TYPES.TSNonNullExpression ||
      current.parent.type === AST_NODE_TYPES.TSAsExpression)
  ) {
    // `save.bind(null, id)` is still the action; a call of it is not.
    if (current.parent.type === AST_NODE_TYPES.CallExpression && current.parent.callee === current) return undefined;
    current = current.parent;
  }
  if (current.parent?.type !== AST_NODE_TYPES.JSXExpressionContainer) return undefined;
  const attribute = current.parent.parent;
  return attribute?.type === AST_NODE_TYPES.JSXAttribute ? attribute : undefined;
}

function classifyReference(record: FileRecord, node: TSESTree.Node, actionFunctions: ReadonlySet<TSESTree.Node>): CallerKind {
  const attribute = jsxAttributeOf(node);
  if (attribute && attribute.name.type === AST_NODE_TYPES.JSXIdentifier && FORM_PROPS.has(attribute.name.name)) {
    const element = attribute.parent;
    const tag = element.name.type === AST_NODE_TYPES.JSXIdentifier ? element.name.name : '';
    if (tag === 'form' || tag === 'button' || tag === 'input') return 'form';
  }
  // A prop of another component: the action crosses to whatever renders it, in the browser.
  if (attribute) return 'client';
  const { outermost, deferred } = functionsAround(node);
  if (deferred) return 'deferred';
  if (record.kind === 'client') return 'client';
  if (record.kind === 'route-handler' || record.kind === 'pages-api') return 'route-handler';
  for (let current = node.parent; current; current = current.parent) if (actionFunctions.has(current)) return 'action';
  if (record.kind === 'server-actions') return 'action';
  // Whether a component without a directive renders on the server or in the browser depends on
  // who imports it: build.ts decides from the client environment.
  if (outermost && isPascalCaseFunction(outermost)) return 'component';
  return outermost ? 'server' : 'unknown';
}

interface HandlerFunction {
  method: string;
  fn: FunctionNode;
  name: TSESTree.Node;
  wrapper?: TSESTree.CallExpression | undefined;
}

function handlerFunctions(program: TSESTree.Program, pagesApi: boolean): HandlerFunction[] {
  const found: HandlerFunction[] = [];
  for (const statement of program.body) {
    // A `pages/api` handler is the default export and answers every method.
    if (pagesApi && statement.type === AST_NODE_TYPES.ExportDefaultDeclaration && isFunctionNode(statement.declaration)) {
      found.push({ method: 'ANY', fn: statement.declaration, name: statement.declaration.type === AST_NODE_TYPES.FunctionDeclaration && statement.declaration.id ? statement.declaration.id : statement });
    }
    if (statement.type !== AST_NODE_TYPES.ExportNamedDeclaration || !statement.declaration) continue;
    const declaration = statement.declaration;
    if (declaration.type === AST_NODE_TYPES.FunctionDeclaration && declaration.id && isHttpMethod(declaration.id.name)) {
      found.push({ method: declaration.id.name, fn: declaration, name: declaration.id });
    } else if (declaration.type === AST_NODE_TYPES.VariableDeclaration) {
      for (const declarator of declaration.declarations) {
        if (declarator.id.type !== AST_NODE_TYPES.Identifier || !isHttpMethod(declarator.id.name)) continue;
        // `export const POST = withAuth(async (req) => …)`: the handler is the innermost function,
        // and the outermost call is the wrapper that may authenticate it.
        let init: TSESTree.Node | null = declarator.init;
        const wrapper = init?.type === AST_NODE_TYPES.CallExpression ? init : undefined;
        while (init?.type === AST_NODE_TYPES.CallExpression) init = init.arguments.find(isFunctionNode) ?? null;
        if (init && isFunctionNode(init)) found.push({ method: declarator.id.name, fn: init, name: declarator.id, wrapper });
      }
    }
  }
  return found;
}

/** A project helper named for what it does: `verifyQstashSignature`, `validateWebhookSignature`, `verifyVercelSignature`. */
const SIGNATURE_HELPER = /^(?:verify|validate|check|assert)\w*(?:Signature|Webhook|Hmac)$/;

function signatureCheck(context: Context, fn: FunctionNode): string | undefined {
  let found: string | undefined;
  walkFunction(fn, context.sourceCode.visitorKeys, new Set(), node => {
    if (found !== undefined || node.type !== AST_NODE_TYPES.CallExpression) return;
    const verification = webhookVerification(context.sourceCode, node);
    if (verification) found = `${verification.callee}(…)`;
    else if (isHmacCall(node)) found = 'an HMAC comparison';
    else if (node.callee.type === AST_NODE_TYPES.Identifier && SIGNATURE_HELPER.test(node.callee.name)) found = `${node.callee.name}(…)`;
  });
  return found;
}

/** Inline actions are referenced where they are written: `<form action={save}>` in the same component. */
function collectInlineReferences(context: Context, record: FileRecord, actions: readonly ServerAction[]): void {
  const { sourceCode } = context;
  const actionFunctions = new Set<TSESTree.Node>(actions.map(action => action.fn));
  for (const action of actions) {
    if (action.origin !== 'inline' || !action.name || action.fn.type !== AST_NODE_TYPES.FunctionDeclaration) continue;
    const variable = sourceCode.getDeclaredVariables(action.fn)[0];
    for (const reference of variable?.references ?? []) {
      const node = reference.identifier;
      record.references.push({
        line: node.loc.start.line,
        kind: classifyReference(record, node, actionFunctions),
        within: enclosingName(node),
        target: { file: record.file, name: action.name },
      });
    }
  }
}

/** SWR's hooks fetch their key: `useSWR('/api/user', fetcher)` requests `/api/user`. */
const SWR_HOOKS = new Map([
  ['swr', new Set(['default', 'useSWR'])],
  ['swr/immutable', new Set(['default'])],
  ['swr/infinite', new Set(['default'])],
]);

function swrKey(context: Context, call: TSESTree.CallExpression): string | undefined {
  if (call.callee.type !== AST_NODE_TYPES.Identifier) return undefined;
  const binding = importOf(context.sourceCode, call.callee);
  if (!binding || !SWR_HOOKS.get(binding.source)?.has(binding.imported)) return undefined;
  const key = staticString(call.arguments[0]);
  return key?.startsWith('/') ? key : undefined;
}

function collectFetches(context: Context, record: FileRecord): void {
  const visit = (node: TSESTree.Node) => {
    const key = node.type === AST_NODE_TYPES.CallExpression ? swrKey(context, node) : undefined;
    if (key !== undefined) {
      record.fetches.push({ line: node.loc.start.line, method: 'GET', path: key.split('?')[0]! });
    } else if (node.type === AST_NODE_TYPES.CallExpression) {
      const call = getHttpCall(node, context.sourceCode);
      if (call) {
        const target = resolveUrl(call, context.sourceCode);
        if (target.kind === 'relative' || target.kind === 'own-origin') {
          record.fetches.push({ line: node.loc.start.line, method: call.method ?? 'GET', path: target.path.split('?')[0]!.replaceAll(DYNAMIC_PART, '…') });
        }
      }
    }
    for (const child of childNodes(node, context.sourceCode.visitorKeys)) visit(child);
  };
  visit(context.sourceCode.ast);
}

/** The internal rule the report runs on every relevant file; it never reports. */
export const surfaceCollector = RuleCreator.withoutDocs({
  meta: { type: 'suggestion', schema: [], messages: {} },
  defaultOptions: [],
  create(context) {
    return {
      'Program:exit'(program: TSESTree.Program) {
        if (!sink) return;
        const facts = getFileFacts(context);
        const rootDir = facts.layout.rootDir;
        const record: FileRecord = {
          file: facts.filename,
          kind: facts.kind,
          appRoute: facts.appRoute,
          actions: [],
          handlers: [],
          references: [],
          fetches: [],
        };
        const analyzer = createAuthAnalyzer(context);
        const { actions } = getServerActions(context);
        for (const action of actions) {
          const { summaries, revalidates } = summarize(context, getFunctionEffects(context, action.fn).effects, rootDir);
          summaries.push(...packageCalls(context, action.fn, rootDir));
          record.actions.push({
            name: action.name ?? '(anonymous)',
            origin: action.origin,
            line: actionReportLoc(action, context.sourceCode).start.line,
            startLine: action.fn.loc.start.line,
            endLine: action.fn.loc.end.line,
            exportKind: exportKind(action),
            wrapper: action.wrapper ? context.sourceCode.getText(action.wrapper.callee) : undefined,
            effects: summaries,
            revalidates,
            // Signing in, up or out is public by design: the action is how a caller gets a session.
            guard: action.name && isAuthFlowActionName(action.name) ? { kind: 'public', label: 'sign-in flow' } : guardOf(context, analyzer, action.fn, action.wrapper, 'action'),
          });
        }
        if (facts.kind === 'route-handler' || facts.kind === 'pages-api') {
          for (const { method, fn, name, wrapper } of handlerFunctions(program, facts.kind === 'pages-api')) {
            const { summaries } = summarize(context, getFunctionEffects(context, fn).effects, rootDir);
            summaries.push(...packageCalls(context, fn, rootDir));
            record.handlers.push({
              method,
              line: name.loc.start.line,
              startLine: fn.loc.start.line,
              endLine: fn.loc.end.line,
              effects: summaries,
              guard: guardOf(context, analyzer, fn, wrapper, 'route'),
              verifiesSignature: signatureCheck(context, fn),
            });
          }
        }
        collectInlineReferences(context, record, actions);
        collectFetches(context, record);
        sink(record);
      },
    };
  },
});
