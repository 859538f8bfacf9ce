import { callerLocation, callersOfAction, isClientInvoked } from '../analysis/callers.js';
import { getFileFacts, mayDefineServerActions } from '../analysis/file-kind.js';
import { judgeQuery } from '../analysis/query.js';
import { actionReportLoc, getServerActions } from '../analysis/server-actions.js';
import { createRule } from '../utils/create-rule.js';

export type Options = [];
export type MessageIds = 'serverOnlyAction';

/** How many callers a message lists before it says "and N more". */
const LISTED_CALLERS = 3;

export default createRule<Options, MessageIds>({
  name: 'no-server-only-action',
  meta: {
    type: 'suggestion',
    docs: {
      description: 'Disallow Server Actions that only server code calls',
      strict: 'warn',
    },
    schema: [],
    messages: {
      serverOnlyAction:
        'Server Action `{{action}}` is only called from server code ({{callers}}). From the server an action is a plain function call; `"use server"` only adds a public endpoint that anyone can POST to. Move it to a module that starts with `import \'server-only\'` and import it from there.',
    },
  },
  create(context) {
    const facts = getFileFacts(context);
    if (!facts.isServerActionsFile || !mayDefineServerActions(facts)) return {};
    const { sourceCode } = context;

    return {
      'Program:exit'() {
        for (const action of getServerActions(context).actions) {
          // Client importers count as client callers unread: only server importers are parsed.
          const callers = callersOfAction(facts, action, 'none');
          if (!callers?.known) continue;
          const inApp = callers.callers.filter(caller => caller.kind !== 'outside');
          if (inApp.length === 0 || inApp.some(isClientInvoked)) continue;
          // A webhook processor is no-webhook-action's finding, a read no-query-action's.
          if (inApp.every(caller => caller.kind === 'route-handler' && caller.webhook)) continue;
          if (judgeQuery(context, action.fn)) continue;
          const listed = inApp.slice(0, LISTED_CALLERS).map(caller => `\`${callerLocation(facts, caller)}\``);
          const more = inApp.length - listed.length;
          context.report({
            loc: actionReportLoc(action, sourceCode),
            messageId: 'serverOnlyAction',
            data: { action: action.name!, callers: listed.join(', ') + (more > 0 ? ` and ${more} more` : '') },
          });
        }
      },
    };
  },
});
