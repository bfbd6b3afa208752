// TFSTATE_REPLICA_REGION and TFSTATE_ACCESS_LOGS deployed: the replica bucket in its region, the replication
// configuration and the state bucket's logging, read back through the AWS API. moto stores the replication
// configuration but copies no object, so this proves what is configured, not the copy: docs/troubleshooting.md's Disaster
// recovery says so. moto does write access logs into the log bucket, as requests arrive, which teardown then has to empty,
// at times more than once. On an emulator of its own, with one bootstrap deploy and no vpc.
// Then npm run doctor checks all of it, and npm run teardown empties and destroys the replica and the log bucket.
import * as path from "path";
import {
  GetBucketEncryptionCommand,
  GetBucketLoggingCommand,
  GetBucketPolicyCommand,
  GetBucketReplicationCommand,
  GetBucketVersioningCommand,
  ListBucketsCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { awsClients } from "../../lib/aws/clients";
import { Emulator, startEmulator } from "../../lib/local/emulator";
import { E2E_DIR, Scenario, step } from "./support/world";

const REPLICA_REGION = "eu-west-1";
const SETTINGS = {
  TFSTATE_BUCKET: "e2e-replicated-state",
  TFSTATE_LOCK_TABLE: "e2e-replicated-lock",
  TFSTATE_REPLICA_REGION: REPLICA_REGION,
  TFSTATE_ACCESS_LOGS: "true",
};

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ logFile: path.join(E2E_DIR, "moto-replication.log") });
});
afterAll(() => emulator?.stop());

test("bootstrap with a replica and access logs: the replica, the replication of every object into it, and the logging, as configured", async () => {
  const scenario = new Scenario("replication", emulator.endpoint, SETTINGS);
  const config = scenario.config();
  const { AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY } = scenario.env;
  const credentials = { accessKeyId: AWS_ACCESS_KEY_ID!, secretAccessKey: AWS_SECRET_ACCESS_KEY! };
  const { s3 } = awsClients(config, credentials);
  const { s3: replicaS3 } = awsClients({ ...config, region: REPLICA_REGION }, credentials);
  const replica = config.replica!.bucket;
  const logs = config.accessLogs!.bucket;

  const outputs = await step("deploy bootstrap", () => scenario.apply("bootstrap"));
  expect(outputs).toMatchObject({ replica_bucket_name: replica, replica_region: REPLICA_REGION, access_log_bucket_name: logs });

  await step("the replica bucket: versioned and encrypted, in its region", async () => {
    expect((await replicaS3.send(new GetBucketVersioningCommand({ Bucket: replica }))).Status).toBe("Enabled");
    const encryption = await replicaS3.send(new GetBucketEncryptionCommand({ Bucket: replica }));
    expect(encryption.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm).toBe("AES256");
  });

  await step("the replication configuration: the role, and one rule for every object, into the replica", async () => {
    const { ReplicationConfiguration } = await s3.send(new GetBucketReplicationCommand({ Bucket: config.stateBucket }));
    expect(ReplicationConfiguration?.Role).toBe(outputs.replication_role_arn);
    // moto 5.2.5 answers every rule with an empty prefix and DeleteMarkerReplication Disabled, whatever was put
    // (it hard-codes both in GetBucketReplication), so delete-marker replication is proven by the unit tests alone.
    expect(ReplicationConfiguration?.Rules).toEqual([
      expect.objectContaining({
        ID: "replicate-every-object",
        Status: "Enabled",
        Destination: expect.objectContaining({ Bucket: `arn:aws:s3:::${replica}`, StorageClass: "STANDARD" }),
      }),
    ]);
  });

  await step("the state bucket logs into the log bucket under its own prefix, which only S3's logging service may write", async () => {
    const { LoggingEnabled } = await s3.send(new GetBucketLoggingCommand({ Bucket: config.stateBucket }));
    expect(LoggingEnabled).toMatchObject({ TargetBucket: logs, TargetPrefix: `${config.stateBucket}/` });
    const policy = JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: logs }))).Policy!);
    expect(policy.Statement.find((s: { Sid: string }) => s.Sid === "S3ServerAccessLogsOfTheStateBucket")).toMatchObject({
      Principal: { Service: "logging.s3.amazonaws.com" },
      Resource: `arn:aws:s3:::${logs}/${config.stateBucket}/*`,
    });
  });

  const stateObject = JSON.stringify({ version: 4, terraform_version: "1.11.4", serial: 1, lineage: "e2e-replication", outputs: {}, resources: [] });
  await step("npm run doctor checks the replication, the replica bucket, the logging and the log bucket; on moto, one check fails as the emulator answers", async () => {
    // A state object, as a vpc stack's apply would write it: moto gives it no replication status.
    const put = await s3.send(new PutObjectCommand({ Bucket: config.stateBucket, Key: config.stateKey, Body: stateObject, ContentType: "application/json" }));
    const doctor = await scenario.npmRun("doctor");
    const lines = doctor.output.split("\n");
    const passed = (subject: string) => lines.find((line) => line.startsWith(`✓ ${subject}: `));
    expect({
      bucket: passed(`bucket s3://${config.stateBucket}`),
      replication: passed(`replication s3://${config.stateBucket} → s3://${replica}`),
      replica: passed(`replica bucket s3://${replica} in ${REPLICA_REGION}`),
      logs: passed(`log bucket s3://${logs}`),
    }).toEqual({
      bucket: `✓ bucket s3://${config.stateBucket}: 7 checks passed (exists, versioning, encryption, public-access-block, ownership, lifecycle, access-logging)`,
      // No delete-markers here: see the ✗ line below.
      replication: `✓ replication s3://${config.stateBucket} → s3://${replica}: 3 checks passed (role, rule, destination)`,
      replica: `✓ replica bucket s3://${replica} in ${REPLICA_REGION}: 6 checks passed (exists, versioning, encryption, public-access-block, ownership, lifecycle)`,
      logs: `✓ log bucket s3://${logs}: 7 checks passed (exists, versioning, encryption, public-access-block, ownership, log-delivery, expiration)`,
    });
    // What the emulator cannot show. moto 5.2.5 answers DeleteMarkerReplication Disabled whatever was put, so doctor
    // reports the drift it would report on AWS (the unit tests prove the Enabled rule passes); and moto replicates
    // nothing, so the state object has no replication status, as one written before the rule would on AWS.
    expect(lines.filter((line) => line.startsWith("✗"))).toEqual([
      `✗ replication s3://${config.stateBucket} → s3://${replica}: DeleteMarkerReplication is Disabled, configured Enabled: a state deleted here stays current in the replica  fix: npx cdktf deploy bootstrap`,
    ]);
    expect(lines.filter((line) => line.startsWith(`! s3://${config.stateBucket}/`))).toEqual([
      expect.stringContaining(`! s3://${config.stateBucket}/${config.stateKey}: latest version ${put.VersionId} has no replication status`),
    ]);
    expect(doctor.code).toBe(1);
  });

  await step("npm run teardown --yes: says what the replica and the log bucket hold, empties them and destroys them with the rest", async () => {
    // What moto does not write itself: the copy that replication would make. The logs it delivers on its own.
    await replicaS3.send(new PutObjectCommand({ Bucket: replica, Key: config.stateKey, Body: stateObject }));
    const torn = await scenario.npmRun("teardown", ["--yes", "--output", scenario.outdir]);
    expect({ code: torn.code, tail: torn.code === 0 ? "" : torn.output.slice(-3000) }).toEqual({ code: 0, tail: "" });
    expect(torn.output).toContain(`the replica s3://${replica} in ${REPLICA_REGION} holds 1 object version(s) and 0 delete marker(s)`);
    expect(torn.output).toMatch(new RegExp(`the log bucket s3://${logs} holds [1-9]\\d* object version\\(s\\) and 0 delete marker\\(s\\): the state bucket's server access logs, and no state`));
    expect(torn.output).toContain(`deleted 1 object version(s) and delete marker(s) from the replica s3://${replica} in ${REPLICA_REGION}`);
    expect(torn.output).toMatch(new RegExp(`deleted [1-9]\\d* object version\\(s\\) and delete marker\\(s\\) from the log bucket s3://${logs}`));
    // Logs of the requests that emptied the buckets may arrive after the log bucket was emptied: then it is emptied
    // again, and only it.
    expect(torn.output).not.toContain(`S3 wrote into the replica`);
    const names = ((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).map((bucket) => bucket.Name);
    expect(names.filter((name) => [config.stateBucket, replica, logs].includes(name!))).toEqual([]);
  });
});
