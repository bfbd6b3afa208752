import { spawnSync } from "child_process";
import { PROJECT_ROOT } from "../../../config/config";
import { nodeSupportNote, quietNodeVersionWarning } from "../../../lib/cli/node-support";

const NOTE = /^note: node \d+ is past its end of life; node 22 or 24 is recommended \(\.nvmrc\)$/;

describe("the note on an old node", () => {
  test("one line on node 20, none on 22 or 24", () => {
    expect(nodeSupportNote("v20.20.2")).toBe("note: node 20 is past its end of life; node 22 or 24 is recommended (.nvmrc)");
    expect(nodeSupportNote("v22.1.0")).toBeUndefined();
    expect(nodeSupportNote("v24.0.0")).toBeUndefined();
  });

  test("the SDK's NodeVersionSupportWarning is swallowed, and other warnings still go through", () => {
    const notes: string[] = [];
    const original = process.emitWarning;
    const passedOn = jest.fn();
    process.emitWarning = passedOn as unknown as typeof process.emitWarning;
    const undo = quietNodeVersionWarning((line) => notes.push(line));
    try {
      process.emitWarning("NodeVersionSupportWarning: The AWS SDK for JavaScript (v3)\nversions published after ...");
      process.emitWarning("NodeVersionSupportWarning: again");
      process.emitWarning("something else", "DeprecationWarning");
    } finally {
      undo();
      process.emitWarning = original;
    }
    expect(notes).toEqual(nodeSupportNote() ? [nodeSupportNote()] : []);
    expect(passedOn.mock.calls).toEqual([["something else", "DeprecationWarning"]]);
  });
});

test("a command that loads the AWS SDK prints no multi-line warning, and at most the one note", () => {
  // doctor against an endpoint where nothing listens: it builds its SDK clients, then cannot reach it (exit 1).
  const run = spawnSync("node", ["--require", "./ts-register.js", "bin/doctor.ts"], {
    cwd: PROJECT_ROOT,
    encoding: "utf8",
    env: { ...process.env, AWS_ENDPOINT_URL: "http://127.0.0.1:1", AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "" },
    timeout: 60_000,
  });
  const lines = run.stderr.trimEnd().split("\n");
  expect(run.status).toBe(1);
  expect(run.stderr).not.toMatch(/NodeVersionSupportWarning|a\.co\//);
  expect(lines.filter((line) => NOTE.test(line))).toHaveLength(nodeSupportNote() ? 1 : 0);
  expect(lines.filter((line) => !NOTE.test(line))).toEqual([expect.stringMatching(/^error: cannot reach the AWS API at http:\/\/127\.0\.0\.1:1/)]);
}, 60_000);
