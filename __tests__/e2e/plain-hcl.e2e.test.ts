// backend.hcl from npm run backend-config lets a plain Terraform directory use the bucket and the lock.
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { succeeded } from "../../lib/process/cdktf";
import { lockTableItems } from "../../lib/aws/inspect";
import { digestItemId } from "../../lib/locks/state-digest";
import { holdStateLock } from "./support/lock-holder";
import { plainHclDirectory } from "./support/plain-hcl";
import { Scenario, sharedEndpoint } from "./support/world";

test("a plain HCL directory inits with backend.hcl, applies, and is locked like the stacks (TFSTATE_LOCK=both)", async () => {
  const scenario = new Scenario("plain-hcl", sharedEndpoint(), { TFSTATE_LOCK: "both" });
  const config = scenario.config();
  const clients = scenario.clients();
  const key = "e2e/plain-hcl/plain/terraform.tfstate";
  const plain = await plainHclDirectory(scenario, key);
  expect(plain.backendHcl).toMatch(/^use_lockfile\s+= true$/m);
  expect(plain.backendHcl).toMatch(new RegExp(`^dynamodb_table\\s+= "${config.lockTable}"$`, "m"));

  succeeded(await plain.terraform(["init", "-backend-config=backend.hcl"]), "terraform init -backend-config=backend.hcl");
  succeeded(await plain.terraform(["apply", "-auto-approve"]), "terraform apply");

  const object = await clients.s3.send(new GetObjectCommand({ Bucket: config.stateBucket, Key: key }));
  const state = JSON.parse(await object.Body!.transformToString());
  expect(state.resources.map((r: { type: string }) => r.type)).toEqual(["terraform_data"]);
  expect(Object.keys(await lockTableItems(clients, config.lockTable, `${config.stateBucket}/${key}`))).toEqual([
    digestItemId(config.stateBucket, key),
  ]);

  const holder = await holdStateLock(scenario.env, plain.dir, "terraform_data.example");
  try {
    const second = await plain.terraform(["apply", "-auto-approve"]);
    expect(second.code).not.toBe(0);
    expect(second.output).toContain("Error acquiring the state lock");
  } finally {
    await holder.release();
  }
});
