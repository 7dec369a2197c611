import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toolPath } from '@junction/toolchain';
import { runTool } from './infra-files.mts';
import { repoRoot } from './repo.mts';
import { imageExists, localBuild, offlineSkaffold, removeImage } from './skaffold-offline.mts';

const build = localBuild();

/** skaffold builds one image from the Dockerfile with the local Docker engine, push off. */
describe('skaffold build (the binary, local Docker engine, push off)', () => {
  const skip = typeof build === 'string' ? build : undefined;

  it('builds the auth image as skaffold.yaml declares it', { skip }, () => {
    if (typeof build === 'string') return;
    const { file, env } = offlineSkaffold(toolPath('helm'), build);
    const args = [
      'build',
      '-f',
      file,
      '-m',
      'app',
      '--build-image=junction-auth',
      '--push=false',
      '--cache-artifacts=false',
      '--quiet',
    ];
    const result = runTool(toolPath('skaffold'), args, {
      cwd: repoRoot,
      env,
      timeoutMs: 1_200_000,
    });
    assert.equal(result.status, 0, `skaffold build failed:\n${result.stdout}\n${result.stderr}`);
    const { builds } = JSON.parse(result.stdout) as {
      builds: { imageName: string; tag: string }[];
    };
    assert.deepEqual(
      builds.map((b) => b.imageName),
      ['junction-auth'],
    );
    const tag = builds[0]?.tag ?? '';
    assert.ok(imageExists(tag), `${tag} is not in the local engine`);
    removeImage(tag);
  });
});
