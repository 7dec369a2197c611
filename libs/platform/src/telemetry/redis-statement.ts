/** What a Redis command argument can be, as the ioredis instrumentation hands it over. */
type CommandArg = string | Buffer | number | unknown[];

const WORD = /^[a-z][a-z_.-]*$/;

/**
 * `db.query.text` for Redis spans: the command and the shape of its key (`HSET order:? [19 more]`),
 * never values or ids. The instrumentation's default keeps arguments, and Junction's arguments
 * hold user ids, payment methods and whole events (an EVAL of the outbox entry, for instance).
 */
export function redisStatement(cmdName: string, cmdArgs: readonly CommandArg[]): string {
  const name = cmdName.toUpperCase();
  if (cmdArgs.length === 0) return name;
  if (name.startsWith('EVAL') || name.startsWith('FCALL')) {
    return `${name} [${cmdArgs.length} arguments]`;
  }
  const [key, ...rest] = cmdArgs;
  const shape = typeof key === 'string' ? keyShape(key) : '?';
  return rest.length > 0 ? `${name} ${shape} [${rest.length} more]` : `${name} ${shape}`;
}

/** `orders:order:3f2c…:history` → `orders:order:?:history`: only plain lowercase words stay. */
function keyShape(key: string): string {
  return key
    .split(':')
    .map((segment) => (WORD.test(segment) ? segment : '?'))
    .join(':');
}
