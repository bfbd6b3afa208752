import { loadConfig } from "../config/config";
import { awsClients } from "../lib/aws/clients";
import { runCommand } from "../lib/cli/command";
import { remoteStateKey } from "../lib/state/stack-states";
import { describeStateVersions, formatStateVersions } from "../lib/state/state-versions";

runCommand(
  {
    name: "versions",
    summary: "Lists the versions of a stack's state object, newest first: version ID, time, size, terraform serial, lineage, resource count.",
    args: ["<stack>"],
    options: {},
  },
  async ({ positionals: [stack] }) => {
    const config = loadConfig();
    const key = remoteStateKey(config, stack);
    console.log(`s3://${config.stateBucket}/${key}`);
    console.log(formatStateVersions(await describeStateVersions(awsClients(config), config.stateBucket, key)));
  },
);
