import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Testing } from "cdktf";
import { terraformEnv } from "../../scripts/terraform-env";

Testing.setupJest();

const cliConfigDir = fs.mkdtempSync(path.join(os.tmpdir(), "tfstate-backend-tfrc-"));
Object.assign(process.env, terraformEnv(cliConfigDir));
afterAll(() => fs.rmSync(cliConfigDir, { recursive: true, force: true }));
