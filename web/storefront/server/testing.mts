// Test helpers of the server's tests: a real local HTTP server standing in for a peer (the
// trace collector, Jaeger's query, a service's /admin/faults), a built app's files in a
// temporary folder, and the app built from an environment.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { loadConfig } from './config.ts';

export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface PeerAnswer {
  readonly status: number;
  readonly body?: string;
  readonly contentType?: string;
  /** Wait this long before answering (a slow peer). */
  readonly delayMs?: number;
}

/** A local HTTP peer that records every request and answers with `answer` (changeable). */
export class FakePeer {
  readonly seen: SeenRequest[] = [];
  answer: PeerAnswer = { status: 200, body: '{}', contentType: 'application/json' };
  private readonly server: Server;

  private constructor() {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        this.seen.push({
          method: request.method ?? '',
          url: request.url ?? '',
          headers: request.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        const { status, body = '', contentType, delayMs = 0 } = this.answer;
        setTimeout(() => {
          response.writeHead(
            status,
            contentType === undefined ? {} : { 'content-type': contentType },
          );
          response.end(body);
        }, delayMs);
      });
    });
  }

  static async start(): Promise<FakePeer> {
    const peer = new FakePeer();
    await new Promise<void>((resolve) => peer.server.listen(0, '127.0.0.1', resolve));
    return peer;
  }

  get url(): string {
    return `http://127.0.0.1:${String((this.server.address() as AddressInfo).port)}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) =>
      this.server.close(() => {
        resolve();
      }),
    );
  }
}

/** A folder shaped like Vite's output: index.html, a hashed asset, a file at the top. */
export function fakePublicDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'storefront-public-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><html lang="en"><title>Junction</title></html>',
  );
  writeFileSync(join(dir, 'assets', 'index-AbC123.js'), 'console.log("app");');
  writeFileSync(join(dir, 'robots.txt'), 'User-agent: *\n');
  return {
    dir,
    remove: () => {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The app as main.ts builds it, from these environment variables, on `publicDir`. */
export async function appWith(
  env: Record<string, string>,
  publicDir: string,
): Promise<FastifyInstance> {
  return buildApp({ config: loadConfig(env), publicDir });
}

export const ADMIN_TOKEN = 'a-fault-admin-token-of-at-least-32-chars';

export function demoEnv(payment: string, inventory: string): Record<string, string> {
  return {
    DEMO_PANEL: 'true',
    FAULT_ADMIN_TOKEN: ADMIN_TOKEN,
    FAULT_PAYMENT_URL: payment,
    FAULT_INVENTORY_URL: inventory,
  };
}
