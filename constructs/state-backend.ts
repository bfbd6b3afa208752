import { Construct } from "constructs";
import { S3Backend } from "cdktf";
import { s3BackendSettings } from "../config/backend-settings";
import { TfstateConfig } from "../config/config";

/** A stack's `backend "s3"`: its state at `key` in the state bucket, locked the way config.lockMode says. */
export class StateBackend extends S3Backend {
  constructor(scope: Construct, config: TfstateConfig, key: string) {
    const { bucket, region, key: _key, ...rest } = s3BackendSettings(config, key);
    super(scope, { bucket: String(bucket), key, region: String(region) });
    // Overrides, not props: cdktf 0.21's S3Backend has no useLockfile, and one spelling serves backend.hcl too.
    for (const [name, value] of Object.entries(rest)) this.addOverride(name, value);
  }
}
