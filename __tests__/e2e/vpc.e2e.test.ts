// Seed 000 Step 2, 4 and 5: the VPC's state lives in the bucket, every apply adds a version, and the state
// moves to another key without a new VPC. One scenario: each step starts where the one before left off.
import * as fs from "fs";
import * as path from "path";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { countVpcs, describeVpc, stateVersions } from "../../lib/aws/inspect";
import { Scenario, sharedEndpoint, step } from "./support/world";

type State = { resources: Array<{ type: string; instances: Array<{ attributes: { id: string } }> }> };

test("cdktf deploy vpc: state in the bucket, a version per apply, and a move to another key", async () => {
  const scenario = new Scenario("vpc", sharedEndpoint(), { VPC_CIDR: "10.42.0.0/16" });
  const clients = scenario.clients();
  const { stateBucket } = scenario.config();
  const stateIn = async (key: string): Promise<State> => {
    const object = await clients.s3.send(new GetObjectCommand({ Bucket: stateBucket, Key: key }));
    return JSON.parse(await object.Body!.transformToString());
  };
  const vpcIdsIn = (state: State) => state.resources.filter((r) => r.type === "aws_vpc").flatMap((r) => r.instances.map((i) => i.attributes.id));

  const vpcId = await step("deploy creates the VPC with its CIDR and Name tag", async () => {
    const id = (await scenario.deploy("vpc")).vpc_id;
    expect(await describeVpc(clients, id)).toEqual({ id, cidr: "10.42.0.0/16", name: "e2e-vpc" });
    return id;
  });

  await step("its state is in s3://<bucket>/<key>, and no state file is kept locally", async () => {
    const { stateKey } = scenario.config();
    // One apply, at least one version: terraform also saves state part-way through an apply that runs long.
    expect((await stateVersions(clients, stateBucket, stateKey)).length).toBeGreaterThanOrEqual(1);
    expect(vpcIdsIn(await stateIn(stateKey))).toEqual([vpcId]);
    const stackDir = scenario.stackDir("vpc");
    expect(fs.existsSync(path.join(stackDir, "terraform.tfstate"))).toBe(false);
    // What .terraform holds is the backend's settings, not state.
    const backend = JSON.parse(fs.readFileSync(path.join(stackDir, ".terraform", "terraform.tfstate"), "utf8"));
    expect(backend.backend).toMatchObject({ type: "s3", config: expect.objectContaining({ key: stateKey }) });
    expect(backend.resources).toBeUndefined();
  });

  await step("a second look, cdktf diff, finds nothing to change", () => scenario.expectCdktfDiffFindsNothing("vpc"));

  await step("a new Name tag, deployed, changes the same VPC and adds a state version", async () => {
    scenario.set({ VPC_NAME: "e2e-vpc-renamed" });
    expect((await scenario.deploy("vpc")).vpc_id).toBe(vpcId);
    const versions = await stateVersions(clients, stateBucket, scenario.config().stateKey);
    // Terraform may persist state more than once during a long apply; each write is a version of its own.
    expect(versions.length).toBeGreaterThanOrEqual(2);
    expect(new Set(versions.map((v) => v.VersionId)).size).toBe(versions.length);
    expect((await describeVpc(clients, vpcId)).name).toBe("e2e-vpc-renamed");
  });

  await step("--migrate-state to another key keeps the same VPC and creates none", async () => {
    const vpcsBefore = await countVpcs(clients, "e2e-vpc");
    scenario.set({ TFSTATE_KEY: "e2e/vpc-moved/network.tfstate" });
    expect((await scenario.deploy("vpc", ["--migrate-state"])).vpc_id).toBe(vpcId);
    expect(vpcIdsIn(await stateIn("e2e/vpc-moved/network.tfstate"))).toEqual([vpcId]);
    expect(await countVpcs(clients, "e2e-vpc")).toBe(vpcsBefore);
    await scenario.expectNoChanges("vpc");
  });
});
