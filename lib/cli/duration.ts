// Durations as people type them (--stale-after 90m, 1h30m, 2d) and ages as people read them.

/** doctor's --stale-after when none is given: here, where its help text can read it without loading doctor. */
export const DEFAULT_STALE_AFTER = "1h";

const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000 } as const;
type Unit = keyof typeof UNIT_MS;

/** Milliseconds of "1h", "90m", "1h30m", "45s", "2d" or "0"; undefined when the text is not such a duration. */
export function parseDuration(text: string): number | undefined {
  if (text === "0") return 0;
  const parts = [...text.matchAll(/(\d+)([dhms])/g)];
  // Every character must belong to a part: "1h junk" or "1x" is not a duration.
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== text) return undefined;
  return parts.reduce((ms, [, amount, unit]) => ms + Number(amount) * UNIT_MS[unit as Unit], 0);
}

/** "45 s", "3 min 20 s", "2 h 5 min", "1 h", "3 d 4 h": the two largest units, enough to judge a lock by. */
export function formatAge(ms: number): string {
  if (!Number.isFinite(ms)) return "unknown";
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const units: Array<[number, string]> = [
    [Math.floor(seconds / 86_400), "d"],
    [Math.floor(seconds / 3_600) % 24, "h"],
    [Math.floor(seconds / 60) % 60, "min"],
    [seconds % 60, "s"],
  ];
  const largest = units.findIndex(([amount]) => amount > 0);
  if (largest < 0) return "0 s";
  return units
    .slice(largest, largest + 2)
    .filter(([amount]) => amount > 0)
    .map(([amount, unit]) => `${amount} ${unit}`)
    .join(" ");
}
