import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { configWith, expectValidTerraform, parse, synth, vpcStack } from "./support/synth";

// Step 2 and Step 4 of seed 000, as environment variables.
const SEED_000 = {
  TFSTATE_BUCKET: "seong-remote-backend",
  TFSTATE_KEY: "terraform/state/terraform.tfstate",
  AWS_REGION: "ap-northeast-2",
  TFSTATE_LOCK_TABLE: "terraform-lock",
  VPC_CIDR: "192.168.0.0/16",
  VPC_NAME: "seong-vpc",
};

describe("vpc stack: a sample VPC whose state lives in the bucket", () => {
  const synthesized = synth(vpcStack());
  const config = configWith();

  test("matches the snapshot", () => {
    expect(synthesized).toMatchSnapshot();
  });

  test("is valid terraform", () => {
    expectValidTerraform(vpcStack());
  });

  test("reproduces seed 000's backend block and VPC", () => {
    const seed = parse(synth(vpcStack(SEED_000)));
    expect(seed.terraform.backend).toEqual({
      s3: {
        bucket: "seong-remote-backend",
        key: "terraform/state/terraform.tfstate",
        region: "ap-northeast-2",
        dynamodb_table: "terraform-lock",
        encrypt: true,
      },
    });
    expect(Object.values(seed.resource.aws_vpc)).toEqual([
      expect.objectContaining({ cidr_block: "192.168.0.0/16", tags: { Name: "seong-vpc" } }),
    ]);
  });

  test.each([
    ["dynamodb", { dynamodb_table: "terraform-lock" }, ["use_lockfile"]],
    ["s3", { use_lockfile: true }, ["dynamodb_table"]],
    ["both", { dynamodb_table: "terraform-lock", use_lockfile: true }, []],
  ])("TFSTATE_LOCK=%s sets the matching backend lock settings", (mode, present, absent) => {
    const backend = parse(synth(vpcStack({ TFSTATE_LOCK: mode }))).terraform.backend.s3;
    expect(backend).toMatchObject({ ...present, encrypt: true, bucket: config.stateBucket, key: config.stateKey });
    for (const key of absent) expect(backend).not.toHaveProperty(key);
  });

  test("the VPC has its CIDR, its Name tag and DNS support and hostnames on", () => {
    expect(synthesized).toHaveResourceWithProperties(Vpc, {
      cidr_block: config.vpcCidr,
      enable_dns_support: true,
      enable_dns_hostnames: true,
      tags: { Name: config.vpcName },
    });
  });

  test("tags everything through the provider's default tags", () => {
    expect(synthesized).toHaveProviderWithProperties(AwsProvider, {
      default_tags: [{ tags: { Project: "tfstate-backend", ManagedBy: "cdktf", Stack: "vpc" } }],
    });
  });

  test("outputs the VPC id and CIDR", () => {
    expect(parse(synthesized).output).toEqual({
      vpc_id: { value: "${aws_vpc.main.id}" },
      vpc_cidr: { value: "${aws_vpc.main.cidr_block}" },
    });
  });
});
