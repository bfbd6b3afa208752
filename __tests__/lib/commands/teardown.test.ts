import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../../config/config";
import { AwsClients } from "../../../lib/aws/clients";
import { teardown } from "../../../lib/commands/teardown";
import { testTmpDir } from "../../support/temp";

/** An AWS API where the bucket is gone: HeadBucket answers NotFound, and anything else fails the test. */
const bucketGone = () => {
  const sent: string[] = [];
  const clients = {
    s3: {
      send: async (command: { constructor: { name: string } }) => {
        sent.push(command.constructor.name);
        if (command.constructor.name === "HeadBucketCommand") throw Object.assign(new Error("UnknownError"), { name: "NotFound" });
        throw new Error(`unexpected ${command.constructor.name}`);
      },
    },
    dynamodb: {
      send: async (command: { constructor: { name: string } }) => {
        sent.push(command.constructor.name);
        throw new Error(`unexpected ${command.constructor.name}`);
      },
    },
  } as unknown as AwsClients;
  return { clients, sent };
};

const state = (resources: unknown[]) => JSON.stringify({ version: 4, serial: 7, lineage: "0f0f", resources });

describe("npm run teardown after a complete one", () => {
  const settings = (file: string) => ({ TFSTATE_BOOTSTRAP_STATE_FILE: path.relative(PROJECT_ROOT, file), AWS_ENDPOINT_URL: "http://127.0.0.1:1" });

  test("with the bucket gone and the bootstrap state empty, there is nothing left to tear down: it says so and runs no terraform", async () => {
    const file = path.join(testTmpDir(), "emptied.tfstate");
    fs.writeFileSync(file, state([]));
    const { clients, sent } = bucketGone();
    const lines: string[] = [];
    await expect(teardown({ yes: true, includeForeignState: false }, (line) => lines.push(line), settings(file), () => clients)).resolves.toBeUndefined();
    expect(lines).toEqual([`nothing left to tear down: bucket s3://tfstate-backend-terraform-state does not exist, and ${path.relative(PROJECT_ROOT, file)} holds no resources`]);
    expect(sent).toEqual(["HeadBucketCommand"]);
  });

  test("with no bootstrap state file at all, the same", async () => {
    const file = path.join(testTmpDir(), "never-written.tfstate");
    const lines: string[] = [];
    await teardown({ yes: true, includeForeignState: false }, (line) => lines.push(line), settings(file), () => bucketGone().clients);
    expect(lines).toEqual([`nothing left to tear down: bucket s3://tfstate-backend-terraform-state does not exist, and there is no ${path.relative(PROJECT_ROOT, file)}`]);
  });

  test("while the bootstrap state still holds a resource, it goes on to tear that down", async () => {
    const file = path.join(testTmpDir(), "half.tfstate");
    fs.writeFileSync(file, state([{ mode: "managed", type: "aws_dynamodb_table", name: "lock-table", instances: [{}] }]));
    const { clients, sent } = bucketGone();
    // It goes on to look for state that is not the project's, in the bucket: here, the fake's unexpected call.
    await expect(teardown({ yes: true, includeForeignState: false }, () => undefined, settings(file), () => clients)).rejects.toThrow(/unexpected/);
    expect(sent[0]).toBe("HeadBucketCommand");
  });
});
