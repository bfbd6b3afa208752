// The IAM evaluator that tests prove policies with (support/iam-evaluation.ts): a real model of AWS's policy
// evaluation on the synthesized JSON, which decides both ways, resolves every reference or refuses, and
// takes a permissions boundary, a resource policy and request context into account.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../config/config";
import { CHECKOV_VARIANTS } from "../../tools/checkov-gate";

// The security gate's two-environment variant: one environment here, one in another account.
const ENVIRONMENTS_VARIANT = CHECKOV_VARIANTS.find((variant) => variant.stacks.includes("vpc-dev"))!.env;
import { StackReferences, stackPolicies } from "../../tools/iam-policies";
import { IamEvaluator, TEST_ACCOUNT_ID, UnresolvedReferenceError, evaluate, stackRoles } from "../support/iam-evaluation";
import { bootstrapStack, parse, synth } from "../support/synth";

const REPOSITORY = "acme/infra";
const BUCKET = "tfstate-backend-terraform-state";
const BUCKET_ARN = `arn:aws:s3:::${BUCKET}`;
const TABLE_ARN = `arn:aws:dynamodb:ap-northeast-2:${TEST_ACCOUNT_ID}:table/terraform-lock`;
const stateKey = (env: string) => `env/${env}/vpc/terraform.tfstate`;
const ROLES = {
  devPlan: `tfstate-${BUCKET}-dev-plan`,
  devApply: `tfstate-${BUCKET}-dev-apply`,
  prodPlan: `tfstate-${BUCKET}-prod-plan`,
  prodApply: `tfstate-${BUCKET}-prod-apply`,
};

/** Two environments with the CI roles, as the security gate's variant has them, for another repository. */
const twoEnvironments = () => synth(bootstrapStack({ ...ENVIRONMENTS_VARIANT, TFSTATE_GITHUB_REPOSITORY: REPOSITORY }));

/** The synthesized JSON, with one of its resources changed. */
function changed(synthesized: string, change: (json: any) => void): any {
  const json = parse(synthesized);
  change(json);
  return json;
}

const roleKey = (json: any, roleName: string) => Object.entries<any>(json.resource.aws_iam_role).find(([, role]) => role.name === roleName)![0];
const inlinePolicyOf = (json: any, roleName: string) =>
  Object.values<any>(json.resource.aws_iam_role_policy).find((p) => p.role === `\${aws_iam_role.${roleKey(json, roleName)}.id}`);
/** A boundary that allows none of what the roles do. */
const ALLOW_ONLY_SNS_PUBLISH = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sns:Publish", Resource: "*" }] };

describe("IAM evaluation of the synthesized bootstrap stack (two environments, GitHub CI roles)", () => {
  const synthesized = twoEnvironments();
  const iam = new IamEvaluator(synthesized);

  test("the plan role may read its environment's state and may not write it", async () => {
    expect(await iam.evaluate(ROLES.devPlan, { action: "s3:GetObject", resource: `${BUCKET_ARN}/${stateKey("dev")}` })).toBe("Allowed");
    expect(await iam.evaluate(ROLES.devPlan, { action: "s3:PutObject", resource: `${BUCKET_ARN}/${stateKey("dev")}` })).toBe("ImplicitlyDenied");
    expect(await iam.evaluate(ROLES.devPlan, { action: "s3:GetObject", resource: `${BUCKET_ARN}/${stateKey("prod")}` })).toBe("ImplicitlyDenied");
  });

  test("the dev apply role may write dev's state and not prod's; prod's may write prod's", async () => {
    expect(await iam.evaluate(ROLES.devApply, { action: "s3:PutObject", resource: `${BUCKET_ARN}/${stateKey("dev")}` })).toBe("Allowed");
    expect(await iam.evaluate(ROLES.devApply, { action: "s3:PutObject", resource: `${BUCKET_ARN}/${stateKey("prod")}` })).toBe("ImplicitlyDenied");
    expect(await iam.evaluate(ROLES.prodApply, { action: "s3:PutObject", resource: `${BUCKET_ARN}/${stateKey("prod")}` })).toBe("Allowed");
    expect(await iam.evaluate(ROLES.prodApply, { action: "s3:PutObject", resource: `${BUCKET_ARN}/${stateKey("dev")}` })).toBe("ImplicitlyDenied");
  });

  test("request context decides: s3:prefix for a listing, dynamodb:LeadingKeys for the lock and digest items", async () => {
    const list = (prefix: string) => iam.evaluate(ROLES.devPlan, { action: "s3:ListBucket", resource: BUCKET_ARN, context: { "s3:prefix": prefix } });
    expect(await list(stateKey("dev"))).toBe("Allowed");
    expect(await list(stateKey("prod"))).toBe("ImplicitlyDenied");
    const putItem = (role: string, item: string) =>
      iam.evaluate(role, { action: "dynamodb:PutItem", resource: TABLE_ARN, context: { "dynamodb:LeadingKeys": [`${BUCKET}/${item}`] } });
    expect(await putItem(ROLES.devPlan, stateKey("dev"))).toBe("Allowed");
    // The plan role takes the lock; only an apply writes the state's digest.
    expect(await putItem(ROLES.devPlan, `${stateKey("dev")}-md5`)).toBe("ImplicitlyDenied");
    expect(await putItem(ROLES.devApply, `${stateKey("dev")}-md5`)).toBe("Allowed");
    expect(await putItem(ROLES.devApply, stateKey("prod"))).toBe("ImplicitlyDenied");
  });

  test("an explicit Deny wins over the Allow, as in AWS", async () => {
    const json = changed(synthesized, (j) => {
      const policy = inlinePolicyOf(j, ROLES.devApply);
      const document = JSON.parse(policy.policy);
      document.Statement.push({ Effect: "Deny", Action: "s3:PutObject", Resource: "*", Condition: { StringNotEquals: { "aws:RequestedRegion": "eu-west-1" } } });
      policy.policy = JSON.stringify(document);
    });
    const put = { action: "s3:PutObject", resource: `${BUCKET_ARN}/${stateKey("dev")}` };
    expect(await evaluate(json, ROLES.devApply, { ...put, context: { "aws:RequestedRegion": "ap-northeast-2" } })).toBe("ExplicitlyDenied");
    expect(await evaluate(json, ROLES.devApply, { ...put, context: { "aws:RequestedRegion": "eu-west-1" } })).toBe("Allowed");
  });

  test("every reference is resolved to the test account's values, from the resources' own attributes", () => {
    const roles = stackRoles(synthesized);
    expect(roles.map((role) => role.name).sort()).toEqual(Object.values(ROLES).sort());
    const devPlan = roles.find((role) => role.name === ROLES.devPlan)!;
    expect(devPlan.arn).toBe(`arn:aws:iam::${TEST_ACCOUNT_ID}:role/${ROLES.devPlan}`);
    const text = JSON.stringify(roles);
    expect(text).not.toContain("${");
    expect(text).toContain(`"${BUCKET_ARN}/${stateKey("dev")}"`);
    expect(text).toContain(`"${TABLE_ARN}"`);
    expect(text).toContain(`arn:aws:iam::${TEST_ACCOUNT_ID}:role/*`);
    const all = JSON.stringify(stackPolicies(synthesized).map((policy) => policy.document));
    expect(all).not.toContain("${");
    expect(all).toContain(`arn:aws:iam::${TEST_ACCOUNT_ID}:oidc-provider/token.actions.githubusercontent.com`);
  });

  test("a role is found by name, by construct path or by terraform address, and an unknown one is refused", () => {
    const json = parse(synthesized);
    const key = roleKey(json, ROLES.devPlan);
    expect(iam.role("github-ci/dev-plan-role").name).toBe(ROLES.devPlan);
    expect(iam.role(`aws_iam_role.${key}`).name).toBe(ROLES.devPlan);
    expect(() => iam.role("tfstate-nothing")).toThrow(/no role tfstate-nothing in the stack; its roles: .*-dev-plan/);
  });
});

describe("the evaluator refuses what it cannot evaluate faithfully", () => {
  const synthesized = twoEnvironments();

  test("a reference it cannot resolve throws, never a policy with ${...} left in it", () => {
    const withReference = (reference: string) =>
      changed(synthesized, (j) => {
        const policy = inlinePolicyOf(j, ROLES.devPlan);
        policy.policy = policy.policy.replace(/\$\{aws_s3_bucket\.[\w-]+\.arn\}/, reference);
      });
    expect(() => new IamEvaluator(withReference("${aws_s3_bucket.missing.arn}"))).toThrow(UnresolvedReferenceError);
    expect(() => new IamEvaluator(withReference("${aws_s3_bucket.missing.arn}"))).toThrow(/aws_s3_bucket\.missing.*the stack has no aws_s3_bucket\.missing/);
    expect(() => new IamEvaluator(withReference("${var.bucket_arn}"))).toThrow(UnresolvedReferenceError);
    expect(() => new IamEvaluator(withReference('${jsonencode("x")}'))).toThrow(/not a plain reference/);
    expect(() => stackPolicies(withReference("${aws_s3_bucket.missing.arn}"))).toThrow(UnresolvedReferenceError);
    // A name that only a prefix gives is terraform's to pick: nothing to stand in for it.
    const prefixed = changed(synthesized, (j) => {
      const bucket = Object.values<any>(j.resource.aws_s3_bucket)[0];
      bucket.bucket_prefix = "tfstate-";
      delete bucket.bucket;
    });
    expect(() => new IamEvaluator(prefixed)).toThrow(/sets no bucket \(bucket_prefix leaves the rest to terraform\)/);
  });

  test("an escaped $${...} is an IAM policy variable, not a reference", () => {
    const references = new StackReferences(synthesized);
    expect(references.resolve("arn:aws:s3:::b/home/$${aws:username}/*", "test")).toBe("arn:aws:s3:::b/home/${aws:username}/*");
  });

  test("an action AWS does not have is refused, not denied", async () => {
    await expect(evaluate(synthesized, ROLES.devPlan, { action: "s3:GetObjekt", resource: `${BUCKET_ARN}/${stateKey("dev")}` })).rejects.toThrow(
      /the simulator refused s3:GetObjekt/,
    );
  });

  test("a context key the action does not take is refused: AWS would not send it", async () => {
    await expect(
      evaluate(synthesized, ROLES.devPlan, { action: "s3:GetObject", resource: `${BUCKET_ARN}/${stateKey("dev")}`, context: { "ec2:CreateAction": "CreateVpc" } }),
    ).rejects.toThrow(/ignores ec2:CreateAction/);
  });
});

describe("permissions boundaries and resource policies", () => {
  const synthesized = twoEnvironments();
  const getState = { action: "s3:GetObject", resource: `${BUCKET_ARN}/${stateKey("dev")}` };

  /** The dev plan role with a boundary: a managed policy of the stack with this document, or an ARN. */
  const withBoundary = (boundary: object | string) =>
    changed(synthesized, (j) => {
      if (typeof boundary === "string") {
        j.resource.aws_iam_role[roleKey(j, ROLES.devPlan)].permissions_boundary = boundary;
        return;
      }
      j.resource.aws_iam_policy.boundary = { name: "ci-boundary", path: "/boundaries/", policy: JSON.stringify(boundary) };
      j.resource.aws_iam_role[roleKey(j, ROLES.devPlan)].permissions_boundary = "${aws_iam_policy.boundary.arn}";
    });

  test("a boundary that allows none of it denies what the identity policy allows", async () => {
    const evaluator = new IamEvaluator(withBoundary(ALLOW_ONLY_SNS_PUBLISH));
    expect(evaluator.role(ROLES.devPlan).permissionsBoundary?.arn).toBe(`arn:aws:iam::${TEST_ACCOUNT_ID}:policy/boundaries/ci-boundary`);
    expect(await evaluator.evaluate(ROLES.devPlan, getState)).toBe("ImplicitlyDenied");
    // The boundary only limits: what it allows and the identity policy does not stays denied.
    const publish = { action: "sns:Publish", resource: `arn:aws:sns:ap-northeast-2:${TEST_ACCOUNT_ID}:topic` };
    expect(await evaluator.evaluate(ROLES.devPlan, publish)).toBe("ImplicitlyDenied");
  });

  test("a boundary that allows it lets the identity policy decide", async () => {
    const boundary = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: `${BUCKET_ARN}/env/*` }] };
    const evaluator = new IamEvaluator(withBoundary(boundary));
    expect(await evaluator.evaluate(ROLES.devPlan, getState)).toBe("Allowed");
    expect(await evaluator.evaluate(ROLES.devPlan, { ...getState, action: "s3:PutObject" })).toBe("ImplicitlyDenied");
  });

  test("a boundary named by ARN takes the document the caller supplies, and is refused without one", async () => {
    const arn = "arn:aws:iam::111111111111:policy/org/ci-boundary";
    expect(() => new IamEvaluator(withBoundary(arn))).toThrow(/names policy arn:aws:iam::111111111111:policy\/org\/ci-boundary, which is neither in the stack nor/);
    const evaluator = new IamEvaluator(withBoundary(arn), { externalPolicies: { [arn]: ALLOW_ONLY_SNS_PUBLISH } });
    expect(await evaluator.evaluate(ROLES.devPlan, getState)).toBe("ImplicitlyDenied");
  });

  test("an attached managed policy of the stack counts with the inline one", async () => {
    const json = changed(synthesized, (j) => {
      j.resource.aws_iam_role_policy_attachment = {
        attach: { role: `\${aws_iam_role.${roleKey(j, ROLES.devPlan)}.name}`, policy_arn: `\${aws_iam_policy.${Object.keys(j.resource.aws_iam_policy).find((k) => k.includes("prod"))}.arn}` },
      };
    });
    expect(await evaluate(json, ROLES.devPlan, { action: "s3:PutObject", resource: `${BUCKET_ARN}/${stateKey("prod")}` })).toBe("Allowed");
    expect(await evaluate(synthesized, ROLES.devPlan, { action: "s3:PutObject", resource: `${BUCKET_ARN}/${stateKey("prod")}` })).toBe("ImplicitlyDenied");
  });

  test("the bucket policy takes part: a request without TLS is denied explicitly", async () => {
    const iam = new IamEvaluator(synthesized);
    expect(await iam.evaluate(ROLES.devPlan, { ...getState, context: { "aws:SecureTransport": "false" } })).toBe("ExplicitlyDenied");
    expect(await iam.evaluate(ROLES.devPlan, { ...getState, context: { "aws:SecureTransport": "true" } })).toBe("Allowed");
  });

  test("with TFSTATE_KMS=create, the key policy takes part: KMS allows only what a key policy lets IAM allow", async () => {
    const iam = new IamEvaluator(synth(bootstrapStack({ TFSTATE_GITHUB_REPOSITORY: REPOSITORY, TFSTATE_KMS: "create" })));
    const keyArn = new StackReferences(iam.references.json).resolve(`\${aws_kms_key.${Object.keys(iam.references.json.resource!.aws_kms_key)[0]}.arn}`, "test");
    expect(keyArn).toMatch(new RegExp(`^arn:aws:kms:ap-northeast-2:${TEST_ACCOUNT_ID}:key/[0-9a-f]{8}-`));
    const decrypt = { action: "kms:Decrypt", resource: keyArn };
    expect(await iam.evaluate(`tfstate-${BUCKET}-plan`, decrypt)).toBe("Allowed");
    expect(await iam.evaluate(`tfstate-${BUCKET}-plan`, { ...decrypt, resourcePolicy: null })).toBe("ImplicitlyDenied");
    expect(await iam.evaluate(`tfstate-${BUCKET}-plan`, { ...decrypt, action: "kms:ScheduleKeyDeletion" })).toBe("ImplicitlyDenied");
  });
});

describe("policy documents from data.aws_iam_policy_document", () => {
  test("are rendered as terraform renders their json, and evaluated", async () => {
    const stack = {
      provider: { aws: [{ region: "eu-west-1" }] },
      data: {
        aws_iam_policy_document: {
          read: {
            statement: [
              { sid: "Read", actions: ["s3:GetObject"], resources: ["${aws_s3_bucket.b.arn}/$${aws:PrincipalTag/team}/*"] },
              { effect: "Deny", actions: ["s3:GetObject"], resources: ["*"], condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }] },
            ],
          },
        },
      },
      resource: {
        aws_s3_bucket: { b: { bucket: "team-bucket" } },
        aws_iam_role: { r: { name: "reader", path: "/teams/", assume_role_policy: "{}" } },
        aws_iam_role_policy: { p: { role: "${aws_iam_role.r.id}", policy: "${data.aws_iam_policy_document.read.json}" } },
      },
    };
    const [role] = stackRoles(stack);
    expect(role.arn).toBe(`arn:aws:iam::${TEST_ACCOUNT_ID}:role/teams/reader`);
    expect(role.inlinePolicies[0].document.Statement).toEqual([
      { Sid: "Read", Effect: "Allow", Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::team-bucket/${aws:PrincipalTag/team}/*"] },
      { Effect: "Deny", Action: ["s3:GetObject"], Resource: ["*"], Condition: { Bool: { "aws:SecureTransport": ["false"] } } },
    ]);
    const read = (team: string, secure: string) =>
      evaluate(stack, "reader", { action: "s3:GetObject", resource: "arn:aws:s3:::team-bucket/red/state", context: { "aws:PrincipalTag/team": team, "aws:SecureTransport": secure } });
    expect(await read("red", "true")).toBe("Allowed");
    expect(await read("blue", "true")).toBe("ImplicitlyDenied");
    expect(await read("red", "false")).toBe("ExplicitlyDenied");
  });
});

describe("the simulator's license (AGPL-3.0) keeps it in the tests", () => {
  test("it is a devDependency, and no file outside __tests__/ loads it", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8"));
    expect(manifest.devDependencies["@cloud-copilot/iam-simulate"]).toMatch(/^\d+\.\d+\.\d+$/);
    expect(manifest.dependencies["@cloud-copilot/iam-simulate"]).toBeUndefined();
    const sources = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "*.ts", "*.js"], { cwd: PROJECT_ROOT, encoding: "utf8" });
    const loaders = sources
      .split("\n")
      .filter((file) => file && !file.startsWith("__tests__/"))
      .filter((file) => fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8").includes("@cloud-copilot/"));
    expect(loaders).toEqual([]);
  });
});
