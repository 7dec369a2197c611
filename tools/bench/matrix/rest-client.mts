// GetItem over HTTP/1.1 + JSON: node:http with a keep-alive pool (Nagle off, node:http's default).
import { Agent, request } from 'node:http';
import { base64Length } from './item-lookup.mts';
import { type ClientOptions, type GetItemClient, WrongReply } from './transports.mts';

export function openRestClient(baseUrl: string, options: ClientOptions): GetItemClient {
  const url = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const path = `/inventory/items/${options.sku}?padding=${String(options.paddingBytes)}`;
  const expected = options.paddingBytes > 0 ? base64Length(options.paddingBytes) : 0;
  const call = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const outgoing = request(
        { agent, host: url.hostname, port: url.port, path, method: 'GET' },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            if (response.statusCode !== 200) {
              reject(new WrongReply(`HTTP ${String(response.statusCode)}`));
              return;
            }
            const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
              padding?: string;
            };
            if ((body.padding?.length ?? 0) === expected) resolve();
            else reject(new WrongReply(`padding of ${String(body.padding?.length)} chars`));
          });
        },
      );
      outgoing.on('error', reject);
      outgoing.end();
    });
  return {
    call,
    close: () => {
      agent.destroy();
      return Promise.resolve();
    },
  };
}
