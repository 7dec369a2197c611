// A small JSON-over-HTTP client on node:http with keep-alive pools (Nagle off: node:http's
// default): what the load generator sends orders with. Fetch would do, but costs more CPU per
// request, and the load runs on the same cores as the services.
import { Agent, type IncomingMessage, request } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface JsonReply<T> {
  readonly status: number;
  readonly body: T;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

export interface RequestOptions {
  readonly body?: unknown;
  readonly token?: string;
  readonly timeoutMs?: number;
}

export class HttpJson {
  // node:http agents turn Nagle off by default (noDelay), as its servers do.
  private readonly agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  private readonly tlsAgent = new HttpsAgent({ keepAlive: true });

  send<T>(method: string, url: string, options: RequestOptions = {}): Promise<JsonReply<T>> {
    const target = new URL(url);
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (payload !== undefined) headers['content-type'] = 'application/json';
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const { send, agent } = this.transport(target);
    return new Promise((resolve, reject) => {
      const outgoing = send(target, { method, headers, agent }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            resolve({
              status: response.statusCode ?? 0,
              body: (text ? JSON.parse(text) : undefined) as T,
              headers: response.headers,
            });
          } catch {
            reject(
              new Error(`${method} ${target.pathname}: ${String(response.statusCode)}, not JSON`),
            );
          }
        });
      });
      outgoing.setTimeout(options.timeoutMs ?? 30_000, () => {
        outgoing.destroy(new Error(`no answer within ${String(options.timeoutMs ?? 30_000)} ms`));
      });
      outgoing.on('error', reject);
      outgoing.end(payload);
    });
  }

  /**
   * Reads a Server-Sent Events stream, handing each `data:` of an `event: status` block to
   * `onEvent` until it returns true or the stream ends. The server ends the stream itself at a
   * terminal status, so the connection goes back to the pool.
   */
  watch(
    url: string,
    token: string,
    onEvent: (data: string) => boolean,
    timeoutMs: number,
  ): Promise<void> {
    const target = new URL(url);
    const { send, agent } = this.transport(target);
    return new Promise((resolve, reject) => {
      const outgoing = send(target, {
        headers: { accept: 'text/event-stream', authorization: `Bearer ${token}` },
        agent,
      });
      outgoing.setTimeout(timeoutMs, () => outgoing.destroy(new Error('stream timed out')));
      outgoing.on('error', reject);
      outgoing.on('response', (response) => {
        if (response.statusCode === 200)
          followStatusEvents(response, onEvent).then(resolve, reject);
        else {
          response.resume();
          reject(new Error(`events stream answered ${String(response.statusCode)}`));
        }
      });
      outgoing.end();
    });
  }

  close(): void {
    this.agent.destroy();
    this.tlsAgent.destroy();
  }

  private transport(target: URL): { send: typeof request; agent: Agent } {
    return target.protocol === 'https:'
      ? { send: httpsRequest, agent: this.tlsAgent }
      : { send: request, agent: this.agent };
  }
}

/**
 * Hands the `data:` of each `event: status` block of a Server-Sent Events stream to `onData`;
 * resolves when it returns true (the rest of the stream is read and dropped) or at the end.
 */
function followStatusEvents(
  response: IncomingMessage,
  onData: (data: string) => boolean,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    let done = false;
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      buffered += chunk;
      let end: number;
      while (!done && (end = buffered.indexOf('\n\n')) >= 0) {
        const data = statusData(buffered.slice(0, end));
        buffered = buffered.slice(end + 2);
        if (data !== undefined && onData(data)) {
          done = true;
          resolve();
        }
      }
    });
    response.on('end', () => {
      resolve();
    });
    response.on('error', reject);
  });
}

function statusData(block: string): string | undefined {
  const lines = block.split('\n');
  if (!lines.includes('event: status')) return undefined;
  return lines.find((line) => line.startsWith('data: '))?.slice(6);
}
