import { Testing } from "cdktf";
import { terraformEnv } from "../../lib/terraform-env";
import { testTmpDir } from "./temp";

Testing.setupJest();

Object.assign(process.env, terraformEnv(testTmpDir));
