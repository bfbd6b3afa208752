import { TerraformStack } from "cdktf";

/**
 * A stack that takes nothing from another stack: every value comes from the config or from its own
 * resources. cdktf's prepare pass resolves every element once only to find tokens of other stacks, and
 * costs as much as the synth itself, so it is left out; the backend check stays. A token of another stack
 * would then stay a plain reference, which terraform validate rejects as undeclared.
 */
export abstract class SelfContainedStack extends TerraformStack {
  override prepareStack(): void {
    this.ensureBackendExists();
  }
}
