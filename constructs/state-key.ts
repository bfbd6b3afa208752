import { Construct } from "constructs";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";

export interface StateKeyProps {
  readonly aliasName: string;
  readonly preventDestroy: boolean;
}

/** A customer-managed KMS key for state at rest: rotated yearly, found by its alias. */
export class StateKey extends Construct {
  readonly key: KmsKey;

  constructor(scope: Construct, id: string, props: StateKeyProps) {
    super(scope, id);

    const account = new DataAwsCallerIdentity(this, "account");
    const partition = new DataAwsPartition(this, "partition");

    this.key = new KmsKey(this, "key", {
      description: "Encrypts Terraform state and its lock table",
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

    new KmsAlias(this, "alias", { name: props.aliasName, targetKeyId: this.key.keyId });
  }
}
