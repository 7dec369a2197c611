// The shell commands README.md and docs/kubernetes.md show, run as written against a local run
// (the five services and the local gateway), so the documented first steps cannot rot.
//
// Which blocks run: every ```sh block (indented ones in lists too) that talks to the public URL,
// http://localhost:8080, and uses no cluster tool (kubectl, kind, skaffold, helm, docker,
// cluster:up/down) — the same commands work against the cluster, where 8080 is the Istio
// gateway's port-forward. A block that talks to the URL but needs a cluster must be listed in
// NEEDS_CLUSTER with the reason; cluster-only commands are best shown as ```console blocks.
// Other ```sh blocks (e.g. `npm ci && npm run cluster:up`) do not talk to the URL and are not
// run; the test names them.
//
// Every block that runs must exit 0 (bash -eu) twice in a row (the docs say they can be
// repeated), and its output must show it worked: EXPECTED says what, per block, and a new
// block fails here until it is added there.
//
// The gateway listens on the real 8080 when it is free, so the commands run byte for byte as
// written; when something else holds 8080 (a developer's npm start or cluster:up), it listens
// on the e2e run's port (8080 + E2E_PORT_OFFSET) and the URL in each block is rewritten to it —
// the test says which in its diagnostics. The services are always the e2e run's, on offset ports.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { REPO_ROOT } from '@junction/topology';
import { removeInfrastructure, resetInfrastructure } from './support/environment.mts';
import { type Gateway, startPublicGateway } from './support/gateway.mts';
import { type E2eTopology, startE2eTopology } from './support/topology.mts';

const PUBLIC_URL = 'http://localhost:8080';
const DOCUMENTS = ['README.md', 'docs/kubernetes.md'];
const CLUSTER_TOOL = /\b(kubectl|kind|skaffold|helm|docker)\b|cluster:(up|down)/;

/** A block's name: its document and its first line. */
type SnippetName = string;

/** Blocks that talk to the public URL but need a cluster, and why. */
const NEEDS_CLUSTER: Readonly<Record<SnippetName, string>> = {};

/** What each block's output must contain to show it worked. */
const EXPECTED: Readonly<Record<SnippetName, readonly RegExp[]>> = {
  'README.md: curl -s http://localhost:8080/inventory/items; echo': [
    /"sku":"JNC-MUG"/,
    /"user":\{"id":"[^"]+","email":"ada@example.com"|"statusCode":409/,
    /^event: status\ndata: \{[^\n]*"status":"confirmed"/m,
    /"status":"captured"/,
  ],
  "docs/kubernetes.md: curl -s http://localhost:8080/inventory/items | jq -r '.items[0].sku'": [
    /^JNC-[A-Z]+$/m,
  ],
  "docs/kubernetes.md: curl -s http://localhost:8080/auth/register -H 'content-type: application/json' \\":
    [/^HTTP\/1\.1 201 Created/m, /^HTTP\/1\.1 202 Accepted/m],
};

interface Snippet {
  readonly name: SnippetName;
  readonly line: number;
  readonly text: string;
}

/** Every ```sh block of a Markdown document, dedented to its fence. */
function shellBlocks(document: string, markdown: string): Snippet[] {
  const lines = markdown.split('\n');
  const blocks: Snippet[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const fence = /^(\s*)```sh\s*$/.exec(lines[i] ?? '');
    if (!fence) continue;
    const indent = fence[1]?.length ?? 0;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !/^\s*```\s*$/.test(lines[j] ?? ''); j += 1) {
      body.push((lines[j] ?? '').slice(indent));
    }
    const text = body.join('\n');
    blocks.push({ name: `${document}: ${body[0] ?? ''}`, line: i + 1, text });
    i = j;
  }
  return blocks;
}

const snippets = DOCUMENTS.flatMap((document) =>
  shellBlocks(document, readFileSync(join(REPO_ROOT, document), 'utf8')),
);
const talksToUrl = snippets.filter((s) => s.text.includes(PUBLIC_URL));
const runnable = talksToUrl.filter((s) => !(s.name in NEEDS_CLUSTER));

const run = promisify(execFile);

/** Runs a block with bash -eu, the repo's node first on PATH; its stdout and stderr. */
async function runSnippet(text: string): Promise<{ stdout: string; stderr: string }> {
  return run('bash', ['-euc', text], {
    cwd: tmpdir(),
    env: { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` },
    timeout: 60_000,
    maxBuffer: 4 * 1024 * 1024,
  });
}

describe('the documented shell commands', () => {
  let topology: E2eTopology;
  let gateway: Gateway;

  before(async () => {
    await resetInfrastructure();
    topology = await startE2eTopology();
    const started = await startPublicGateway();
    gateway = started.gateway;
  });

  after(async () => {
    await gateway.close();
    await topology.stop();
    await removeInfrastructure();
  });

  it('sorts every sh block that talks to the public URL: run here, or listed as cluster-only', (t) => {
    assert.ok(talksToUrl.length >= 3, 'the README and docs/kubernetes.md show such commands');
    for (const snippet of talksToUrl) {
      const needsCluster = CLUSTER_TOOL.test(snippet.text);
      assert.equal(
        snippet.name in NEEDS_CLUSTER,
        needsCluster,
        `${snippet.name} (line ${String(snippet.line)}) ${needsCluster ? 'uses a cluster tool: list it in NEEDS_CLUSTER with the reason, or show it as a console block' : 'is listed in NEEDS_CLUSTER but needs no cluster'}`,
      );
    }
    for (const snippet of runnable) {
      assert.ok(
        EXPECTED[snippet.name],
        `${snippet.name} (line ${String(snippet.line)}) runs here: add what its output must show to EXPECTED`,
      );
    }
    const stale = Object.keys(EXPECTED).filter((name) => !runnable.some((s) => s.name === name));
    assert.deepEqual(stale, [], 'EXPECTED names blocks the documents no longer have');
    for (const snippet of snippets.filter((s) => !talksToUrl.includes(s))) {
      t.diagnostic(`not run (does not talk to ${PUBLIC_URL}): ${snippet.name}`);
    }
  });

  it('runs each of them as written, twice, and each shows it worked', async (t) => {
    const asWritten = gateway.url === PUBLIC_URL;
    t.diagnostic(
      asWritten
        ? `the gateway is on ${PUBLIC_URL}: the blocks run byte for byte`
        : `${PUBLIC_URL} is taken: the blocks run with it rewritten to ${gateway.url}`,
    );
    for (const snippet of runnable) {
      const text = asWritten ? snippet.text : snippet.text.replaceAll(PUBLIC_URL, gateway.url);
      for (const round of [1, 2]) {
        const where = `${snippet.name} (line ${String(snippet.line)}), run ${String(round)}`;
        const { stdout, stderr } = await runSnippet(text).catch((error: unknown) => {
          const failed = error as { code?: unknown; stdout?: string; stderr?: string };
          assert.fail(
            `${where} exited with ${String(failed.code)}:\n${failed.stdout ?? ''}\n${failed.stderr ?? ''}`,
          );
        });
        for (const pattern of EXPECTED[snippet.name] ?? []) {
          assert.match(stdout, pattern, `${where} printed:\n${stdout}\n${stderr}`);
        }
      }
    }
  });
});
