// Copies proto/ into a library's build output so the .proto files ship with the contracts
// (Nest's gRPC server and server reflection load them at run time). The release images
// (proto/releases, for buf breaking) stay behind.
import { cpSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const target = process.argv[2];
if (!target) {
  console.error('usage: copy-protos.mts <target-dir>');
  process.exit(2);
}
const source = join(import.meta.dirname, '..', '..', 'proto');
const releases = join(source, 'releases');
rmSync(resolve(target), { recursive: true, force: true });
cpSync(source, resolve(target), {
  recursive: true,
  filter: (path) => path !== releases && !path.startsWith(`${releases}/`),
});
