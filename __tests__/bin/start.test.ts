// A command's start: --help loads the command line and the config, never the AWS SDK, cdktf or the
// provider, which cost half a second and a hundred MB before anything is asked of them.
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../config/config";
import { runProcess } from "../../lib/process/run-process";

const HEAVY = /^(@aws-sdk|@smithy|@cdktf|cdktf|constructs)(\/|$)/;

// Runs the command file as its npm script does, with --help, and prints each package it loaded.
const LIST_PACKAGES = `
process.on("exit", () => {
  const packages = Object.keys(require.cache).filter((file) => file.includes("/node_modules/"));
  console.error(JSON.stringify([...new Set(packages.map((file) => file.split("/node_modules/").pop().split("/").slice(0, file.split("/node_modules/").pop().startsWith("@") ? 2 : 1).join("/")))]));
});
process.argv.splice(1, Infinity, process.argv[1], "--help");
require(require("path").resolve(process.argv[1]));
`;

jest.setTimeout(60_000);

const commands = fs.readdirSync(path.join(PROJECT_ROOT, "bin")).map((file) => `bin/${file}`);

test.each(commands)("%s --help loads no AWS SDK, cdktf or provider", async (file) => {
  const { code, output } = await runProcess("node", ["--require", "./ts-register.js", "-e", LIST_PACKAGES, file], { cwd: PROJECT_ROOT });
  expect(code).toBe(0);
  const loaded: string[] = JSON.parse(output.trimEnd().split("\n").pop()!);
  expect(loaded).toContain("@swc/core");
  expect(loaded.filter((name) => HEAVY.test(name))).toEqual([]);
});
