// Seed 000 Step 2 and Step 5: the VPC's state lives in the bucket, and every apply adds a version.
import * as fs from "fs";
import * as path from "path";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { countVpcs, describeVpc, stateVersions } from "../../lib/inspect";
import { Scenario, sharedEndpoint } from "./support/world";

describe("cdktf deploy vpc", () => {
  const scenario = new Scenario("vpc", sharedEndpoint(), { VPC_CIDR: "10.42.0.0/16" });
  const clients = scenario.clients();
  let vpcId: string;

  const stateIn = async (key: string) => {
    const { stateBucket } = scenario.config();
    const object = await clients.s3.send(new GetObjectCommand({ Bucket: stateBucket, Key: key }));
    return JSON.parse(await object.Body!.transformToString());
  };
  const vpcIdIn = (state: { resources: Array<{ type: string; instances: Array<{ attributes: { id: string } }> }> }) =>
    state.resources.filter((r) => r.type === "aws_vpc").flatMap((r) => r.instances.map((i) => i.attributes.id));

  beforeAll(async () => {
    vpcId = (await scenario.deploy("vpc")).vpc_id;
  });

  test("creates the VPC with its CIDR and Name tag", async () => {
    expect(await describeVpc(clients, vpcId)).toEqual({ id: vpcId, cidr: "10.42.0.0/16", name: "e2e-vpc" });
  });

  test("writes its state to s3://<bucket>/<key>, and keeps no local state file", async () => {
    const config = scenario.config();
    expect(await stateVersions(clients, config.stateBucket, config.stateKey)).toHaveLength(1);
    expect(vpcIdIn(await stateIn(config.stateKey))).toEqual([vpcId]);
    const stackDir = scenario.stackDir("vpc");
    expect(fs.existsSync(path.join(stackDir, "terraform.tfstate"))).toBe(false);
    // What .terraform holds is the backend's settings, not state.
    const backend = JSON.parse(fs.readFileSync(path.join(stackDir, ".terraform", "terraform.tfstate"), "utf8"));
    expect(backend.backend).toMatchObject({ type: "s3", config: expect.objectContaining({ key: config.stateKey }) });
    expect(backend.resources).toBeUndefined();
  });

  test("a second look finds nothing to change", async () => {
    await scenario.expectNoChanges("vpc");
  });

  test("Step 4/5: changing the Name tag and deploying again adds a state version", async () => {
    scenario.set({ VPC_NAME: "e2e-vpc-renamed" });
    expect((await scenario.deploy("vpc")).vpc_id).toBe(vpcId);
    const config = scenario.config();
    const versions = await stateVersions(clients, config.stateBucket, config.stateKey);
    expect(versions.length).toBeGreaterThanOrEqual(2);
    expect(new Set(versions.map((v) => v.VersionId)).size).toBe(versions.length);
    expect((await describeVpc(clients, vpcId)).name).toBe("e2e-vpc-renamed");
  });

  test("moving the state to another key with --migrate-state keeps the same VPC and creates none", async () => {
    const vpcsBefore = await countVpcs(clients, "e2e-vpc");
    scenario.set({ TFSTATE_KEY: "e2e/vpc-moved/network.tfstate" });
    expect((await scenario.deploy("vpc", ["--migrate-state"])).vpc_id).toBe(vpcId);
    expect(vpcIdIn(await stateIn("e2e/vpc-moved/network.tfstate"))).toEqual([vpcId]);
    expect(await countVpcs(clients, "e2e-vpc")).toBe(vpcsBefore);
    await scenario.expectNoChanges("vpc");
  });
});
