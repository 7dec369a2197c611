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
    const shown = value === undefined ? 'missing' : `got ${JSON.stringify(value)}`;
    throw new ConfigError(
      `invalid configuration: ${variable}: ${issue?.message ?? 'invalid'} (${shown})`,
    );
  }
  return Object.freeze(new Config(parsed.data));
}
