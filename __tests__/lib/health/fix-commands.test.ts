import { fixDigestCommand, shellWord, unlockCommand } from "../../../lib/health/fix-commands";

describe("the fix commands doctor prints", () => {
  test("can be pasted as they are: keys and IDs are quoted only when the shell would split or expand them", () => {
    expect(fixDigestCommand("env:/dev/network/terraform.tfstate")).toBe("npm run fix-digest -- env:/dev/network/terraform.tfstate");
    expect(fixDigestCommand("teams/my state/terraform.tfstate")).toBe("npm run fix-digest -- 'teams/my state/terraform.tfstate'");
    expect(shellWord("it's$HOME")).toBe(`'it'\\''s$HOME'`);
    expect(unlockCommand("6040a5e2-e4c6-bdc6-642c-4dc7d8c628e3")).toBe("npm run unlock -- 6040a5e2-e4c6-bdc6-642c-4dc7d8c628e3");
    expect(unlockCommand("6040a5e2", true)).toBe("npm run unlock -- 6040a5e2 --fix-digest");
  });
});
