export { createAuthAnalyzer } from './analyzer.js';
export type { AuthCall } from './calls.js';
export { isAuthFlowActionName, isContractName } from './names.js';
