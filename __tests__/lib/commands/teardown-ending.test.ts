import { teardownEnding } from "../../../lib/commands/teardown-ending";
import { configWith } from "../../support/synth";

test("teardown ends with what is gone, the bootstrap state file it leaves, and how to start again", () => {
  const config = configWith({ TFSTATE_BUCKET: "acme-state", TFSTATE_LOCK_TABLE: "acme-lock" });
  expect(teardownEnding(config, { workloadStacks: ["vpc"], deletedVersions: 14, foreignStateDeleted: false })).toEqual([
    "",
    "What is gone:",
    "  workloads                    vpc destroyed",
    "  bucket                       s3://acme-state, after deleting its 14 object version(s) and delete marker(s)",
    "  lock table                   acme-lock",
    "  and                          the rest of bootstrap: its state-access policies, and the CI roles where it made them",
    "What is left:",
    "  terraform.bootstrap.tfstate  bootstrap's local state, now of no resources: a record of what was there; delete it when you like",
    "  cdktf.out/                   the last synth; the next one rewrites it",
    "Next:",
    '  npx cdktf deploy bootstrap   start again (README.md, "Commands, in the order you run them")',
    "  npm run local                or try it all on moto, with no AWS account",
  ]);
});

test("on an emulator, with a created KMS key and foreign state deleted: each is said", () => {
  const config = configWith({ TFSTATE_BUCKET: "acme-state", TFSTATE_KMS: "create", AWS_ENDPOINT_URL: "http://127.0.0.1:4566" });
  const lines = teardownEnding(config, { workloadStacks: ["vpc-dev", "vpc-prod"], deletedVersions: 3, foreignStateDeleted: true, outdir: ".emulator/cdktf.out" });
  expect(lines).toEqual(
    expect.arrayContaining([
      "  workloads                    vpc-dev, vpc-prod destroyed",
      "  bucket                       s3://acme-state, after deleting its 3 object version(s) and delete marker(s), the state that was not this project's included",
      "  .emulator/cdktf.out/         the last synth; the next one rewrites it",
      "  KMS key                      alias alias/tfstate-backend/acme-state's key, which AWS deletes after its 30-day waiting period",
      "  endpoint                     http://127.0.0.1:4566 keeps running; nothing of this project is in it now",
    ]),
  );
});

test("with a replica and access logs: each bucket with what was deleted from it, the replication, and a created key in both regions", () => {
  const config = configWith({ TFSTATE_BUCKET: "acme-state", AWS_REGION: "us-east-1", TFSTATE_REPLICA_REGION: "eu-west-1", TFSTATE_ACCESS_LOGS: "true", TFSTATE_KMS: "create" });
  const lines = teardownEnding(config, { workloadStacks: ["vpc"], deletedVersions: 14, foreignStateDeleted: false, replicaDeletedVersions: 12, accessLogDeletedVersions: 40 });
  expect(lines.slice(3, 7)).toEqual([
    "  bucket                       s3://acme-state, after deleting its 14 object version(s) and delete marker(s)",
    "  replica                      s3://acme-state-replica-eu-west-1 in eu-west-1, after deleting its 12 object version(s) and delete marker(s): the copies of the state",
    "  replication                  the rule into it and the role tfstate-acme-state-replication",
    "  access logs                  s3://acme-state-access-logs, after deleting its 40 object version(s) and delete marker(s) of server access logs",
  ]);
  expect(lines).toContain("  KMS keys                     alias alias/tfstate-backend/acme-state's key, in us-east-1 and in eu-west-1, which AWS deletes after its 30-day waiting period");
});
