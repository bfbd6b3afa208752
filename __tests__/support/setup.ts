import { Testing } from "cdktf";
import { terraformEnv } from "../../lib/process/terraform-env";
import { testTmpDir } from "./temp";

Testing.setupJest();

Object.assign(process.env, terraformEnv(testTmpDir));
