import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/**
 * The largest file we read whole: bigger sources are generated or vendored, never hand-written
 * actions, routes or configs, and reading them would cost more than anything we could learn.
 */
export const MAX_READ_BYTES = 1024 * 1024;

/**
 * The text of `file` when it is a regular file of at most `maxBytes`, else undefined.
 *
 * Everything we read from disk goes through here because a cloned repository decides what its
 * paths point at: a tsconfig `extends` that is a FIFO blocks `readFileSync` forever, and a symlink
 * to `/dev/zero` never ends. Opening without blocking and checking the opened descriptor (not the
 * path, which can change in between) rules both out.
 */
export function readRegularFile(file: string, maxBytes = MAX_READ_BYTES): string | undefined {
  return withRegularFile(file, (fd, size) => (size > maxBytes ? undefined : readHead(fd, size)));
}

/** The first `bytes` bytes of a regular file (for sources too large to read whole), else undefined. */
export function readRegularFileHead(file: string, bytes: number): string | undefined {
  return withRegularFile(file, fd => readHead(fd, bytes));
}

/** Runs `read` on `file` opened without blocking, when the opened descriptor is a regular file. */
function withRegularFile(file: string, read: (fd: number, size: number) => string | undefined): string | undefined {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch {
    return undefined;
  }
  try {
    const stats = fstatSync(fd);
    return stats.isFile() ? read(fd, stats.size) : undefined;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

function readHead(fd: number, bytes: number): string {
  // Only the bytes read are decoded: zero-filling the rest first would be wasted.
  const buffer = Buffer.allocUnsafe(bytes);
  let length = 0;
  while (length < bytes) {
    const read = readSync(fd, buffer, length, bytes - length, length);
    if (read === 0) break;
    length += read;
  }
  return buffer.toString('utf8', 0, length);
}
