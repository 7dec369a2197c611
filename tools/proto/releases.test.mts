// buf breaking against the last recorded release: the repository's proto/ passes today, and a
// temp copy of it with a breaking change (a field deleted, a field renumbered, a method renamed)
// fails, each with buf's own finding.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import {
  checkBreaking,
  compareVersions,
  latestRelease,
  recordRelease,
  releases,
  ROOT,
} from './releases.mts';

const USER_PROTO = join('proto', 'junction', 'user', 'v1', 'user.proto');
const copies: string[] = [];

/** A throw-away workspace: the repository's buf.yaml and protos, the releases left out. */
function workspaceCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'junction-buf-'));
  copies.push(dir);
  cpSync(join(ROOT, 'buf.yaml'), join(dir, 'buf.yaml'));
  cpSync(join(ROOT, 'proto'), join(dir, 'proto'), {
    recursive: true,
    filter: (source) => !source.includes(join('proto', 'releases')),
  });
  return dir;
}

function edit(dir: string, file: string, from: string | RegExp, to: string): void {
  const path = join(dir, file);
  const before = readFileSync(path, 'utf8');
  const after = before.replace(from, to);
  assert.notEqual(after, before, `the edit of ${file} changed nothing`);
  writeFileSync(path, after);
}

function lastImage(): string {
  const latest = latestRelease();
  assert.ok(latest, 'a release is recorded in proto/releases/');
  return latest.image;
}

afterEach(() => {
  for (const dir of copies.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('proto releases', () => {
  describe(checkBreaking.name, () => {
    it('finds nothing breaking between proto/ and the last release', () => {
      assert.deepEqual(checkBreaking(lastImage()), { ok: true, output: '' });
    });

    it('accepts a new optional field, which old callers ignore', () => {
      const dir = workspaceCopy();
      edit(
        dir,
        USER_PROTO,
        'string display_name = 3;\n}',
        'string display_name = 3;\n  string locale = 4;\n}',
      );
      assert.equal(checkBreaking(lastImage(), dir).ok, true);
    });

    it('fails when a field is deleted', () => {
      const dir = workspaceCopy();
      edit(
        dir,
        USER_PROTO,
        /message User \{([^}]*)\n {2}string display_name = 3;/,
        'message User {$1',
      );
      const result = checkBreaking(lastImage(), dir);
      assert.equal(result.ok, false);
      assert.match(
        result.output,
        /Previously present field "3" with name "display_name" on message "User" was deleted/,
      );
    });

    it('fails when a field changes its number', () => {
      const dir = workspaceCopy();
      edit(
        dir,
        USER_PROTO,
        'message GetUserRequest {\n  string id = 1;',
        'message GetUserRequest {\n  string id = 2;',
      );
      const result = checkBreaking(lastImage(), dir);
      assert.equal(result.ok, false);
      assert.match(
        result.output,
        /Previously present field "1" with name "id" on message "GetUserRequest"/,
      );
    });

    it('fails when a method is renamed', () => {
      const dir = workspaceCopy();
      edit(dir, USER_PROTO, 'rpc GetUser(', 'rpc FetchUser(');
      const result = checkBreaking(lastImage(), dir);
      assert.equal(result.ok, false);
      assert.match(
        result.output,
        /Previously present RPC "GetUser" on service "UserService" was deleted/,
      );
    });
  });

  describe(recordRelease.name, () => {
    it('records an image that the next check compares against', () => {
      const dir = workspaceCopy();
      const releasesDir = join(dir, 'releases');
      recordRelease('0.1.0', dir, releasesDir);
      const recorded = recordRelease('v0.2.0', dir, releasesDir);
      assert.deepEqual(
        releases(releasesDir).map((r) => r.version),
        ['v0.1.0', 'v0.2.0'],
      );
      edit(dir, USER_PROTO, 'rpc GetUser(', 'rpc FetchUser(');
      assert.equal(checkBreaking(recorded.image, dir).ok, false);
    });

    it('refuses a version that is recorded or not newer than the last', () => {
      const dir = workspaceCopy();
      const releasesDir = join(dir, 'releases');
      recordRelease('0.2.0', dir, releasesDir);
      assert.throws(() => recordRelease('0.2.0', dir, releasesDir), /already recorded/);
      assert.throws(
        () => recordRelease('0.1.9', dir, releasesDir),
        /not newer than the last one, v0.2.0/,
      );
      assert.throws(() => recordRelease('latest', dir, releasesDir), /not a release version/);
    });
  });

  describe(compareVersions.name, () => {
    it('orders versions by number, not by text', () => {
      assert.deepEqual(['v0.10.0', 'v0.9.1', 'v1.0.0', 'v0.9.0'].sort(compareVersions), [
        'v0.9.0',
        'v0.9.1',
        'v0.10.0',
        'v1.0.0',
      ]);
    });
  });
});
