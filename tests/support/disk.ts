import { vi } from 'vitest';
import { syncWithDisk } from '../../src/analysis/store.js';

const realNow = Date.now.bind(Date);
let offset = 0;

/**
 * Lets the store's check interval pass (by moving `Date.now` forward for good, so that time keeps
 * flowing) and checks the disk, as the next file an editor session lints a few seconds later would.
 */
export function letTimePass(): void {
  offset += 5000;
  vi.spyOn(Date, 'now').mockImplementation(() => realNow() + offset);
  syncWithDisk();
}
