import * as fs from "fs";
import * as os from "os";
import * as path from "path";

let dir: string | undefined;

/** Everything a test file writes goes under this directory: made on first use, removed when the file is done (setup.ts). */
export function testTmpDir(): string {
  dir ??= fs.mkdtempSync(path.join(os.tmpdir(), "tfstate-backend-test-"));
  return dir;
}

export function removeTestTmpDir(): void {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = undefined;
}
