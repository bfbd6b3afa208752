import { AnnotationMetadataEntryType } from "cdktf";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { bootstrapStack, parse, synth, vpcStack } from "../support/synth";

const EMULATOR_WORDS = /endpoint|path_style|skip_/;
// What the stacks call: the state services, EC2 for the VPC, IAM and logs for flow logs, and KMS, which a
// read of an encrypted table calls too.
const SERVICES_CALLED = ["s3", "dynamodb", "ec2", "sts", "iam", "kms", "logs"];

function synthesizedWith(env: Record<string, string>) {
  const bootstrap = bootstrapStack(env);
  const warnings = bootstrap.node.metadata.filter((entry) => entry.type === AnnotationMetadataEntryType.WARN).map((entry) => entry.data);
  return { bootstrap: synth(bootstrap), vpc: synth(vpcStack(env)), warnings };
}

describe("AWS_ENDPOINT_URL: the switch to a local AWS API", () => {
  test("unset: nothing emulator-related appears in either stack, and the TLS-only policy is there", () => {
    const { bootstrap, vpc, warnings } = synthesizedWith({});
    expect(bootstrap).not.toMatch(EMULATOR_WORDS);
    expect(vpc).not.toMatch(EMULATOR_WORDS);
    expect(bootstrap).toHaveResource(S3BucketPolicy);
    expect(warnings).toEqual([]);
  });

  test("set: every provider targets the endpoint for each service it calls, with path-style S3 and no account lookups", () => {
    const endpoint = "http://127.0.0.1:4566";
    const { bootstrap, vpc } = synthesizedWith({ AWS_ENDPOINT_URL: endpoint });
    for (const stack of [bootstrap, vpc]) {
      const [provider] = parse(stack).provider.aws;
      expect(provider).toMatchObject({
        endpoints: [Object.fromEntries(SERVICES_CALLED.map((service) => [service, endpoint]))],
        s3_use_path_style: true,
        skip_credentials_validation: true,
        skip_requesting_account_id: true,
        skip_metadata_api_check: "true",
      });
    }
  });

  test("set: the vpc stack's S3 backend targets the endpoint too", () => {
    const endpoint = "https://localstack.internal:4566";
    const backend = parse(synthesizedWith({ AWS_ENDPOINT_URL: endpoint }).vpc).terraform.backend.s3;
    expect(backend).toMatchObject({
      endpoints: { s3: endpoint, dynamodb: endpoint, sts: endpoint, iam: endpoint },
      use_path_style: true,
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
      skip_metadata_api_check: true,
    });
  });

  test("plain http: the TLS-only statement is left out, and a synth warning says so", () => {
    const { bootstrap, warnings } = synthesizedWith({ AWS_ENDPOINT_URL: "http://127.0.0.1:5000" });
    expect(bootstrap).not.toHaveResource(S3BucketPolicy);
    expect(warnings).toEqual([
      "http://127.0.0.1:5000 is plain http, so the state bucket policy leaves out its TLS-only statement",
    ]);
  });

  test("https endpoint: the TLS-only statement stays", () => {
    const { bootstrap, warnings } = synthesizedWith({ AWS_ENDPOINT_URL: "https://localstack.internal:4566" });
    expect(bootstrap).toHaveResource(S3BucketPolicy);
    expect(warnings).toEqual([]);
  });
});
