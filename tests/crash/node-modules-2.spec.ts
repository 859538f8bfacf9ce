import { describe, it } from 'vitest';
import { crashTest } from './node-modules.js';

describe('crash test over installed packages', () => {
  it('lints shard 2 of 2 with every rule, four ways, without an exception', () => crashTest(1, 2), 600_000);
});
