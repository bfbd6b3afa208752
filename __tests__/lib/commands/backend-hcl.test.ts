import { readCdktfContext } from "../../../config/config";
import { Refusal, UsageError } from "../../../lib/cli/errors";
import { backendHcl } from "../../../lib/commands/backend-hcl";

// A plain Terraform directory's own key, as --key gives it.
const OWN = { key: "teams/network/terraform.tfstate" };

// Each test passes backendHcl exactly the variables it sets: nothing the test machine sets (AWS_REGION, say) leaks in.
const setting = (hcl: string, name: string) => new RegExp(`^${name}\\s+= (.+)$`, "m").exec(hcl)?.[1];

describe("npm run backend-config: backend.hcl for plain Terraform directories", () => {
  const context = readCdktfContext();

  test("has the bucket, key, region and encrypt, and the DynamoDB table in dynamodb mode", () => {
    const hcl = backendHcl({}, OWN);
    expect(setting(hcl, "bucket")).toBe(JSON.stringify(context.stateBucket));
    expect(setting(hcl, "key")).toBe('"teams/network/terraform.tfstate"');
    expect(setting(hcl, "region")).toBe(JSON.stringify(context.region));
    expect(setting(hcl, "encrypt")).toBe("true");
    expect(setting(hcl, "dynamodb_table")).toBe(JSON.stringify(context.lockTable));
    expect(setting(hcl, "use_lockfile")).toBeUndefined();
    expect(setting(hcl, "kms_key_id")).toBeUndefined();
    expect(hcl).not.toMatch(/endpoints|skip_/);
  });

  test("s3 mode: use_lockfile and no table; both: the two", () => {
    const s3 = backendHcl({ TFSTATE_LOCK: "s3" }, OWN);
    expect(setting(s3, "use_lockfile")).toBe("true");
    expect(setting(s3, "dynamodb_table")).toBeUndefined();
    const both = backendHcl({ TFSTATE_LOCK: "both" }, OWN);
    expect([setting(both, "use_lockfile"), setting(both, "dynamodb_table")]).toEqual(["true", JSON.stringify(context.lockTable)]);
  });

  test("with a key: kms_key_id, the created key by its alias or yours by its ARN", () => {
    expect(setting(backendHcl({ TFSTATE_KMS: "create", TFSTATE_BUCKET: "acme.prod-state" }, OWN), "kms_key_id")).toBe('"alias/tfstate-backend/acme-prod-state"');
    const arn = "arn:aws:kms:ap-northeast-2:111122223333:key/1234abcd-12ab-44cd-a6ef-1234567890ab";
    expect(setting(backendHcl({ TFSTATE_KMS: arn }, OWN), "kms_key_id")).toBe(JSON.stringify(arn));
  });

  test("with an emulator endpoint: the endpoints block, path-style and the skip flags", () => {
    const hcl = backendHcl({ AWS_ENDPOINT_URL: "http://127.0.0.1:4566" }, OWN);
    expect(hcl).toContain('endpoints                   = {\n  s3 = "http://127.0.0.1:4566"\n  dynamodb = "http://127.0.0.1:4566"');
    for (const flag of ["use_path_style", "skip_credentials_validation", "skip_requesting_account_id", "skip_metadata_api_check"]) {
      expect(setting(hcl, flag)).toBe("true");
    }
  });

  test("--env: the key of that environment's vpc stack, in the same bucket with the same lock", () => {
    const env = { TFSTATE_ENVIRONMENTS: '{"dev": {"vpcCidr": "10.1.0.0/16"}, "prod": {"vpcCidr": "10.2.0.0/16"}}' };
    const hcl = backendHcl(env, { environment: "prod" });
    expect(setting(hcl, "key")).toBe('"env/prod/vpc/terraform.tfstate"');
    expect([setting(hcl, "bucket"), setting(hcl, "dynamodb_table")]).toEqual([JSON.stringify(context.stateBucket), JSON.stringify(context.lockTable)]);
    expect(() => backendHcl(env, { environment: "qa" })).toThrow(new UsageError("--env qa: no such environment; the environments are dev, prod"));
    expect(() => backendHcl({}, { environment: "dev" })).toThrow(
      new UsageError("--env dev: no such environment; no environments are configured (TFSTATE_ENVIRONMENTS); the vpc stack's own state is --env default"),
    );
  });

  test("TFSTATE_BACKEND_ROLE_ARN: the role terraform assumes to reach the bucket", () => {
    const hcl = backendHcl({ TFSTATE_BACKEND_ROLE_ARN: "arn:aws:iam::111111111111:role/tfstate" }, OWN);
    expect(hcl).toContain('assume_role    = {\n  role_arn = "arn:aws:iam::111111111111:role/tfstate"\n}');
  });

  test("bad input gives the same one-line error as synth", () => {
    expect(() => backendHcl({ TFSTATE_LOCK: "consul" }, OWN)).toThrow('Invalid TFSTATE_LOCK "consul": must be one of dynamodb, s3, both');
  });

  test("with no key, the vpc stack's own is refused, naming the stack: a directory sharing it would plan to destroy the VPC", () => {
    expect(() => backendHcl({})).toThrow(
      new Refusal(
        `TFSTATE_KEY (or its default) ${context.stateKey} is the state key of this project's vpc stack: a directory initialised with it would share that state, ` +
          "and its first apply would plan to destroy what vpc made. For a directory of its own, pass a key of its own: --key teams/<name>/terraform.tfstate; " +
          "for the vpc stack's state itself, on purpose: --env default",
      ),
    );
    // TFSTATE_KEY is the vpc stack's key wherever it is set: it names no key of a directory's own.
    expect(() => backendHcl({ TFSTATE_KEY: "teams/network/terraform.tfstate" })).toThrow(Refusal);
  });

  test("--key is refused when a stack uses it: the vpc stack's, an environment's, the bootstrap stack's", () => {
    expect(() => backendHcl({}, { key: String(context.stateKey) })).toThrow(/^--key \S+ is the state key of this project's vpc stack: .*--env default$/);
    const env = { TFSTATE_ENVIRONMENTS: '{"prod": {"vpcCidr": "10.2.0.0/16"}}' };
    expect(() => backendHcl(env, { key: "env/prod/vpc/terraform.tfstate" })).toThrow(/is the state key of this project's vpc-prod stack: .*--env prod$/);
    expect(() => backendHcl({}, { key: String(context.bootstrapStateKey) })).toThrow(/is the state key of this project's bootstrap stack: .*--key teams\/<name>\/terraform\.tfstate$/);
  });

  test("--env asks for a stack's own state on purpose: default is the vpc stack without environments", () => {
    expect(setting(backendHcl({}, { environment: "default" }), "key")).toBe(JSON.stringify(context.stateKey));
  });

  test("--key is held to the rule of a state key, naming the option; --key and --env together are refused", () => {
    expect(() => backendHcl({}, { key: "/teams/network" })).toThrow(new UsageError("--key \"/teams/network\": must not start with '/'"));
    expect(() => backendHcl({}, { key: "teams/a", environment: "default" })).toThrow(new UsageError("--key and --env name two different states: give one"));
  });
});
