import noFetchOwnApi from './no-fetch-own-api.js';
import noHttpInAction from './no-http-in-action.js';
import noParallelActions from './no-parallel-actions.js';
import noQueryAction from './no-query-action.js';
import noRedirectInTryCatch from './no-redirect-in-try-catch.js';
import noServerOnlyAction from './no-server-only-action.js';
import noWebhookAction from './no-webhook-action.js';
import requireActionAuth from './require-action-auth.js';
import requireRevalidateAfterMutation from './require-revalidate-after-mutation.js';
import validRevalidationContext from './valid-revalidation-context.js';
import validServerActions from './valid-server-actions.js';

/** Every rule of the plugin by id, sorted. */
export const rules = {
  'no-fetch-own-api': noFetchOwnApi,
  'no-http-in-action': noHttpInAction,
  'no-parallel-actions': noParallelActions,
  'no-query-action': noQueryAction,
  'no-redirect-in-try-catch': noRedirectInTryCatch,
  'no-server-only-action': noServerOnlyAction,
  'no-webhook-action': noWebhookAction,
  'require-action-auth': requireActionAuth,
  'require-revalidate-after-mutation': requireRevalidateAfterMutation,
  'valid-revalidation-context': validRevalidationContext,
  'valid-server-actions': validServerActions,
};
