import { readFileSync } from 'node:fs';
import { repoPath } from './repo.mts';

export interface Instruction {
  keyword: string;
  /** Flags such as --from=build, --mount=type=cache,... */
  flags: string[];
  /** Arguments after the flags (JSON-array form is decoded). */
  args: string[];
  line: number;
}

/** Parses a Dockerfile: comments dropped, `\` continuations joined, flags split from arguments. */
export function parseDockerfile(text: string): Instruction[] {
  const instructions: Instruction[] = [];
  const lines = text.split(/\r?\n/);
  let current = '';
  let startLine = 0;
  for (const [i, raw] of lines.entries()) {
    const trimmed = raw.trim();
    if (current === '' && (trimmed === '' || trimmed.startsWith('#'))) continue;
    if (current !== '' && trimmed.startsWith('#')) continue;
    if (current === '') startLine = i + 1;
    if (trimmed.endsWith('\\')) {
      current += `${trimmed.slice(0, -1)} `;
      continue;
    }
    current += trimmed;
    const match = /^(\S+)\s*(.*)$/s.exec(current);
    current = '';
    if (!match) continue;
    const keyword = (match[1] ?? '').toUpperCase();
    let rest = match[2] ?? '';
    const flags: string[] = [];
    let flag: RegExpExecArray | null;
    while ((flag = /^--(\S+)\s*/.exec(rest))) {
      flags.push(flag[1] ?? '');
      rest = rest.slice(flag[0].length);
    }
    let args: string[];
    if (rest.startsWith('[')) {
      args = JSON.parse(rest) as string[];
    } else {
      args = rest.split(/\s+/).filter(Boolean);
    }
    instructions.push({ keyword, flags, args, line: startLine });
  }
  return instructions;
}

export const readDockerfile = (relative: string): Instruction[] =>
  parseDockerfile(readFileSync(repoPath(relative), 'utf8'));

/** Stage names (`FROM image AS name`). */
export const stageNames = (instructions: Instruction[]): string[] =>
  instructions
    .filter((i) => i.keyword === 'FROM')
    .flatMap((i) => {
      const as = i.args.findIndex((a) => a.toLowerCase() === 'as');
      const name = as >= 0 ? i.args[as + 1] : undefined;
      return name ? [name] : [];
    });

/** The instructions of stage `name`: its FROM and everything up to the next FROM. */
export function stage(instructions: Instruction[], name: string): Instruction[] {
  const isFrom = (i: Instruction): boolean => i.keyword === 'FROM';
  const start = instructions.findIndex(
    (i) => isFrom(i) && i.args.some((a, n) => a.toLowerCase() === 'as' && i.args[n + 1] === name),
  );
  if (start < 0) throw new Error(`the Dockerfile has no stage ${name}`);
  const end = instructions.findIndex((i, n) => n > start && isFrom(i));
  return instructions.slice(start, end < 0 ? undefined : end);
}

/** Sources of COPY/ADD instructions that read from the build context (not --from a stage). */
export const contextSources = (instructions: Instruction[]): { source: string; line: number }[] =>
  instructions
    .filter(
      (i) =>
        (i.keyword === 'COPY' || i.keyword === 'ADD') &&
        !i.flags.some((f) => f.startsWith('from=')),
    )
    .flatMap((i) => i.args.slice(0, -1).map((source) => ({ source, line: i.line })));

function globToRegExp(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? '';
    if (c === '*' && pattern[i + 1] === '*') {
      out += '.*';
      i++;
      if (pattern[i + 1] === '/') i++;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}(/.*)?$`);
}

/** A .dockerignore matcher (Docker semantics: last matching rule wins, `!` re-includes). */
export function dockerignore(text: string): (relativePath: string) => boolean {
  const rules = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const negate = l.startsWith('!');
      const pattern = (negate ? l.slice(1) : l).replace(/^\/+/, '').replace(/\/+$/, '');
      return { negate, regexp: globToRegExp(pattern) };
    });
  return (relativePath) => {
    let ignored = false;
    for (const rule of rules) if (rule.regexp.test(relativePath)) ignored = !rule.negate;
    return ignored;
  };
}
