import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT, TfstateConfig } from "../../../config/config";
import { AwsClients } from "../../../lib/aws/clients";
import { teardown } from "../../../lib/commands/teardown";
import { Refusal } from "../../../lib/cli/errors";
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
    await expect(teardown({ yes: true, includeForeignState: false }, (line) => lines.push(line), settings(file), { connect: () => clients })).resolves.toBeUndefined();
    expect(lines).toEqual([`nothing left to tear down: bucket s3://tfstate-backend-terraform-state does not exist, and ${path.relative(PROJECT_ROOT, file)} holds no resources`]);
    expect(sent).toEqual(["HeadBucketCommand"]);
  });

  test("with no bootstrap state file at all, the same", async () => {
    const file = path.join(testTmpDir(), "never-written.tfstate");
    const lines: string[] = [];
    await teardown({ yes: true, includeForeignState: false }, (line) => lines.push(line), settings(file), { connect: () => bucketGone().clients });
    expect(lines).toEqual([`nothing left to tear down: bucket s3://tfstate-backend-terraform-state does not exist, and there is no ${path.relative(PROJECT_ROOT, file)}`]);
  });

  test("while the bootstrap state still holds a resource, it goes on to tear that down", async () => {
    const file = path.join(testTmpDir(), "half.tfstate");
    fs.writeFileSync(file, state([{ mode: "managed", type: "aws_dynamodb_table", name: "lock-table", instances: [{}] }]));
    const { clients, sent } = bucketGone();
    // It goes on to look for state that is not the project's, in the bucket: here, the fake's unexpected call.
    await expect(teardown({ yes: true, includeForeignState: false }, () => undefined, settings(file), { connect: () => clients })).rejects.toThrow(/unexpected/);
    expect(sent[0]).toBe("HeadBucketCommand");
  });
});

describe("npm run teardown with a replica and access logs", () => {
  const STATE = "acme-state";
  const REPLICA = "acme-state-replica-eu-west-1";
  const LOGS = "acme-state-access-logs";
  const KEY = "network/terraform.tfstate";
  const env = {
    TFSTATE_BUCKET: STATE,
    TFSTATE_LOCK_TABLE: "acme-lock",
    TFSTATE_KEY: KEY,
    AWS_REGION: "us-east-1",
    TFSTATE_REPLICA_REGION: "eu-west-1",
    TFSTATE_ACCESS_LOGS: "true",
  };
  interface Version {
    readonly Key: string;
    readonly VersionId: string;
  }

  /**
   * S3 in two regions and a lock table with nothing in it: each bucket answers only in its own region.
   * `events` records, in order, each DeleteObjects (as "empty <bucket>") and each cdktf run.
   */
  function world(contents: { state: string[]; replica: string[]; logs: string[] }) {
    let serial = 0;
    const versions = (keys: string[]): Version[] => keys.map((Key) => ({ Key, VersionId: `v${++serial}` }));
    const buckets: Record<string, { region: string; versions: Version[] }> = {
      [STATE]: { region: "us-east-1", versions: versions(contents.state) },
      [REPLICA]: { region: "eu-west-1", versions: versions(contents.replica) },
      [LOGS]: { region: "us-east-1", versions: versions(contents.logs) },
    };
    const events: string[] = [];
    const s3 = (region: string) => ({
      send: async (command: { constructor: { name: string }; input: any }) => {
        const bucket = buckets[command.input.Bucket];
        if (!bucket) throw Object.assign(new Error("NoSuchBucket"), { name: "NoSuchBucket" });
        if (bucket.region !== region) throw new Error(`${command.constructor.name} on s3://${command.input.Bucket} sent to ${region}, not ${bucket.region}`);
        switch (command.constructor.name) {
          case "HeadBucketCommand":
            return {};
          case "ListObjectVersionsCommand":
            return { Versions: [...bucket.versions], DeleteMarkers: [], IsTruncated: false };
          case "DeleteObjectsCommand": {
            const gone = new Set(command.input.Delete.Objects.map((o: Version) => o.VersionId));
            bucket.versions = bucket.versions.filter((v) => !gone.has(v.VersionId));
            events.push(`empty ${command.input.Bucket}`);
            return {};
          }
          default:
            throw new Error(`unexpected ${command.constructor.name}`);
        }
      },
    });
    const dynamodb = { send: async () => ({ Items: [] }) };
    const connect = (config: TfstateConfig) => ({ s3: s3(config.region), dynamodb }) as unknown as AwsClients;
    const cdktf = jest.fn(async (command: string, stack: string | readonly string[]) => {
      events.push(`cdktf ${command} ${[stack].flat().join(" ")}`);
      return { code: 0, output: "" };
    });
    const pause = jest.fn(async () => undefined);
    /** Log delivery, late: a log object written into the log bucket after it was emptied. */
    const deliverLog = () => buckets[LOGS].versions.push(...versions([`${STATE}/2026-11-30-12-00-00-LATE`]));
    return { buckets, events, deps: { connect, cdktf: cdktf as any, pause }, cdktf, pause, deliverLog };
  }

  const contents = {
    state: [KEY, KEY, `${KEY}.tflock`],
    replica: [KEY, KEY],
    // Log objects: not state, and never anyone's foreign state.
    logs: [`${STATE}/2026-11-30-10-00-00-AAAA`, `${STATE}/2026-11-30-11-00-00-BBBB`, `${STATE}/2026-11-30-11-30-00-CCCC`],
  };

  test("says what the replica and the log bucket hold, empties the state bucket, then the replica, then the log bucket, then destroys bootstrap; the ending names them", async () => {
    const { events, deps, buckets } = world(contents);
    const lines: string[] = [];
    await teardown({ yes: true, includeForeignState: false }, (line) => lines.push(line), env, deps);
    expect(events).toEqual(["cdktf destroy vpc", "cdktf deploy bootstrap", `empty ${STATE}`, `empty ${REPLICA}`, `empty ${LOGS}`, "cdktf destroy bootstrap"]);
    expect(Object.values(buckets).map((b) => b.versions.length)).toEqual([0, 0, 0]);
    expect(lines).toEqual(
      expect.arrayContaining([
        `the replica s3://${REPLICA} in eu-west-1 holds 2 object version(s) and 0 delete marker(s): copies of the state in s3://${STATE}, and while us-east-1 is out, state written there alone`,
        `the log bucket s3://${LOGS} holds 3 object version(s) and 0 delete marker(s): the state bucket's server access logs, and no state`,
        `deleted 2 object version(s) and delete marker(s) from the replica s3://${REPLICA} in eu-west-1`,
        `deleted 3 object version(s) and delete marker(s) from the log bucket s3://${LOGS}`,
        `  replica                      s3://${REPLICA} in eu-west-1, after deleting its 2 object version(s) and delete marker(s): the copies of the state`,
        "  replication                  the rule into it and the role tfstate-acme-state-replication",
        `  access logs                  s3://${LOGS}, after deleting its 3 object version(s) and delete marker(s) of server access logs`,
      ]),
    );
    expect(lines.some((line) => line.startsWith("not this project's"))).toBe(false);
  });

  test("state in the replica alone (written there during an outage) is listed, and teardown refuses before destroying anything", async () => {
    const { events, deps, cdktf } = world({ ...contents, replica: [...contents.replica, "teams/app/terraform.tfstate"] });
    const lines: string[] = [];
    await expect(teardown({ yes: true, includeForeignState: false }, (line) => lines.push(line), env, deps)).rejects.toThrow(
      new Refusal(
        "the state above is not this project's stacks' and would be deleted with the bucket, its replica and the table; move it elsewhere, or pass --include-foreign-state to delete it too",
      ),
    );
    expect(lines.slice(-2)).toEqual([
      `not this project's stacks' state, in the replica s3://${REPLICA} in eu-west-1 (copies of the state bucket's, or state written there alone while us-east-1 was out):`,
      "  object teams/app/terraform.tfstate: 1 version",
    ]);
    expect(cdktf).not.toHaveBeenCalled();
    expect(events).toEqual([]);
  });

  test("with --include-foreign-state it goes on, and empties the replica with it", async () => {
    const { events, deps, buckets } = world({ ...contents, replica: [...contents.replica, "teams/app/terraform.tfstate"] });
    await teardown({ yes: true, includeForeignState: true }, () => undefined, env, deps);
    expect(events).toContain(`empty ${REPLICA}`);
    expect(buckets[REPLICA].versions).toEqual([]);
  });

  test("logs that arrive after the log bucket was emptied: on BucketNotEmpty it empties it again and destroys bootstrap again", async () => {
    const w = world(contents);
    let destroys = 0;
    w.cdktf.mockImplementation(async (command: string, stack: string | readonly string[]) => {
      w.events.push(`cdktf ${command} ${[stack].flat().join(" ")}`);
      if (command === "destroy" && stack === "bootstrap" && ++destroys === 1) {
        w.deliverLog();
        // As terraform says it, the other buckets named in the same output: only the one it could not delete is emptied again.
        throw new Error(
          `cdktf destroy bootstrap failed (1):\naws_s3_bucket.replication_bucket (replication/bucket/bucket): Destroying... [id=${REPLICA}]\n` +
            `Error: deleting S3 Bucket (${LOGS}): operation error S3: DeleteBucket, https response error StatusCode: 409, api error BucketNotEmpty: The bucket you tried to delete is not empty`,
        );
      }
      return { code: 0, output: "" };
    });
    const lines: string[] = [];
    await teardown({ yes: true, includeForeignState: false }, (line) => lines.push(line), env, w.deps);
    expect(w.events.slice(-3)).toEqual(["cdktf destroy bootstrap", `empty ${LOGS}`, "cdktf destroy bootstrap"]);
    expect(w.pause).toHaveBeenCalledTimes(1);
    expect(lines).toContain(`S3 wrote into the log bucket s3://${LOGS} after it was emptied; emptying again, then destroying bootstrap again`);
    expect(lines).toContain(`  access logs                  s3://${LOGS}, after deleting its 4 object version(s) and delete marker(s) of server access logs`);
  });

  test("a bounded number of times; and any other failure of the destroy ends teardown at once", async () => {
    const w = world(contents);
    w.cdktf.mockImplementation(async (command: string, stack: string | readonly string[]) => {
      if (command === "destroy" && stack === "bootstrap") throw new Error(`Error: deleting S3 Bucket (${LOGS}): BucketNotEmpty`);
      return { code: 0, output: "" };
    });
    await expect(teardown({ yes: true, includeForeignState: false }, () => undefined, env, w.deps)).rejects.toThrow(/BucketNotEmpty/);
    expect(w.cdktf.mock.calls.filter(([command, stack]) => command === "destroy" && stack === "bootstrap")).toHaveLength(3);

    const other = world(contents);
    other.cdktf.mockImplementation(async (command: string, stack: string | readonly string[]) => {
      if (command === "destroy" && stack === "bootstrap") throw new Error(`Error: deleting S3 Bucket (${STATE}): BucketNotEmpty`);
      return { code: 0, output: "" };
    });
    await expect(teardown({ yes: true, includeForeignState: false }, () => undefined, env, other.deps)).rejects.toThrow(/BucketNotEmpty/);
    expect(other.pause).not.toHaveBeenCalled();
  });
});
