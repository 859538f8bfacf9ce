import { describe, it } from 'vitest';
import { crashTest } from './node-modules.js';

describe('crash test over installed packages', () => {
  it('lints shard 1 of 2 with every rule, four ways, without an exception', () => crashTest(0, 2), 600_000);
});
