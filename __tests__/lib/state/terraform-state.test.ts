// What npm run versions and npm run restore read from a state file, and the one change restore makes to it.
import { parseState, resourceChanges, withSerialAndLineage } from "../../../lib/state/terraform-state";

// As terraform 1.11 writes it: indented by two spaces, one top-level serial and lineage.
const STATE = `{
  "version": 4,
  "terraform_version": "1.11.4",
  "serial": 7,
  "lineage": "2c5c1c1e-0f6a-4e4b-9d35-5f0c2a1b7e11",
  "outputs": {
    "vpc_id": {
      "value": "vpc-0a1b2c3d",
      "type": "string"
    }
  },
  "resources": [
    {
      "mode": "managed",
      "type": "aws_vpc",
      "name": "main",
      "provider": "provider[\\"registry.terraform.io/hashicorp/aws\\"]",
      "instances": [
        {
          "schema_version": 1,
          "attributes": {
            "id": "vpc-0a1b2c3d",
            "serial": 12345678901234567890,
            "lineage": "not the state's"
          }
        }
      ]
    },
    {
      "mode": "data",
      "type": "aws_caller_identity",
      "name": "account",
      "provider": "provider[\\"registry.terraform.io/hashicorp/aws\\"]",
      "instances": [
        {
          "schema_version": 0,
          "attributes": {}
        }
      ]
    },
    {
      "module": "module.network",
      "mode": "managed",
      "type": "aws_subnet",
      "name": "private",
      "each": "map",
      "provider": "provider[\\"registry.terraform.io/hashicorp/aws\\"]",
      "instances": [
        {
          "index_key": "a",
          "schema_version": 1,
          "attributes": {}
        },
        {
          "index_key": "b",
          "schema_version": 1,
          "attributes": {}
        }
      ]
    },
    {
      "mode": "managed",
      "type": "aws_eip",
      "name": "nat",
      "each": "list",
      "provider": "provider[\\"registry.terraform.io/hashicorp/aws\\"]",
      "instances": [
        {
          "index_key": 0,
          "schema_version": 0,
          "attributes": {}
        }
      ]
    }
  ],
  "check_results": null
}
`;

describe("a terraform state file", () => {
  test("has its serial, its lineage, and its resources as terraform state list names them", () => {
    expect(parseState(STATE)).toEqual({
      serial: 7,
      lineage: "2c5c1c1e-0f6a-4e4b-9d35-5f0c2a1b7e11",
      addresses: ["aws_vpc.main", "data.aws_caller_identity.account", 'module.network.aws_subnet.private["a"]', 'module.network.aws_subnet.private["b"]', "aws_eip.nat[0]"],
    });
  });

  test("anything else is not a state", () => {
    expect(() => parseState("v1")).toThrow("not a terraform state: not JSON");
    expect(() => parseState('{"version": 3, "serial": 1, "lineage": "x"}')).toThrow("not a terraform state of format version 4");
  });
});

describe("the resources a restore moves", () => {
  test("those only in the restored state enter, those only in the current one leave", () => {
    expect(resourceChanges(["aws_vpc.main", "aws_eip.nat[0]"], ["aws_eip.nat[0]", 'aws_subnet.private["a"]'])).toEqual({
      entering: ['aws_subnet.private["a"]'],
      leaving: ["aws_vpc.main"],
    });
  });
});

describe("a restored state's serial and lineage", () => {
  test("are rewritten at the top level only; every other byte stays, large numbers included", () => {
    const rewritten = withSerialAndLineage(STATE, 9, "6f1d2b0a-1111-4222-8333-944455556666");
    const expected = STATE.replace('  "serial": 7,', '  "serial": 9,').replace(
      '  "lineage": "2c5c1c1e-0f6a-4e4b-9d35-5f0c2a1b7e11",',
      '  "lineage": "6f1d2b0a-1111-4222-8333-944455556666",',
    );
    expect(rewritten).toBe(expected);
    expect(rewritten).toContain('"serial": 12345678901234567890,');
  });

  test("a state not laid out as terraform writes it is refused rather than guessed at", () => {
    const oneLine = JSON.stringify(JSON.parse(STATE.replace("12345678901234567890", "1")));
    expect(() => withSerialAndLineage(oneLine, 9, "x")).toThrow('the state\'s layout is not terraform\'s: 0 top-level "serial" fields');
  });
});
