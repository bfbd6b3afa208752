import { readCdktfContext } from "../../../config/config";
import { backendHcl } from "../../../lib/commands/backend-hcl";

// Each test passes backendHcl exactly the variables it sets: nothing the test machine sets (AWS_REGION, say) leaks in.
const setting = (hcl: string, name: string) => new RegExp(`^${name}\\s+= (.+)$`, "m").exec(hcl)?.[1];

describe("npm run backend-config: backend.hcl for plain Terraform directories", () => {
  const context = readCdktfContext();

  test("has the bucket, key, region and encrypt, and the DynamoDB table in dynamodb mode", () => {
    const hcl = backendHcl({});
    expect(setting(hcl, "bucket")).toBe(JSON.stringify(context.stateBucket));
    expect(setting(hcl, "key")).toBe(JSON.stringify(context.stateKey));
    expect(setting(hcl, "region")).toBe(JSON.stringify(context.region));
    expect(setting(hcl, "encrypt")).toBe("true");
    expect(setting(hcl, "dynamodb_table")).toBe(JSON.stringify(context.lockTable));
    expect(setting(hcl, "use_lockfile")).toBeUndefined();
    expect(setting(hcl, "kms_key_id")).toBeUndefined();
    expect(hcl).not.toMatch(/endpoints|skip_/);
  });

  test("s3 mode: use_lockfile and no table; both: the two", () => {
    const s3 = backendHcl({ TFSTATE_LOCK: "s3" });
    expect(setting(s3, "use_lockfile")).toBe("true");
    expect(setting(s3, "dynamodb_table")).toBeUndefined();
    const both = backendHcl({ TFSTATE_LOCK: "both" });
    expect([setting(both, "use_lockfile"), setting(both, "dynamodb_table")]).toEqual(["true", JSON.stringify(context.lockTable)]);
  });

  test("with a key: kms_key_id, the created key by its alias or yours by its ARN", () => {
    expect(setting(backendHcl({ TFSTATE_KMS: "create", TFSTATE_BUCKET: "acme.prod-state" }), "kms_key_id")).toBe('"alias/tfstate-backend/acme-prod-state"');
    const arn = "arn:aws:kms:ap-northeast-2:111122223333:key/1234abcd-12ab-44cd-a6ef-1234567890ab";
    expect(setting(backendHcl({ TFSTATE_KMS: arn }), "kms_key_id")).toBe(JSON.stringify(arn));
  });

  test("with an emulator endpoint: the endpoints block, path-style and the skip flags", () => {
    const hcl = backendHcl({ AWS_ENDPOINT_URL: "http://127.0.0.1:4566" });
    expect(hcl).toContain('endpoints                   = {\n  s3 = "http://127.0.0.1:4566"\n  dynamodb = "http://127.0.0.1:4566"');
    for (const flag of ["use_path_style", "skip_credentials_validation", "skip_requesting_account_id", "skip_metadata_api_check"]) {
      expect(setting(hcl, flag)).toBe("true");
    }
  });

  test("--env: the key of that environment's vpc stack, in the same bucket with the same lock", () => {
    const env = { TFSTATE_ENVIRONMENTS: '{"dev": {"vpcCidr": "10.1.0.0/16"}, "prod": {"vpcCidr": "10.2.0.0/16"}}' };
    const hcl = backendHcl(env, "prod");
    expect(setting(hcl, "key")).toBe('"env/prod/vpc/terraform.tfstate"');
    expect([setting(hcl, "bucket"), setting(hcl, "dynamodb_table")]).toEqual([JSON.stringify(context.stateBucket), JSON.stringify(context.lockTable)]);
    expect(() => backendHcl(env, "qa")).toThrow("--env qa: no such environment; the environments are dev, prod");
    expect(() => backendHcl({}, "dev")).toThrow("--env dev: no such environment; no environments are configured (TFSTATE_ENVIRONMENTS)");
  });

  test("TFSTATE_BACKEND_ROLE_ARN: the role terraform assumes to reach the bucket", () => {
    const hcl = backendHcl({ TFSTATE_BACKEND_ROLE_ARN: "arn:aws:iam::111111111111:role/tfstate" });
    expect(hcl).toContain('assume_role    = {\n  role_arn = "arn:aws:iam::111111111111:role/tfstate"\n}');
  });

  test("bad input gives the same one-line error as synth", () => {
    expect(() => backendHcl({ TFSTATE_LOCK: "consul" })).toThrow('Invalid TFSTATE_LOCK "consul": must be one of dynamodb, s3, both');
  });
});
