import { trace } from '@opentelemetry/api';

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

/**
 * A statement serializer that builds the statement only when the span it will describe can be
 * recorded. The ioredis instrumentation calls its serializer for every command under a span,
 * before it starts the command's span, in the parent's context; under a parent that is not
 * recording (an unsampled trace) that span is dropped by every sampler the SDK reads from
 * OTEL_TRACES_SAMPLER — parent-based ones follow the parent, a trace-id ratio decides the same
 * for every span of a trace — so the command's name is enough. A blocking checkout sends ~50
 * Redis commands.
 */
export function onlyWhenRecording<Args extends unknown[]>(
  serializer: (cmdName: string, ...rest: Args) => string,
): (cmdName: string, ...rest: Args) => string {
  return (cmdName, ...rest) =>
    trace.getActiveSpan()?.isRecording() === false ? cmdName : serializer(cmdName, ...rest);
}
