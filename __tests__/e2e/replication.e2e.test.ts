// TFSTATE_REPLICA_REGION and TFSTATE_ACCESS_LOGS deployed: the replica bucket in its region, the replication
// configuration and the state bucket's logging, read back through the AWS API. moto stores both configurations
// but acts on neither (it copies no object and delivers no log), so this proves what is configured, not the
// copy: docs/troubleshooting.md's Disaster recovery says so. On an emulator of its own, with one bootstrap deploy and no vpc.
import * as path from "path";
import { GetBucketEncryptionCommand, GetBucketLoggingCommand, GetBucketReplicationCommand, GetBucketVersioningCommand, GetBucketPolicyCommand } from "@aws-sdk/client-s3";
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
});
