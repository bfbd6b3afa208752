// The terraform addresses of what holds state. terraform knows a resource by its address alone: a renamed
// construct gives a new address, and the next deploy plans to destroy the old resource and create a new
// one. For the state bucket that is every stack's state; for the lock table, every lock and digest. So the
// addresses are written out here, as deployed backends have them, and not read back from the code.
import { bootstrapStack, configWith, parse, synth, vpcStack } from "../support/synth";

const STATE_BUCKET = "aws_s3_bucket.state-bucket_828F7150";
// Each setting of the bucket is a resource of its own, on the bucket.
const BUCKET_ENCRYPTION = "aws_s3_bucket_server_side_encryption_configuration.state-bucket_encryption_09E6F87B";
const BUCKET_SETTINGS = [
  "aws_s3_bucket_versioning.state-bucket_versioning_933ED8BF",
  BUCKET_ENCRYPTION,
  "aws_s3_bucket_public_access_block.state-bucket_public-access-block_498D68DA",
  "aws_s3_bucket_ownership_controls.state-bucket_ownership_A4364906",
  "aws_s3_bucket_lifecycle_configuration.state-bucket_lifecycle_C2B75840",
  "aws_s3_bucket_policy.state-bucket_tls-only-policy_95DA31FD",
];
const LOCK_TABLE = "aws_dynamodb_table.lock-table_D28631D7";
// People and roles have it attached: replaced, it would come back detached from all of them.
const STATE_ACCESS_POLICY = "aws_iam_policy.state-access_policy_44135F8F";
const KMS_KEY = "aws_kms_key.state-key_753BFC90";
const KMS_ALIAS = "aws_kms_alias.state-key_alias_63E2A9D5";

const VPC = "aws_vpc.main";
const FLOW_LOGS = {
  logGroup: "aws_cloudwatch_log_group.flow-logs_log-group_BD9661F8",
  role: "aws_iam_role.flow-logs_role_B4B87A12",
  rolePolicy: "aws_iam_role_policy.flow-logs_write-log-group_727DB0E5",
  flowLog: "aws_flow_log.flow-logs_flow-log_2E4F04EC",
};

/** The synthesized stack's resources by address, "<type>.<name>". */
function resourcesByAddress(json: any): Map<string, any> {
  return new Map(Object.entries<Record<string, any>>(json.resource).flatMap(([type, byName]) => Object.entries(byName).map(([name, body]) => [`${type}.${name}`, body])));
}

/** Each expected address that the stack lacks, said as what a deploy would then do. */
function expectAddresses(resources: Map<string, any>, expected: string[]): void {
  const missing = expected.filter((address) => !resources.has(address));
  expect(missing.map((address) => `${address} is gone: a rename would make the next deploy replace it (keep its construct ID, or add a moved block)`)).toEqual([]);
}

const ref = (address: string, attribute: string) => `\${${address}.${attribute}}`;

describe("the bootstrap stack keeps its addresses, so a deploy never replaces the backend", () => {
  const config = configWith();
  let resources: Map<string, any>;
  beforeAll(() => {
    resources = resourcesByAddress(parse(synth(bootstrapStack())));
  });

  test("the state bucket, and each of its settings on it", () => {
    expectAddresses(resources, [STATE_BUCKET, ...BUCKET_SETTINGS]);
    expect(resources.get(STATE_BUCKET).bucket).toBe(config.stateBucket);
    for (const setting of BUCKET_SETTINGS) expect({ setting, bucket: resources.get(setting).bucket }).toEqual({ setting, bucket: ref(STATE_BUCKET, "id") });
  });

  test("the lock table", () => {
    expectAddresses(resources, [LOCK_TABLE]);
    expect(resources.get(LOCK_TABLE).name).toBe(config.lockTable);
  });

  test("the state-access policy", () => {
    expectAddresses(resources, [STATE_ACCESS_POLICY]);
    expect(resources.get(STATE_ACCESS_POLICY).name).toBe(`tfstate-access-${config.stateBucket}`);
  });

  test("with environments, the bucket and the table stay where they were", () => {
    const environments = resourcesByAddress(parse(synth(bootstrapStack({ TFSTATE_ENVIRONMENTS: JSON.stringify({ dev: { vpcCidr: "10.1.0.0/16" } }) }))));
    expectAddresses(environments, [STATE_BUCKET, ...BUCKET_SETTINGS, LOCK_TABLE]);
  });

  test("with a replica and access logs, the bucket, its settings, the table and the key stay where they were", () => {
    const copies = resourcesByAddress(parse(synth(bootstrapStack({ TFSTATE_REPLICA_REGION: "eu-west-1", TFSTATE_ACCESS_LOGS: "true", TFSTATE_KMS: "create" }))));
    expectAddresses(copies, [STATE_BUCKET, ...BUCKET_SETTINGS, LOCK_TABLE, KMS_KEY, KMS_ALIAS]);
    expect(copies.get(STATE_BUCKET).bucket).toBe(config.stateBucket);
  });

  test("TFSTATE_KMS=create: the key and its alias, and the bucket and the table encrypted with that key", () => {
    const created = resourcesByAddress(parse(synth(bootstrapStack({ TFSTATE_KMS: "create" }))));
    expectAddresses(created, [KMS_KEY, KMS_ALIAS, STATE_BUCKET, BUCKET_ENCRYPTION, LOCK_TABLE]);
    expect(created.get(KMS_ALIAS).target_key_id).toBe(ref(KMS_KEY, "key_id"));
    expect(created.get(BUCKET_ENCRYPTION).rule[0].apply_server_side_encryption_by_default.kms_master_key_id).toBe(ref(KMS_KEY, "arn"));
    expect(created.get(LOCK_TABLE).server_side_encryption.kms_key_arn).toBe(ref(KMS_KEY, "arn"));
  });
});

describe("the vpc stack keeps its addresses, so a deploy never replaces the VPC or its flow logs", () => {
  test.each([
    ["without environments", vpcStack],
    ["in an environment's vpc-<env> stack", () => vpcStack({ TFSTATE_ENVIRONMENTS: JSON.stringify({ dev: { vpcCidr: "10.1.0.0/16" } }) }, "dev")],
  ])("%s: the VPC, and the flow log's log group, role, role policy and flow log", (_case, stack) => {
    const resources = resourcesByAddress(parse(synth(stack())));
    expectAddresses(resources, [VPC, ...Object.values(FLOW_LOGS)]);
    expect(resources.get(FLOW_LOGS.flowLog)).toMatchObject({
      vpc_id: ref(VPC, "id"),
      log_destination: ref(FLOW_LOGS.logGroup, "arn"),
      iam_role_arn: ref(FLOW_LOGS.role, "arn"),
    });
    expect(resources.get(FLOW_LOGS.rolePolicy).role).toBe(ref(FLOW_LOGS.role, "id"));
  });
});
