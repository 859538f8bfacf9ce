import validServerActions from './valid-server-actions.js';

/** Every rule of the plugin by id, sorted. */
export const rules = {
  'valid-server-actions': validServerActions,
};
