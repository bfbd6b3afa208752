// Test-only: evaluates a synthesized stack's IAM roles with @cloud-copilot/iam-simulate, a model of AWS's
// policy evaluation logic. That package is AGPL-3.0, so it is a devDependency that only tests import: nothing
// the app, its commands or lib/ load may require it, and it never ships with what the project deploys.
//
// A role's identity policies (inline, in aws_iam_role_policy or inline_policy blocks, and attached managed
// policies) and its permissions boundary are read from the stack, their terraform references resolved as
// tools/iam-policies.ts does for the security gate, and evaluated together for one request.
import { runSimulation, type EvaluationResult, type Simulation } from "@cloud-copilot/iam-simulate";
import { AccountSettings, PolicyDocument, StackReferences, TerraformJson, constructPath } from "../../tools/iam-policies";

export { TEST_ACCOUNT_ID, UnresolvedReferenceError } from "../../tools/iam-policies";
export type Decision = EvaluationResult;

export interface NamedPolicy {
  readonly name: string;
  readonly arn?: string;
  readonly document: PolicyDocument;
}

/** A role of the stack with everything that decides what it may do, resolved. */
export interface StackRole {
  /** `aws_iam_role.<name>` */
  readonly address: string;
  readonly name: string;
  readonly arn: string;
  readonly accountId: string;
  readonly inlinePolicies: NamedPolicy[];
  readonly managedPolicies: NamedPolicy[];
  readonly permissionsBoundary?: NamedPolicy;
}

export interface EvaluationOptions extends AccountSettings {
  /** The documents of policies the stack names only by ARN (an AWS managed policy, a boundary made elsewhere). */
  readonly externalPolicies?: Record<string, PolicyDocument>;
}

export interface IamRequest {
  readonly action: string;
  readonly resource: string;
  /** Request context keys: `aws:RequestTag/Environment`, `aws:TagKeys`, `ec2:CreateAction`, `iam:PassedToService`, `s3:prefix`... */
  readonly context?: Record<string, string | string[]>;
  /** Shorthand for `aws:ResourceTag/<key>` context keys. */
  readonly resourceTags?: Record<string, string>;
  /** Shorthand for `aws:RequestTag/<key>` context keys and `aws:TagKeys`. */
  readonly requestTags?: Record<string, string>;
  /** The resource's account; the role's account unless given (an S3 ARN names none). */
  readonly resourceAccount?: string;
  /**
   * The resource's own policy. Unless given, the stack's policy for that resource when it has one: the
   * key policy of a KMS key (KMS allows nothing that its key policy does not), the bucket policy of a bucket
   * and its objects. `null` evaluates without one.
   */
  readonly resourcePolicy?: PolicyDocument | null;
}

export interface Evaluation {
  readonly decision: Decision;
  /** The identity, boundary and resource policies the request was evaluated against, by name. */
  readonly policies: string[];
  /** The simulator's full answer, for a failing test to print. */
  readonly raw: unknown;
}

/** Reads the stack once; evaluates any number of requests against its roles. */
export class IamEvaluator {
  readonly references: StackReferences;
  readonly roles: StackRole[];

  constructor(stack: string | TerraformJson, options: EvaluationOptions = {}) {
    this.references = new StackReferences(stack, options);
    this.roles = readRoles(this.references, options.externalPolicies ?? {});
  }

  /** The role by its name, its terraform address or resource name, or its construct path (with or without the stack). */
  role(id: string): StackRole {
    const resources = this.references.json.resource?.aws_iam_role ?? {};
    const matches = this.roles.filter((role) => {
      const key = role.address.slice("aws_iam_role.".length);
      const path = constructPath(resources[key]);
      const derived = key.replace(/_[0-9A-F]{8}$/, "");
      return [role.name, role.address, key, path, path?.split("/").slice(1).join("/")].includes(id) || derived === id.replace(/\//g, "_");
    });
    if (matches.length !== 1) {
      const known = this.roles.map((role) => `${role.name} (${role.address})`).join(", ");
      throw new Error(`${matches.length === 0 ? "no" : "more than one"} role ${id} in the stack; its roles: ${known || "none"}`);
    }
    return matches[0];
  }

  /** What AWS would decide for the role's request, its identity policies and boundary together. */
  async evaluate(roleId: string, request: IamRequest): Promise<Decision> {
    return (await this.explain(roleId, request)).decision;
  }

  async explain(roleId: string, request: IamRequest): Promise<Evaluation> {
    const role = this.role(roleId);
    const resourcePolicy = request.resourcePolicy === undefined ? this.resourcePolicyOf(request.resource) : (request.resourcePolicy ?? undefined);
    const context: Record<string, string | string[]> = {
      // What every request of a role's session carries; the simulator fills in none of it.
      "aws:PrincipalArn": role.arn,
      "aws:PrincipalAccount": role.accountId,
      ...Object.fromEntries(Object.entries(request.requestTags ?? {}).map(([key, value]) => [`aws:RequestTag/${key}`, value])),
      ...(request.requestTags ? { "aws:TagKeys": Object.keys(request.requestTags) } : {}),
      ...Object.fromEntries(Object.entries(request.resourceTags ?? {}).map(([key, value]) => [`aws:ResourceTag/${key}`, value])),
      ...request.context,
    };
    const identityPolicies = [...role.inlinePolicies, ...role.managedPolicies].map(({ name, document }) => ({ name, policy: document }));
    const simulation: Simulation = {
      request: {
        principal: role.arn,
        action: request.action,
        resource: { resource: request.resource, accountId: request.resourceAccount ?? accountOfArn(request.resource) ?? role.accountId },
        contextVariables: context,
      },
      identityPolicies,
      permissionBoundaryPolicies: role.permissionsBoundary ? [{ name: role.permissionsBoundary.name, policy: role.permissionsBoundary.document }] : undefined,
      resourcePolicy,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    };
    const result = await runSimulation(simulation, { simulationMode: "Strict" });
    const what = `${request.action} on ${request.resource} by ${role.name}`;
    if (result.resultType === "error") throw new Error(`the simulator refused ${what}: ${JSON.stringify(result.errors)}`);
    // A key the action does not take is dropped before evaluation; a test that passes one means something else.
    const results = result.resultType === "single" ? [result.result] : result.results;
    const ignored = [...new Set(results.flatMap((r) => r.ignoredContextKeys ?? []))].filter((key) => key in (request.context ?? {}) || /^aws:(Request|Resource)Tag\/|^aws:TagKeys$/.test(key));
    if (ignored.length > 0) throw new Error(`${what}: the simulator ignores ${ignored.join(", ")}, which AWS does not send with ${request.action} on this resource`);
    const policies = [
      ...identityPolicies.map((p) => p.name),
      ...(role.permissionsBoundary ? [`boundary ${role.permissionsBoundary.name}`] : []),
      ...(resourcePolicy ? ["resource policy"] : []),
    ];
    return { decision: result.overallResult, policies, raw: result };
  }

  /** The stack's own policy for a resource: a KMS key's key policy, a bucket's bucket policy. */
  private resourcePolicyOf(resource: string): PolicyDocument | undefined {
    const { resource: resources = {} } = this.references.json;
    for (const [name, key] of Object.entries(resources.aws_kms_key ?? {})) {
      const arn = this.references.resolve(`\${aws_kms_key.${name}.arn}`, resource);
      if (resource === arn && typeof key.policy === "string") return this.references.policy(key.policy, `aws_kms_key.${name}`);
    }
    for (const [name, bucketPolicy] of Object.entries(resources.aws_s3_bucket_policy ?? {})) {
      const bucket = this.references.resolve(bucketPolicy.bucket, `aws_s3_bucket_policy.${name}`);
      const arn = `arn:${this.references.partition}:s3:::${bucket}`;
      if (resource === arn || resource.startsWith(`${arn}/`)) return this.references.policy(bucketPolicy.policy, `aws_s3_bucket_policy.${name}`);
    }
    return undefined;
  }
}

/** The account an ARN names, if any: an S3 ARN names none. */
const accountOfArn = (arn: string): string | undefined => {
  const account = arn.split(":")[4];
  return account && /^\d{12}$/.test(account) ? account : undefined;
};

/** Every aws_iam_role with its inline policies, attached managed policies and permissions boundary. */
function readRoles(references: StackReferences, external: Record<string, PolicyDocument>): StackRole[] {
  const resources = references.json.resource ?? {};
  const managed = new Map<string, NamedPolicy>(
    Object.entries(resources.aws_iam_policy ?? {}).map(([name, policy]) => {
      const address = `aws_iam_policy.${name}`;
      const arn = references.resolve(`\${${address}.arn}`, address);
      return [arn, { name: references.resolve(`\${${address}.name}`, address), arn, document: references.policy(policy.policy, address) }];
    }),
  );
  const policyByArn = (arn: string, where: string): NamedPolicy => {
    const found = managed.get(arn) ?? (external[arn] ? { name: arn.split("/").pop()!, arn, document: external[arn] } : undefined);
    if (!found) throw new Error(`${where} names policy ${arn}, which is neither in the stack nor among the external policies given`);
    return found;
  };
  const all = <T>(type: string) => Object.entries<Record<string, any>>(resources[type] ?? {}).map(([name, body]) => ({ address: `${type}.${name}`, body: body as T }));

  return Object.entries(resources.aws_iam_role ?? {}).map(([key, body]) => {
    const address = `aws_iam_role.${key}`;
    const name = references.resolve(`\${${address}.name}`, address);
    const isThisRole = (value: unknown, where: string) => typeof value === "string" && references.resolve(value, where) === name;
    const inlinePolicies: NamedPolicy[] = [
      ...(body.inline_policy ?? [])
        .filter((inline: { policy?: string }) => typeof inline.policy === "string")
        .map((inline: { name?: string; policy: string }, i: number) => ({ name: inline.name ?? `inline_policy[${i}]`, document: references.policy(inline.policy, `${address}.inline_policy[${i}]`) })),
      ...all<{ role: string; name?: string; policy: string }>("aws_iam_role_policy")
        .filter(({ address: where, body: policy }) => isThisRole(policy.role, where))
        .map(({ address: where, body: policy }) => ({ name: policy.name ? references.resolve(policy.name, where) : where, document: references.policy(policy.policy, where) })),
    ];
    const attachedArns = [
      ...(body.managed_policy_arns ?? []).map((arn: string) => references.resolve(arn, address)),
      ...all<{ role: string; policy_arn: string }>("aws_iam_role_policy_attachment")
        .filter(({ address: where, body: attachment }) => isThisRole(attachment.role, where))
        .map(({ address: where, body: attachment }) => references.resolve(attachment.policy_arn, where)),
      ...all<{ roles?: string[]; policy_arn: string }>("aws_iam_policy_attachment")
        .filter(({ address: where, body: attachment }) => (attachment.roles ?? []).some((role) => isThisRole(role, where)))
        .map(({ address: where, body: attachment }) => references.resolve(attachment.policy_arn, where)),
      ...all<{ role_name: string; policy_arns: string[] }>("aws_iam_role_policy_attachments_exclusive")
        .filter(({ address: where, body: attachment }) => isThisRole(attachment.role_name, where))
        .flatMap(({ address: where, body: attachment }) => attachment.policy_arns.map((arn) => references.resolve(arn, where))),
    ];
    const boundaryArn = typeof body.permissions_boundary === "string" ? references.resolve(body.permissions_boundary, address) : undefined;
    return {
      address,
      name,
      arn: references.resolve(`\${${address}.arn}`, address),
      accountId: references.resolve(`\${${address}.arn}`, address).split(":")[4],
      inlinePolicies,
      managedPolicies: [...new Set(attachedArns)].map((arn) => policyByArn(arn, address)),
      permissionsBoundary: boundaryArn ? policyByArn(boundaryArn, `${address}.permissions_boundary`) : undefined,
    };
  });
}

/** One request, one decision: `await evaluate(Testing.synth(stack), "tfstate-...-dev-plan", { action, resource })`. */
export function evaluate(stack: string | TerraformJson, roleId: string, request: IamRequest, options?: EvaluationOptions): Promise<Decision> {
  return new IamEvaluator(stack, options).evaluate(roleId, request);
}

/** Every role of the stack, resolved, for tests that look at all of them. */
export const stackRoles = (stack: string | TerraformJson, options?: EvaluationOptions): StackRole[] => new IamEvaluator(stack, options).roles;
