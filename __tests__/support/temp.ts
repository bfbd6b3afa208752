import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** Everything a test file writes goes under this directory, which is removed when the file is done. */
export const testTmpDir = fs.mkdtempSync(path.join(os.tmpdir(), "tfstate-backend-test-"));
afterAll(() => fs.rmSync(testTmpDir, { recursive: true, force: true }));
