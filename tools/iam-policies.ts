// The IAM policy documents of a synthesized stack, with their terraform references resolved to the values
// terraform would know after an apply in one account. The security gate lints these documents, and the unit
// tests' IAM evaluator (__tests__/support/iam-evaluation.ts) evaluates them.
import { createHash } from "crypto";

/** The account the values stand in, unless the stack's provider allows exactly one other. */
export const TEST_ACCOUNT_ID = "111111111111";
export const TEST_PARTITION = "aws";

/** A stack's JSON as terraform reads it: cdk.tf.json, or what Testing.synth returns. */
export interface TerraformJson {
  readonly resource?: Record<string, Record<string, Record<string, any>>>;
  readonly data?: Record<string, Record<string, Record<string, any>>>;
  readonly provider?: Record<string, Array<Record<string, any>>>;
  readonly [block: string]: unknown;
}

export interface PolicyDocument {
  readonly Version?: string;
  readonly Id?: string;
  readonly Statement: Statement[] | Statement;
}

export interface Statement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly [element: string]: unknown;
}

export interface AccountSettings {
  /** Defaults to the provider's one allowed account, else TEST_ACCOUNT_ID. */
  readonly accountId?: string;
  /** Defaults to TEST_PARTITION. */
  readonly partition?: string;
  /** Defaults to the provider's region. */
  readonly region?: string;
}

/** A `${...}` in the stack that has no value here: the caller must know, never a policy with the reference left in. */
export class UnresolvedReferenceError extends Error {
  constructor(expression: string, where: string, why: string) {
    super(`cannot resolve \${${expression}} in ${where}: ${why}`);
    this.name = "UnresolvedReferenceError";
  }
}

export const parseStack = (stack: string | TerraformJson): TerraformJson => (typeof stack === "string" ? JSON.parse(stack) : stack);

/** The construct path that cdk.tf.json records for a resource (`vpc-dev/flow-logs/role`); Testing.synth drops it. */
export const constructPath = (body: Record<string, any>): string | undefined => body["//"]?.metadata?.path;

/** `flow-logs/role`: the construct path without its stack, or the terraform address where the JSON has no path. */
export function pathInStack(address: string, body: Record<string, any>): string {
  const full = constructPath(body);
  return full ? full.split("/").slice(1).join("/") : address;
}

const EXPRESSION = /^(data\.)?([a-z][a-z0-9_]*)\.([A-Za-z0-9_-]+)\.([a-z][a-z0-9_]*)$/;

// The EC2 resources whose IDs terraform only learns from AWS: the ID's prefix and the ARN's resource type.
const EC2_IDS: Record<string, [string, string]> = {
  aws_vpc: ["vpc", "vpc"],
  aws_subnet: ["subnet", "subnet"],
  aws_security_group: ["sg", "security-group"],
  aws_default_security_group: ["sg", "security-group"],
  aws_internet_gateway: ["igw", "internet-gateway"],
  aws_route_table: ["rtb", "route-table"],
  aws_network_acl: ["acl", "network-acl"],
  aws_default_network_acl: ["acl", "network-acl"],
  aws_nat_gateway: ["nat", "natgateway"],
  aws_flow_log: ["fl", "vpc-flow-log"],
};

/**
 * Resolves the stack's `${...}` references: the partition, the account and the region, and each resource's
 * ARN, name or ID as terraform would know it, from the resource's own attributes (a bucket's name, a role's
 * name and path). What AWS alone picks (a KMS key's ID, a VPC's ID, the name of a role that has none) is a
 * stable stand-in made from the resource's address. Anything else throws: a function call, a variable, an
 * attribute or a kind of resource it does not know, a name that only a prefix gives.
 */
export class StackReferences {
  readonly json: TerraformJson;
  readonly partition: string;
  readonly accountId: string;
  private readonly region?: string;

  constructor(stack: string | TerraformJson, settings: AccountSettings = {}) {
    this.json = parseStack(stack);
    const provider = this.provider(undefined);
    this.partition = settings.partition ?? TEST_PARTITION;
    this.accountId = settings.accountId ?? providerAccount(provider) ?? TEST_ACCOUNT_ID;
    this.region = settings.region ?? provider?.region;
  }

  /** The stack's region; throws when neither the settings nor the provider give one. */
  regionOf(where: string): string {
    if (!this.region) throw new Error(`${where}: the stack's aws provider has no region, and none was given`);
    return this.region;
  }

  /** The text with every `${...}` replaced and every `$${` unescaped, as terraform renders it. */
  resolve(text: string, where: string): string {
    let out = "";
    let i = 0;
    while (i < text.length) {
      if (text.startsWith("$${", i) || text.startsWith("%%{", i)) {
        out += text[i + 1] + "{";
        i += 3;
      } else if (text.startsWith("${", i) || text.startsWith("%{", i)) {
        const end = text.indexOf("}", i);
        const expression = text.slice(i + 2, end < 0 ? undefined : end);
        if (text[i] === "%") throw new UnresolvedReferenceError(expression, where, "a template directive");
        if (end < 0) throw new UnresolvedReferenceError(expression, where, "no closing brace");
        out += this.expression(expression, where);
        i = end + 1;
      } else {
        out += text[i];
        i += 1;
      }
    }
    return out;
  }

  /** Every string in the value resolved, at any depth. */
  resolveDeep<T>(value: T, where: string): T {
    if (typeof value === "string") return this.resolve(value, where) as T;
    if (Array.isArray(value)) return value.map((item) => this.resolveDeep(item, where)) as T;
    if (value && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).filter(([key]) => key !== "//").map(([key, item]) => [key, this.resolveDeep(item, where)])) as T;
    }
    return value;
  }

  /** A policy attribute's JSON, resolved and parsed; throws if it is not a policy document. */
  policy(text: string, where: string): PolicyDocument {
    const resolved = this.resolve(text, where);
    let document: PolicyDocument;
    try {
      document = JSON.parse(resolved);
    } catch (error) {
      throw new Error(`${where}: the policy is not JSON once resolved (${(error as Error).message}): ${resolved.slice(0, 200)}`);
    }
    if (!document || typeof document !== "object" || !("Statement" in document)) throw new Error(`${where}: not a policy document: ${resolved.slice(0, 200)}`);
    return document;
  }

  private expression(expression: string, where: string): string {
    const match = EXPRESSION.exec(expression.trim());
    if (!match) throw new UnresolvedReferenceError(expression, where, "not a plain reference to a resource's or a data source's attribute");
    const [, data, type, name, attribute] = match;
    const block = data ? this.json.data : this.json.resource;
    const body = block?.[type]?.[name];
    if (!body) throw new UnresolvedReferenceError(expression, where, `the stack has no ${data ?? ""}${type}.${name}`);
    const attributes = data ? this.dataAttributes(type, name, body, where) : this.resourceAttributes(type, name, body, where);
    const value = Object.hasOwn(attributes, attribute) ? attributes[attribute] : undefined;
    if (value === undefined) throw new UnresolvedReferenceError(expression, where, `no value for ${attribute} of ${type} here`);
    return typeof value === "function" ? value() : value;
  }

  private dataAttributes(type: string, name: string, body: Record<string, any>, where: string): Record<string, string | (() => string)> {
    const { partition } = this;
    const account = this.accountOf(body);
    switch (type) {
      case "aws_partition":
        return { partition, id: partition, dns_suffix: partition === "aws" ? "amazonaws.com" : `amazonaws.${partition}` };
      case "aws_caller_identity":
        return { account_id: account, id: account };
      case "aws_region": {
        const region = body.name ?? body.region ?? this.regionOf(where);
        return { name: region, region, id: region };
      }
      case "aws_iam_policy_document":
        return { json: () => JSON.stringify(policyDocumentJson(this.resolveDeep(body, `data.${type}.${name}`), `data.${type}.${name}`)) };
      default:
        throw new UnresolvedReferenceError(`data.${type}.${name}`, where, `data source ${type} is not known here`);
    }
  }

  private resourceAttributes(type: string, name: string, body: Record<string, any>, where: string): Record<string, string | (() => string)> {
    const address = `${type}.${name}`;
    const { partition } = this;
    const account = this.accountOf(body);
    const region = () => this.regionOfResource(body, where);
    /** An attribute the resource itself sets, resolved; a name that only a prefix would give cannot be known. */
    const own = (attribute: string): string => {
      const value = body[attribute];
      if (typeof value === "string") return this.resolve(value, address);
      const prefix = body[`${attribute}_prefix`] !== undefined ? ` (${attribute}_prefix leaves the rest to terraform)` : "";
      throw new UnresolvedReferenceError(address, where, `it sets no ${attribute}${prefix}`);
    };
    const iamPath = () => (typeof body.path === "string" ? this.resolve(body.path, address) : "/");
    const standIn = (length: number) => createHash("sha256").update(address).digest("hex").slice(0, length);
    switch (type) {
      case "aws_s3_bucket":
        return { id: () => own("bucket"), bucket: () => own("bucket"), arn: () => `arn:${partition}:s3:::${own("bucket")}` };
      case "aws_dynamodb_table":
        return { id: () => own("name"), name: () => own("name"), arn: () => `arn:${partition}:dynamodb:${region()}:${account}:table/${own("name")}` };
      case "aws_iam_policy": {
        const arn = () => `arn:${partition}:iam::${account}:policy${iamPath()}${own("name")}`;
        return { id: arn, arn, name: () => own("name"), path: iamPath };
      }
      case "aws_iam_role": {
        // terraform names a role that has no name of its own; this stands in for that name.
        const roleName = () => (body.name === undefined && body.name_prefix === undefined ? `terraform-${standIn(20)}` : own("name"));
        return { id: roleName, name: roleName, arn: () => `arn:${partition}:iam::${account}:role${iamPath()}${roleName()}`, path: iamPath };
      }
      case "aws_iam_openid_connect_provider": {
        const arn = () => `arn:${partition}:iam::${account}:oidc-provider/${own("url").replace(/^https:\/\//, "")}`;
        return { id: arn, arn, url: () => own("url") };
      }
      case "aws_kms_key": {
        const h = standIn(32);
        const keyId = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
        return { id: keyId, key_id: keyId, arn: () => `arn:${partition}:kms:${region()}:${account}:key/${keyId}` };
      }
      case "aws_kms_alias":
        return { id: () => own("name"), name: () => own("name"), arn: () => `arn:${partition}:kms:${region()}:${account}:${own("name")}` };
      case "aws_cloudwatch_log_group":
        return { id: () => own("name"), name: () => own("name"), arn: () => `arn:${partition}:logs:${region()}:${account}:log-group:${own("name")}` };
      default: {
        const ec2 = EC2_IDS[type];
        if (!ec2) throw new UnresolvedReferenceError(address, where, `resource type ${type} is not known here`);
        const id = `${ec2[0]}-${standIn(17)}`;
        return { id, arn: () => `arn:${partition}:ec2:${region()}:${account}:${ec2[1]}/${id}`, ...(typeof body.cidr_block === "string" ? { cidr_block: () => own("cidr_block") } : {}) };
      }
    }
  }

  /** The aws provider a resource uses: `provider = "aws.<alias>"`, or the one without an alias. */
  private provider(reference: string | undefined): Record<string, any> | undefined {
    const providers = this.json.provider?.aws ?? [];
    const alias = reference?.replace(/^aws\./, "");
    const found = providers.find((p) => (alias ? p.alias === alias : p.alias === undefined));
    if (alias && !found) throw new Error(`the stack has no aws provider with alias ${alias}`);
    return found;
  }

  private accountOf(body: Record<string, any>): string {
    return body.provider ? (providerAccount(this.provider(body.provider)) ?? this.accountId) : this.accountId;
  }

  private regionOfResource(body: Record<string, any>, where: string): string {
    return (body.region as string | undefined) ?? (body.provider ? this.provider(body.provider)?.region : undefined) ?? this.regionOf(where);
  }
}

/** The account a provider is pinned to with exactly one allowed account, as a stack in another account is. */
function providerAccount(provider: Record<string, any> | undefined): string | undefined {
  const allowed = provider?.allowed_account_ids;
  return Array.isArray(allowed) && allowed.length === 1 && /^\d{12}$/.test(allowed[0]) ? allowed[0] : undefined;
}

/** The JSON that data.aws_iam_policy_document renders from its blocks (already resolved). */
function policyDocumentJson(body: Record<string, any>, where: string): PolicyDocument {
  for (const unsupported of ["source_policy_documents", "override_policy_documents", "source_json", "override_json"]) {
    if (body[unsupported] !== undefined) throw new Error(`${where}: ${unsupported} is not rendered here`);
  }
  const principals = (blocks: Array<{ type: string; identifiers: string[] }> | undefined) => {
    if (!blocks) return undefined;
    if (blocks.length === 1 && blocks[0].type === "*") return "*";
    const out: Record<string, string[]> = {};
    for (const { type, identifiers } of blocks) out[type] = [...(out[type] ?? []), ...identifiers];
    return out;
  };
  const conditions = (blocks: Array<{ test: string; variable: string; values: string[] }> | undefined) => {
    if (!blocks) return undefined;
    const out: Record<string, Record<string, string[]>> = {};
    for (const { test, variable, values } of blocks) out[test] = { ...out[test], [variable]: values };
    return out;
  };
  const statements = (body.statement ?? []).map((s: Record<string, any>) => {
    const statement: Record<string, unknown> = {
      Sid: s.sid,
      Effect: s.effect ?? "Allow",
      Action: s.actions,
      NotAction: s.not_actions,
      Resource: s.resources,
      NotResource: s.not_resources,
      Principal: principals(s.principals),
      NotPrincipal: principals(s.not_principals),
      Condition: conditions(s.condition),
    };
    return Object.fromEntries(Object.entries(statement).filter(([, value]) => value !== undefined && value !== ""));
  });
  return { Version: body.version ?? "2012-10-17", ...(body.policy_id ? { Id: body.policy_id } : {}), Statement: statements as Statement[] };
}

export type PolicyKind = "identity" | "trust" | "resource";

/** One IAM policy document of the stack, resolved. */
export interface StackPolicy {
  /** Its terraform address: `aws_iam_role_policy.<name>`, or `aws_iam_role.<name>.inline_policy[<i>]`. */
  readonly address: string;
  /** Its construct path in the stack (`github-ci/dev-plan-policy`), or its address where the JSON has none. */
  readonly path: string;
  /** Identity policies (inline and managed, which boundaries are too), trust policies, and resource policies. */
  readonly kind: PolicyKind;
  readonly document: PolicyDocument;
}

const IDENTITY_POLICY_TYPES = new Set(["aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy"]);

/**
 * Every IAM policy document the stack holds: each resource's `policy` and `assume_role_policy` (whatever the
 * resource: a role's inline policy, a managed policy, a bucket or key policy) and a role's `inline_policy`
 * blocks. A `policy` attribute that is not a policy document once resolved throws.
 */
export function stackPolicies(stack: string | TerraformJson, settings: AccountSettings = {}): StackPolicy[] {
  const references = new StackReferences(stack, settings);
  const policies: StackPolicy[] = [];
  for (const [type, resources] of Object.entries(references.json.resource ?? {})) {
    for (const [name, body] of Object.entries(resources)) {
      const address = `${type}.${name}`;
      const path = pathInStack(address, body);
      if (typeof body.policy === "string") {
        policies.push({ address, path, kind: IDENTITY_POLICY_TYPES.has(type) ? "identity" : "resource", document: references.policy(body.policy, address) });
      }
      if (typeof body.assume_role_policy === "string") {
        policies.push({ address: `${address}.assume_role_policy`, path, kind: "trust", document: references.policy(body.assume_role_policy, address) });
      }
      if (type === "aws_iam_role") {
        (body.inline_policy ?? []).forEach((inline: { name?: string; policy?: string }, i: number) => {
          if (typeof inline.policy !== "string") return;
          const where = `${address}.inline_policy[${i}]`;
          policies.push({ address: where, path: `${path}/${inline.name ?? i}`, kind: "identity", document: references.policy(inline.policy, where) });
        });
      }
    }
  }
  return policies;
}

export const statementsOf = (document: PolicyDocument): Statement[] => (Array.isArray(document.Statement) ? document.Statement : [document.Statement]);
