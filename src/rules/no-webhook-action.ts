import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESTree } from '@typescript-eslint/utils';
import { getActionFacts } from '../analysis/action-facts.js';
import { callerLocation, callersOfAction } from '../analysis/callers.js';
import { getFileFacts, mayDefineServerActions } from '../analysis/file-kind.js';
import {
  declaratorOf,
  headerRead,
  isHmacCall,
  propertyName,
  providerFromName,
  providerLabels,
  staticString,
  webhookEvent,
  webhookHeader,
  type WebhookProvider,
  webhookRoutePath,
  webhookVerification,
} from '../analysis/http.js';
import { actionReportLoc, actionSubject, getServerActions, type ServerAction } from '../analysis/server-actions.js';
import { createRule } from '../utils/create-rule.js';
import { skipAwait } from '../utils/ast.js';
import { definitionOf } from '../analysis/scope.js';
import type { Context } from '../utils/context.js';

export type Options = [];
export type MessageIds = 'webhookInAction' | 'webhookProcessor' | 'webhookOnlyCaller';

interface Evidence {
  /** Ranked: a verification call says the most, a name the least. */
  rank: 0 | 1 | 2 | 3;
  provider: WebhookProvider | undefined;
  description: string;
}

/** Properties a provider puts its event name in: `event.type`, `meta.event_name`, `topic`. */
const EVENT_KEYS = new Set(['type', 'eventType', 'event_type', 'eventName', 'event_name', 'event', 'topic', 'alert_name']);

// Verbs of actions that manage your own outgoing webhooks (or read their log), never receive one.
const MANAGEMENT_VERBS = new Set([
  'add', 'archive', 'cancel', 'create', 'delete', 'disable', 'edit', 'enable', 'fetch', 'get', 'list', 'load', 'new',
  'pause', 'ping', 'redeliver', 'regenerate', 'register', 'remove', 'replay', 'resend', 'reset', 'resume', 'retry',
  'revoke', 'rotate', 'send', 'set', 'subscribe', 'test', 'toggle', 'trigger', 'unsubscribe', 'update', 'upsert',
]);
const PROCESSOR_VERBS = new Set(['consume', 'dispatch', 'handle', 'ingest', 'on', 'process', 'receive', 'verify']);
// `handleWebhook`, `processStripeWebhookEvent`; not `handleWebhookSubmit` or `verifyWebhookUrl`, which are form handlers.
const PROCESSED_WEBHOOK = /webhooks?(?:event|events|payload|delivery|notification|request|body|message)?$/i;
const WEBHOOK_DELIVERY = /webhook(?:event|payload|delivery|notification)|webhook(?:handler|processor|receiver|listener|consumer)$/i;
const PROVIDER_EVENT = /^(?:consume|handle|ingest|on|process|receive)[A-Z][a-zA-Z]*(?:Event|Events|Payload|Notification|Callback)$/;

/** Whether an exported function's name says it processes incoming webhooks. */
function isProcessorName(name: string): boolean {
  const verb = /^[a-z]+/.exec(name)?.[0] ?? '';
  if (MANAGEMENT_VERBS.has(verb)) return false;
  if (/webhook/i.test(name)) return (PROCESSOR_VERBS.has(verb) && PROCESSED_WEBHOOK.test(name)) || WEBHOOK_DELIVERY.test(name);
  return PROVIDER_EVENT.test(name) && providerFromName(name) !== undefined;
}

function firstProvider(evidence: readonly Evidence[]): WebhookProvider | undefined {
  return [...evidence].sort((a, b) => a.rank - b.rank).find(item => item.provider !== undefined)?.provider;
}


/** Finds what in one action says it receives a webhook. */
function collectEvidence(context: Context, action: ServerAction): Evidence[] {
  const { sourceCode } = context;
  const evidence: Evidence[] = [];
  const headers: { name: string; provider: WebhookProvider | undefined }[] = [];
  let hmac: string | undefined;
  // Event names compared against each event-type expression, keyed by its text.
  const comparisons = new Map<string, string[]>();

  /** Whether a value came into the action from its caller: a parameter, a parsed body, a verified event. */
  const fromInput = (node: TSESTree.Node, depth: number): boolean => {
    if (depth > 4) return false;
    const target = skipAwait(node);
    switch (target.type) {
      case AST_NODE_TYPES.Identifier: {
        const definition = definitionOf(sourceCode, target);
        if (definition?.type === 'Parameter') return definition.node === action.fn;
        const declarator = declaratorOf(sourceCode, target);
        return declarator?.init ? fromInput(declarator.init, depth + 1) : false;
      }
      case AST_NODE_TYPES.MemberExpression:
        return fromInput(target.object, depth + 1);
      case AST_NODE_TYPES.CallExpression: {
        if (webhookVerification(sourceCode, target)) return true;
        const callee = skipAwait(target.callee);
        if (callee.type !== AST_NODE_TYPES.MemberExpression) return false;
        const method = propertyName(callee);
        const object = skipAwait(callee.object);
        if (method === 'parse' && object.type === AST_NODE_TYPES.Identifier && object.name === 'JSON') return true;
        return method === 'json' && fromInput(callee.object, depth + 1);
      }
      default:
        return false;
    }
  };

  /** Whether an expression is the event name of a delivery that came from the caller. */
  const isEventType = (node: TSESTree.Node): boolean => {
    const target = skipAwait(node);
    if (target.type === AST_NODE_TYPES.MemberExpression) {
      const key = propertyName(target);
      return key !== undefined && EVENT_KEYS.has(key) && fromInput(target.object, 0);
    }
    if (target.type !== AST_NODE_TYPES.Identifier) return false;
    const definition = definitionOf(sourceCode, target);
    if (definition?.type === 'Parameter') return definition.node === action.fn && EVENT_KEYS.has(target.name);
    const declarator = declaratorOf(sourceCode, target);
    if (!declarator?.init) return false;
    if (declarator.id.type === AST_NODE_TYPES.Identifier) return isEventType(declarator.init);
    // `const { type } = await request.json()`
    return declarator.id.type === AST_NODE_TYPES.ObjectPattern && EVENT_KEYS.has(target.name) && fromInput(declarator.init, 0);
  };

  const addComparison = (discriminant: TSESTree.Node, value: TSESTree.Node | null | undefined) => {
    const name = staticString(value);
    if (name === undefined || !webhookEvent(name) || !isEventType(discriminant)) return;
    const key = sourceCode.getText(skipAwait(discriminant));
    const names = comparisons.get(key) ?? [];
    if (!names.includes(name)) names.push(name);
    comparisons.set(key, names);
  };

  const addHeader = (node: TSESTree.Node) => {
    const name = headerRead(sourceCode, node);
    const known = name === undefined ? undefined : webhookHeader(name);
    if (known) headers.push({ name: name!, provider: known.provider });
  };

  const visitTest = (test: TSESTree.Node) => {
    if (test.type === AST_NODE_TYPES.LogicalExpression) {
      visitTest(test.left);
      visitTest(test.right);
    } else if (test.type === AST_NODE_TYPES.BinaryExpression && (test.operator === '===' || test.operator === '==')) {
      addComparison(test.left, test.right);
      addComparison(test.right, test.left);
    }
  };

  for (const { node } of getActionFacts(context, action).ownNodes) {
    switch (node.type) {
      case AST_NODE_TYPES.CallExpression: {
        const verification = webhookVerification(sourceCode, node);
        if (verification) {
          evidence.push({ rank: 0, provider: verification.provider, description: `verifies a webhook signature with \`${verification.callee}(…)\`` });
        } else if (isHmacCall(node)) {
          hmac ??= sourceCode.getText(skipAwait(node.callee)).replace(/\s+/g, '');
        }
        addHeader(node);
        break;
      }
      case AST_NODE_TYPES.MemberExpression:
        addHeader(node);
        break;
      case AST_NODE_TYPES.SwitchStatement:
        for (const switchCase of node.cases) addComparison(node.discriminant, switchCase.test);
        break;
      case AST_NODE_TYPES.IfStatement:
      case AST_NODE_TYPES.ConditionalExpression:
        visitTest(node.test);
        break;
      default:
        break;
    }
  }

  // A signature header says more than a timestamp or delivery id read next to it.
  const header = headers.find(item => /signature|hmac/.test(item.name)) ?? headers[0];
  if (header) {
    evidence.push({
      rank: 1,
      provider: headers.find(item => item.provider !== undefined)?.provider,
      description: hmac === undefined ? `reads the \`${header.name}\` header` : `checks the \`${header.name}\` header with \`${hmac}(…)\``,
    });
  }

  for (const names of comparisons.values()) {
    const events = names.map(name => ({ name, ...webhookEvent(name)! }));
    const telling = events.find(event => event.distinctive);
    if (!telling && events.length < 2) continue;
    const shown = telling ?? events[0]!;
    evidence.push({
      rank: 2,
      provider: telling?.provider ?? events.find(event => event.provider !== undefined)?.provider,
      description: `handles the webhook event \`${shown.name}\``,
    });
  }

  if (action.origin === 'export' && action.name && isProcessorName(action.name)) {
    evidence.push({ rank: 3, provider: providerFromName(action.name), description: 'is named like a webhook processor' });
  }
  return evidence;
}

export default createRule<Options, MessageIds>({
  name: 'no-webhook-action',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow receiving or processing webhooks in Server Actions',
      recommended: 'error',
    },
    schema: [],
    messages: {
      webhookOnlyCaller:
        '{{subject}} is only called by the webhook Route Handler `{{route}}`, so it processes webhooks, and "use server" makes every export of this file a public Server Action endpoint: anyone can call it with a forged payload and skip the signature check. Move it to a `server-only` module and call it from that handler once the signature is verified.',
      webhookInAction:
        '{{subject}} {{evidence}}: it is {{webhook}} handler written as a Server Action. A webhook sender cannot call an action (it would need a build-specific action ID) and needs status codes to decide on retries, while the action stays a public endpoint that anyone can post a forged payload to. Receive the webhook in a Route Handler, `{{route}}`, that verifies the signature and answers with explicit status codes.',
      webhookProcessor:
        '{{subject}} {{evidence}}, and {{exposure}}: anyone can call it with a forged payload and skip the signature check. Move it to a `server-only` module and call it from the Route Handler `{{route}}` once the signature is verified.',
    },
  },
  create(context) {
    const facts = getFileFacts(context);
    if (!mayDefineServerActions(facts)) return {};
    const { sourceCode } = context;

    /** An export whose every caller in the app is a webhook Route Handler, whatever its name or body. */
    function reportWebhookOnlyCaller(action: ServerAction): void {
      const callers = callersOfAction(facts, action, 'none');
      if (!callers?.known) return;
      const inApp = callers.callers.filter(caller => caller.kind !== 'outside');
      if (inApp.length === 0 || !inApp.every(caller => caller.kind === 'route-handler' && caller.webhook)) return;
      context.report({
        loc: actionReportLoc(action, sourceCode),
        messageId: 'webhookOnlyCaller',
        data: { subject: actionSubject(action), route: callerLocation(facts, inApp[0]!) },
      });
    }

    return {
      Program() {
        for (const action of getServerActions(context).actions) {
          const evidence = collectEvidence(context, action);
          if (evidence.length === 0) {
            reportWebhookOnlyCaller(action);
            continue;
          }
          const route = webhookRoutePath(facts, firstProvider(evidence));
          const received = evidence.filter(item => item.rank <= 1).sort((a, b) => a.rank - b.rank)[0];
          if (received) {
            const provider = firstProvider(evidence);
            context.report({
              loc: actionReportLoc(action, sourceCode),
              messageId: 'webhookInAction',
              data: {
                subject: actionSubject(action),
                evidence: received.description,
                webhook: provider ? `a ${providerLabels[provider]} webhook` : 'a webhook',
                route,
              },
            });
            continue;
          }
          const [strongest] = [...evidence].sort((a, b) => a.rank - b.rank);
          context.report({
            loc: actionReportLoc(action, sourceCode),
            messageId: 'webhookProcessor',
            data: {
              subject: actionSubject(action),
              evidence: strongest!.description,
              exposure:
                action.origin === 'export'
                  ? '"use server" makes every export of this file a public Server Action endpoint'
                  : '"use server" makes it a public Server Action endpoint',
              route,
            },
          });
        }
      },
    };
  },
});
