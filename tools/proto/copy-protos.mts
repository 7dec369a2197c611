// Copies proto/ into a library's build output so the .proto files ship with the contracts
// (Nest's gRPC server and server reflection load them at run time).
import { cpSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const target = process.argv[2];
if (!target) {
  console.error('usage: copy-protos.mts <target-dir>');
  process.exit(2);
}
const source = join(import.meta.dirname, '..', '..', 'proto');
rmSync(resolve(target), { recursive: true, force: true });
cpSync(source, resolve(target), { recursive: true });
