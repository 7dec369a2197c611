// `npm run proto:release -- <version>`: records proto/ as a release (proto/releases/<version>.binpb,
// committed with the release), after checking that it does not break the previous one.
import { relative } from 'node:path';
import { checkBreaking, latestRelease, recordRelease, ROOT } from './releases.mts';

const version = process.argv[2];
if (!version) {
  console.error('usage: npm run proto:release -- <version>   (e.g. 0.2.0)');
  process.exit(2);
}
const previous = latestRelease();
if (previous) {
  const result = checkBreaking(previous.image);
  if (!result.ok) {
    console.error(result.output);
    console.error(`not recorded: proto/ breaks the callers of ${previous.version}`);
    process.exit(1);
  }
}
const release = recordRelease(version);
console.log(`recorded ${release.version}: ${relative(ROOT, release.image)} (commit it)`);
