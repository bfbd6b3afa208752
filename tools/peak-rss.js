// Preloaded through NODE_OPTIONS by tools/measure.ts: records this process's peak RSS when it exits.
const fs = require("fs");
const out = process.env.PEAK_RSS_FILE;
if (out) process.on("exit", () => fs.appendFileSync(out, `${process.resourceUsage().maxRSS}\n`));
