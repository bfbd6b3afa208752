import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";

export interface StateKeyProps {
  readonly aliasName: string;
  readonly preventDestroy: boolean;
  /** The provider of another region (the replica's); the stack's own when unset. */
  readonly provider?: TerraformProvider;
  /** What the key encrypts; the state and its lock table when unset. */
  readonly description?: string;
}

/** A customer-managed KMS key for state at rest: rotated yearly, found by its alias. */
export class StateKey extends Construct {
  readonly key: KmsKey;

  constructor(scope: Construct, id: string, props: StateKeyProps) {
    super(scope, id);

    const provider = props.provider;
    const account = new DataAwsCallerIdentity(this, "account", { provider });
    const partition = new DataAwsPartition(this, "partition", { provider });

    this.key = new KmsKey(this, "key", {
      provider,
      description: props.description ?? "Encrypts Terraform state and its lock table",
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      // The account's default key policy, written out: IAM policies decide who may use the key.
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "AccountAdministersKeyThroughIam",
            Effect: "Allow",
            Principal: { AWS: `arn:${partition.partition}:iam::${account.accountId}:root` },
            Action: "kms:*",
            Resource: "*",
          },
        ],
      }),
      lifecycle: { preventDestroy: props.preventDestroy },
    });

    new KmsAlias(this, "alias", { provider, name: props.aliasName, targetKeyId: this.key.keyId });
  }
}
