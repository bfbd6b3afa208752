import { terraformErrors } from "../../../lib/process/cdktf";

// What cdktf printed when a vpc deploy met a held lock: the error comes after pages of init output.
const deployOutput = [
  "vpc  Initializing the backend...",
  ...Array.from({ length: 200 }, (_, i) => `vpc  init line ${i}`),
  "vpc  ╷",
  "     │ Error: Error acquiring the state lock",
  "     │ ",
  "     │ Error message: operation error DynamoDB: PutItem, ConditionalCheckFailedException",
  "     │ Lock Info:",
  "     │   ID:        6040a5e2-e4c6-bdc6-642c-4dc7d8c628e3",
  "     ╵",
  "Invoking Terraform CLI failed with exit code 1",
].join("\n");

describe("a failed cdktf run's message", () => {
  test("leads with terraform's Error: block, however long the output before it", () => {
    const errors = terraformErrors(deployOutput);
    expect(errors.split("\n")[0]).toContain("Error: Error acquiring the state lock");
    expect(errors).toContain("ConditionalCheckFailedException");
    expect(errors).toContain("6040a5e2-e4c6-bdc6-642c-4dc7d8c628e3");
    expect(errors).not.toContain("init line");
  });

  test("is empty when terraform printed no error", () => {
    expect(terraformErrors("vpc  Apply complete! Resources: 1 added, 0 changed, 0 destroyed.")).toBe("");
  });
});
