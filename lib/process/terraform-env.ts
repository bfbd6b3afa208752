import * as fs from "fs";
import * as path from "path";

// Where this project's machines keep an offline copy of the AWS provider.
const DEFAULT_PLUGIN_MIRROR = "/opt/tf-plugins";

function mirrorCliConfig(mirror: string): string {
  return `provider_installation {
  filesystem_mirror {
    path    = ${JSON.stringify(mirror)}
    include = ["registry.terraform.io/*/*"]
  }
  direct {
    exclude = ["registry.terraform.io/*/*"]
  }
}
`;
}

/**
 * Environment for running terraform here: no phoning home, and providers from the local mirror
 * when one exists (TF_PLUGIN_MIRROR, default /opt/tf-plugins). On a machine without one,
 * terraform uses its registry as usual.
 */
export function terraformEnv(configDir: string, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const result: Record<string, string> = { CHECKPOINT_DISABLE: "1" };
  const mirror = env.TF_PLUGIN_MIRROR || DEFAULT_PLUGIN_MIRROR;
  if (fs.existsSync(mirror)) {
    const file = path.join(configDir, "terraform.rc");
    fs.mkdirSync(configDir, { recursive: true });
    fs.writeFileSync(file, mirrorCliConfig(mirror));
    result.TF_CLI_CONFIG_FILE = file;
    // With a mirror, terraform links providers straight from it; cdktf's default plugin cache would copy 700 MB first.
    result.CDKTF_DISABLE_PLUGIN_CACHE_ENV = "true";
  }
  return result;
}
