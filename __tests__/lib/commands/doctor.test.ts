import { UsageError } from "../../../lib/cli/command";
import { staleAfterMs } from "../../../lib/commands/doctor";

describe("--stale-after", () => {
  test("defaults to one hour and takes durations such as 30m or 0", () => {
    expect(staleAfterMs(undefined)).toBe(3_600_000);
    expect(staleAfterMs("30m")).toBe(1_800_000);
    expect(staleAfterMs("0")).toBe(0);
  });

  test("anything else is a usage error that names the option", () => {
    expect(() => staleAfterMs("soon")).toThrow(new UsageError('--stale-after "soon" is not a duration such as 30m, 1h, 1h30m or 2d'));
  });
});
