import { PROJECT_ROOT } from "../config/config";
import { runProcess } from "../lib/process/run-process";
import { NodeBinary, nodeEnv } from "./node-binaries";

// cdktf's CLI loads this native module as it starts, for any command. Its last release, 0.10.2, ships
// builds up to node 22 on Linux x64 and Apple silicon (fewer elsewhere) and none for node 24; where
// none fits, npm ci compiles it at install, which takes Python 3, make and a C++ compiler.
const CDKTF_PTY = "@cdktf/node-pty-prebuilt-multiarch";

async function loads(node: NodeBinary): Promise<boolean> {
  const result = await runProcess(node.executable, ["-e", `require(${JSON.stringify(CDKTF_PTY)})`], { cwd: PROJECT_ROOT });
  return result.code === 0;
}

/**
 * Makes cdktf's pseudo-terminal module load on this node. When no build in node_modules fits, it runs
 * the package's install script on this node, as `npm ci` on that node would. That leaves a build for
 * this node's ABI in the package's build/ directory; the loader prefers a matching prebuilt one, so
 * the other nodes keep theirs.
 */
export async function ensureCdktfPty(node: NodeBinary): Promise<"found" | "compiled"> {
  if (await loads(node)) return "found";
  const env: NodeJS.ProcessEnv = { ...nodeEnv(node) };
  // Headers of this very release; npm's default would download them, or use another node's.
  if (node.root) env.npm_config_nodedir = node.root;
  const result = await runProcess("npm", ["rebuild", CDKTF_PTY], { cwd: PROJECT_ROOT, env });
  if (result.code !== 0) {
    throw new Error(`${CDKTF_PTY} has no build for node ${node.version}, and npm rebuild on it failed (${result.code}):\n${result.output.slice(-3000)}`);
  }
  if (!(await loads(node))) throw new Error(`${CDKTF_PTY} still does not load on node ${node.version} after npm rebuild on it`);
  return "compiled";
}
