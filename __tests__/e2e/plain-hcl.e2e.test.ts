// backend.hcl from npm run backend-config lets a plain Terraform directory use the bucket and the lock.
import * as fs from "fs";
import * as path from "path";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { succeeded } from "../../lib/cdktf-cli";
import { lockTableItems } from "../../lib/inspect";
import { runProcess } from "../../lib/run-process";
import { digestItemId } from "../../lib/state-digest";
import { holdStateLock } from "./support/lock-holder";
import { Scenario, sharedEndpoint } from "./support/world";

const terraform = (args: string[], cwd: string, env: NodeJS.ProcessEnv) =>
  runProcess("terraform", [...args, "-no-color", "-input=false"], { cwd, env });

test("a plain HCL directory inits with backend.hcl, applies, and is locked like the stacks (TFSTATE_LOCK=both)", async () => {
  const scenario = new Scenario("plain-hcl", sharedEndpoint(), { TFSTATE_LOCK: "both" });
  const config = scenario.config();
  const clients = scenario.clients();
  const dir = path.join(scenario.dir, "plain");
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(path.join(__dirname, "fixtures", "plain-hcl", "main.tf"), path.join(dir, "main.tf"));

  const written = await scenario.npmRun("backend-config", ["--output", path.join(dir, "backend.hcl")]);
  succeeded(written, "npm run backend-config");
  const hcl = fs.readFileSync(path.join(dir, "backend.hcl"), "utf8");
  expect(hcl).toMatch(/^use_lockfile\s+= true$/m);
  expect(hcl).toMatch(new RegExp(`^dynamodb_table\\s+= "${config.lockTable}"$`, "m"));

  const init = await terraform(["init", "-backend-config=backend.hcl"], dir, scenario.env);
  succeeded(init, "terraform init -backend-config=backend.hcl");
  const apply = await terraform(["apply", "-auto-approve"], dir, scenario.env);
  succeeded(apply, "terraform apply");

  const object = await clients.s3.send(new GetObjectCommand({ Bucket: config.stateBucket, Key: config.stateKey }));
  const state = JSON.parse(await object.Body!.transformToString());
  expect(state.resources.map((r: { type: string }) => r.type)).toEqual(["terraform_data"]);
  expect(Object.keys(await lockTableItems(clients, config.lockTable, `${config.stateBucket}/${config.stateKey}`))).toEqual([
    digestItemId(config.stateBucket, config.stateKey),
  ]);

  const holder = await holdStateLock(scenario.env, dir, "terraform_data.example");
  try {
    const second = await terraform(["apply", "-auto-approve"], dir, scenario.env);
    expect(second.code).not.toBe(0);
    expect(second.output).toContain("Error acquiring the state lock");
  } finally {
    await holder.release();
  }
});
