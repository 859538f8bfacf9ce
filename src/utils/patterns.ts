/*
 * Wildcard patterns from user configuration (`db.*.create`, `/api/auth/**`), matched without
 * regular expressions. A pattern compiled to a RegExp backtracks: `a******b` against a long name,
 * or `/**` repeated against a deep URL, takes seconds to minutes. Here the pattern runs as a
 * set of states advanced once per character, so a match costs at most (text length × pattern
 * length) steps, whatever the pattern.
 */

type Token =
  | { kind: 'char'; char: string }
  /** Any run of characters other than `stop` (`*` inside a name segment or a URL segment). */
  | { kind: 'star'; stop: string }
  /** Any run of characters (`**`). */
  | { kind: 'any' }
  /** Nothing, or `/` followed by anything (`/**`: the folder itself or anything below it). */
  | { kind: 'slashAny' };

export type Matcher = (text: string) => boolean;

function isRepeatable(token: Token): boolean {
  return token.kind !== 'char';
}

function compile(tokens: readonly Token[]): Matcher {
  const count = tokens.length;
  return text => {
    // `active[i]`: the text so far can end before token i; `inside[i]`: inside the run of a `/**`.
    let active = new Uint8Array(count + 1);
    let inside = new Uint8Array(count);
    const close = (states: Uint8Array, loops: Uint8Array) => {
      for (let index = 0; index < count; index++) {
        if ((states[index] && isRepeatable(tokens[index]!)) || loops[index]) states[index + 1] = 1;
      }
    };
    active[0] = 1;
    close(active, inside);
    for (let position = 0; position < text.length; position++) {
      const char = text[position]!;
      const next = new Uint8Array(count + 1);
      const nextInside = new Uint8Array(count);
      let alive = false;
      for (let index = 0; index < count; index++) {
        if (inside[index]) {
          nextInside[index] = 1;
          alive = true;
        }
        if (!active[index]) continue;
        const token = tokens[index]!;
        if (token.kind === 'char') {
          if (token.char === char) next[index + 1] = 1;
        } else if (token.kind === 'star') {
          if (char !== token.stop) next[index] = 1;
        } else if (token.kind === 'any') {
          next[index] = 1;
        } else if (char === '/') {
          nextInside[index] = 1;
        }
        alive ||= next[index] === 1 || next[index + 1] === 1 || nextInside[index] === 1;
      }
      if (!alive) return false;
      close(next, nextInside);
      active = next;
      inside = nextInside;
    }
    return active[count] === 1;
  };
}

/** Consecutive wildcards of the same kind match what one does. */
function push(tokens: Token[], token: Token): void {
  const last = tokens[tokens.length - 1];
  if (last && last.kind === token.kind && token.kind !== 'char') return;
  tokens.push(token);
}

/** A name pattern: `*` matches any run of characters within one dotted segment (`db.*.create`). */
export function compileNamePattern(pattern: string): Matcher {
  const tokens: Token[] = [];
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index]!;
    push(tokens, char === '*' ? { kind: 'star', stop: '.' } : { kind: 'char', char });
  }
  return compile(tokens);
}

/**
 * A URL path glob: `*` matches within one segment, `**` across segments, and `/**` the path
 * before it as well as anything below it. A trailing `/` in the text is ignored.
 */
export function compileUrlGlob(glob: string): Matcher {
  const tokens: Token[] = [];
  for (let index = 0; index < glob.length; ) {
    if (glob.startsWith('/**', index)) {
      push(tokens, { kind: 'slashAny' });
      index += 3;
    } else if (glob.startsWith('**', index)) {
      push(tokens, { kind: 'any' });
      index += 2;
    } else if (glob[index] === '*') {
      push(tokens, { kind: 'star', stop: '/' });
      index += 1;
    } else {
      push(tokens, { kind: 'char', char: glob[index]! });
      index += 1;
    }
  }
  const matcher = compile(tokens);
  return text => matcher(text) || (text.endsWith('/') && matcher(text.slice(0, -1)));
}
