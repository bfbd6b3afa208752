import { Testing } from "cdktf";
import { terraformEnv } from "../../lib/process/terraform-env";
import { removeTestTmpDir, testTmpDir } from "./temp";

Testing.setupJest();

// Set up and torn down around each test file, not when this file loads.
beforeAll(() => {
  Object.assign(process.env, terraformEnv(testTmpDir()));
});
afterAll(removeTestTmpDir);
