import { type z } from 'zod';

/** A config class: built from the env once its schema has parsed it. */
export interface ConfigClass<T, S extends z.ZodType = z.ZodType> {
  readonly env: S;
  new (env: z.output<S>): T;
}

/** Thrown (and turned into one line and exit code 78 by the bootstrap) when the env is invalid. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Validates the environment once, at start, and returns a frozen, typed config object. Nothing
 * but this function reads process.env for application settings (OTEL_* belong to the SDK).
 * A bad value is reported by the variable's name and the schema's rule, never by the value
 * itself: values include secrets (keys, passwords in URLs), and the error goes to stderr and logs.
 */
export function loadConfig<T extends object, S extends z.ZodType>(
  Config: ConfigClass<T, S>,
  env: NodeJS.ProcessEnv = process.env,
): Readonly<T> {
  const parsed = Config.env.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = issue?.path.join('.') ?? '(unknown)';
    const value = typeof issue?.path[0] === 'string' ? env[issue.path[0]] : undefined;
    const rule = value === undefined ? 'missing' : withoutValue(issue?.message, value);
    throw new ConfigError(`invalid configuration: ${variable}: ${rule}`);
  }
  return Object.freeze(new Config(parsed.data));
}

/**
 * The schema's message, unless it quotes the value (a custom message built from the input would):
 * then only that the value is invalid.
 */
function withoutValue(message: string | undefined, value: string): string {
  if (!message) return 'invalid';
  const trimmed = value.trim();
  if (trimmed.length >= 4 && message.includes(trimmed)) return 'invalid value';
  return message;
}
