import { App } from "cdktf";
import { ConfigError, STACKS, TfstateConfig, loadConfig } from "./config/config";
import { BootstrapStack } from "./stacks/bootstrap-stack";
import { VpcStack } from "./stacks/vpc-stack";

function configOrExit(): TfstateConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // One line, before terraform ever runs.
    console.error(`error: ${error.message}`);
    process.exit(1);
  }
}

const config = configOrExit();
const app = new App();
new BootstrapStack(app, STACKS.bootstrap, config);
new VpcStack(app, STACKS.vpc, config);
app.synth();
