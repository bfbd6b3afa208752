import * as fs from "fs";
import * as path from "path";
import { Steps } from "../../../lib/local/steps";
import { testTmpDir } from "../../support/temp";

// A terraform apply's worth of output: 300 lines, 56 of them "Still creating...".
const APPLY_OUTPUT = [
  ...Array.from({ length: 200 }, (_, i) => `bootstrap  # aws_resource.r${i} will be created`),
  ...Array.from({ length: 56 }, (_, i) => `bootstrap  aws_s3_bucket_lifecycle_configuration.lifecycle: Still creating... [${i + 1}0s elapsed]`),
  ...Array.from({ length: 44 }, (_, i) => `bootstrap  aws_resource.r${i}: Creation complete after 0s`),
].join("\n");

function steps(verbose: boolean, name: string) {
  const logFile = path.join(testTmpDir(), name, "local.log");
  const printed: string[] = [];
  let now = 0;
  const reporter = new Steps({ logFile, verbose, print: (line) => printed.push(line), clock: () => (now += 20_600) - 20_600 });
  return { reporter, printed, logFile };
}

test("a step that prints 300 lines shows one, with its time, after one line that says why it is long; the 300 go to the log", async () => {
  const { reporter, printed, logFile } = steps(false, "quiet");
  const result = await reporter.run(
    "deploy bootstrap",
    async (output) => {
      for (const chunk of APPLY_OUTPUT.match(/[\s\S]{1,997}/g)!) output(chunk);
      return { bucket: "acme-state" };
    },
    { wait: "bootstrap takes a minute or more: the lifecycle rules", done: ({ bucket }) => `bootstrap deployed: bucket ${bucket}` },
  );
  expect(result).toEqual({ bucket: "acme-state" });
  expect(printed).toEqual(["  … bootstrap takes a minute or more: the lifecycle rules", "✓ bootstrap deployed: bucket acme-state (20.6 s)"]);
  const log = fs.readFileSync(logFile, "utf8");
  expect(log).toContain(APPLY_OUTPUT);
  expect(log).toMatch(/^=== deploy bootstrap \(/m);
});

test("a failed step shows its last 20 lines and the log's path, and fails", async () => {
  const { reporter, printed, logFile } = steps(false, "failed");
  const failing = reporter.run("deploy vpc", async (output) => {
    output(`${APPLY_OUTPUT}\n`);
    output.line("│ Error: creating EC2 VPC: operation error EC2: CreateVpc, https response error StatusCode: 500");
    throw new Error("cdktf deploy vpc failed (1)");
  });
  await expect(failing).rejects.toThrow("cdktf deploy vpc failed (1)");
  expect(printed[0]).toBe("✗ deploy vpc (failed after 20.6 s)");
  expect(printed[1]).toBe("  its last 20 lines of output:");
  expect(printed.slice(2, 22)).toEqual([...APPLY_OUTPUT.split("\n").slice(-19), "│ Error: creating EC2 VPC: operation error EC2: CreateVpc, https response error StatusCode: 500"].map((line) => `    ${line}`));
  expect(printed.slice(22)).toEqual([`  full output: ${logFile}`]);
  expect(fs.readFileSync(logFile, "utf8")).toContain("=== failed after 20.6 s: cdktf deploy vpc failed (1)");
});

test("--verbose: every line as it arrives too, without cdktf's spinner and blank lines", async () => {
  const { reporter, printed } = steps(true, "verbose");
  await reporter.run("deploy bootstrap", async (output) => {
    output("bootstrap  Initializing the backend...\n\n");
    output("Processing\n[2K[1A\n");
    output("bootstrap  Apply complete! Resources: 20 added, 0 changed, 0 destroyed.");
  });
  expect(printed).toEqual([
    "      bootstrap  Initializing the backend...",
    "      bootstrap  Apply complete! Resources: 20 added, 0 changed, 0 destroyed.",
    "✓ deploy bootstrap (20.6 s)",
  ]);
});
