// `npm run proto:breaking`: fails when proto/ breaks the callers of the last release (buf
// breaking, FILE rules of buf.yaml, against the newest image in proto/releases/).
import { relative } from 'node:path';
import { checkBreaking, latestRelease, ROOT } from './releases.mts';

const latest = latestRelease();
if (!latest) {
  console.error('no release recorded in proto/releases/ (npm run proto:release -- <version>)');
  process.exit(1);
}
const result = checkBreaking(latest.image);
if (!result.ok) {
  console.error(result.output);
  console.error(`proto/ breaks the callers of ${latest.version} (${relative(ROOT, latest.image)})`);
  process.exit(1);
}
console.log(`proto/ is compatible with ${latest.version}`);
