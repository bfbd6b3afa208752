import { formatAge, parseDuration } from "../../../lib/cli/duration";

describe("--stale-after durations", () => {
  test.each([
    ["1h", 3_600_000],
    ["90m", 5_400_000],
    ["1h30m", 5_400_000],
    ["45s", 45_000],
    ["2d", 172_800_000],
    ["0", 0],
    ["0s", 0],
  ])("%s is %d ms", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  test.each(["", "1", "h", "1x", "1h junk", "-1h", "1.5h", " 1h"])("%j is not a duration", (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe("a lock's age, as people read it", () => {
  test.each([
    [0, "0 s"],
    [45_000, "45 s"],
    [200_000, "3 min 20 s"],
    [3_600_000, "1 h"],
    [3_900_000, "1 h 5 min"],
    [3 * 86_400_000 + 4 * 3_600_000 + 59_000, "3 d 4 h"],
    [-5_000, "0 s"],
    [NaN, "unknown"],
  ])("%d ms reads %s", (ms, text) => {
    expect(formatAge(ms)).toBe(text);
  });
});
