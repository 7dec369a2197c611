import { type Logger } from 'pino';

/**
 * The service's pino logger, injectable. Use `logger.child({ component })` in a class to tag its
 * lines; never pass tokens, passwords or card data (they are redacted, but do not rely on it).
 * Provided by the bootstrap (one per process).
 */
export class AppLogger {
  constructor(readonly pino: Logger) {}

  child(bindings: Record<string, unknown>): Logger {
    return this.pino.child(bindings);
  }
}
