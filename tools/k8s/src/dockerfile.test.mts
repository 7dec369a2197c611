// The Dockerfile's own rules, read statically. The proof that it builds and runs is
// e2e/src/containers.test.mts (BuildKit builds every image and runs them); these checks say why
// a change would break a build here or in a user's hands before a build is attempted.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { readDockerfile, stage, stageNames, type Instruction } from './dockerfile.mts';
import { repoPath } from './repo.mts';

const text = readFileSync(repoPath('Dockerfile'), 'utf8');
const instructions = readDockerfile('Dockerfile');
const rootPackage = JSON.parse(readFileSync(repoPath('package.json'), 'utf8')) as {
  devDependencies: Record<string, string>;
};
const isNpmCi = (i: Instruction): boolean =>
  i.keyword === 'RUN' && /\bnpm ci\b/.test(i.args.join(' '));

describe('Dockerfile', () => {
  it("starts from the exact Node version of the root package.json's node devDependency", () => {
    const arg = instructions.find(
      (i) => i.keyword === 'ARG' && i.args[0]?.startsWith('NODE_IMAGE='),
    );
    assert.equal(
      arg?.args[0],
      `NODE_IMAGE=node:${rootPackage.devDependencies.node ?? ''}-bookworm-slim`,
    );
  });

  it('starts every stage from NODE_IMAGE or an earlier stage, so no image goes unpinned', () => {
    const stages = stageNames(instructions);
    for (const from of instructions.filter((i) => i.keyword === 'FROM')) {
      const base = from.args[0] ?? '';
      assert.ok(base === '${NODE_IMAGE}' || stages.includes(base), `FROM ${base}`);
    }
  });

  it('has no syntax directive, so BuildKit needs no registry for its frontend', () => {
    assert.doesNotMatch(text, /^#\s*syntax\s*=/im);
    assert.match(text, /BUILDKIT_SYNTAX/, 'the comment tells users how to pin a frontend');
  });

  it('installs the dependencies from the manifests alone, before the sources arrive', () => {
    const build = stage(instructions, 'build');
    const install = build.findIndex(isNpmCi);
    const sources = build.findIndex((i) => i.keyword === 'COPY' && i.args[0] === '.');
    assert.ok(install > 0 && sources > install, 'npm ci runs before COPY . .');
    const before = build
      .slice(1, install)
      .filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD');
    assert.deepEqual(
      before.map((i) => i.flags),
      [['from=manifests']],
      'only the manifests stage is copied in before npm ci',
    );
    const manifests = stage(instructions, 'manifests');
    assert.ok(
      manifests.every((i) => i.keyword !== 'COPY' && i.keyword !== 'ADD'),
      'the manifests stage reads the context through a bind mount, not a layer',
    );
    assert.match(manifests.map((i) => i.args.join(' ')).join('\n'), /-name package\.json/);
    assert.match(manifests.map((i) => i.args.join(' ')).join('\n'), /package-lock\.json/);
  });

  it('installs the production bundle from its lockfile, without dev dependencies', () => {
    for (const [name, bundled] of [
      ['service-build', '"${SERVICE}"'],
      ['storefront-build', 'storefront'],
    ] as const) {
      const bundle = stage(instructions, name).find(
        (i) => i.keyword === 'RUN' && i.args.join(' ').includes('tools/bundle/bundle.mts'),
      );
      assert.ok(bundle, `the ${name} stage runs tools/bundle/bundle.mts`);
      assert.ok(bundle.args.join(' ').includes(`bundle.mts ${bundled} --out`), name);
      assert.match(bundle.args.join(' '), /npm ci --omit=dev/);
    }
    assert.ok(
      instructions.every((i) => i.keyword !== 'RUN' || !/\bnpm install\b/.test(i.args.join(' '))),
      'no step resolves dependencies again with npm install',
    );
  });

  it('builds the storefront as its own target, non-root, with the service runtime still last', () => {
    const names = stageNames(instructions);
    assert.equal(names[names.length - 1], 'runtime', 'a plain docker build gives a service image');
    const storefront = stage(instructions, 'storefront');
    const args = (keyword: string) =>
      storefront.filter((i) => i.keyword === keyword).map((i) => i.args.join(' '));
    assert.equal(storefront[0]?.args[0], '${NODE_IMAGE}');
    assert.deepEqual(args('USER'), ['10001:10001']);
    assert.deepEqual(args('CMD'), ['node dist/server/main.js']);
    assert.match(
      args('LABEL').join(' '),
      /org\.opencontainers\.image\.title="junction-storefront"/,
    );
    const copies = storefront.filter((i) => i.keyword === 'COPY');
    assert.deepEqual(
      copies.map((i) => i.flags),
      [['from=storefront-build']],
      'the bundle alone, root-owned (no --chown)',
    );
    assert.ok(
      stage(instructions, 'storefront-build').some(
        (i) =>
          i.keyword === 'RUN' && i.args.join(' ').includes('nx run @junction/storefront:build'),
      ),
    );
  });

  it('gives every npm ci the CA bundle as an optional secret, never as a layer or an env', () => {
    const installs = instructions.filter(isNpmCi);
    // The workspace's, the service bundle's and the storefront bundle's.
    assert.equal(installs.length, 3);
    for (const install of installs) {
      assert.ok(
        install.flags.includes('mount=type=secret,id=ca-certificates,required=false'),
        `Dockerfile:${String(install.line)}: no optional ca-certificates secret`,
      );
      assert.match(install.args.join(' '), /\[ -s \/run\/secrets\/ca-certificates \]/);
    }
    assert.ok(
      instructions.every(
        (i) =>
          !(i.keyword === 'ENV' && /cafile/i.test(i.args.join(' '))) &&
          !(['COPY', 'ADD'].includes(i.keyword) && /\.(crt|pem)\b/.test(i.args.join(' '))),
      ),
    );
  });
});
