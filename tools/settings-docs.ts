// The settings as README and help show them, made from SETTINGS and cdktf.json so that each is described once.
import { SETTINGS, readCdktfContext } from "../config/config";

const README_SETTINGS_START = "<!-- settings: written by npm run docs from config/config.ts -->";
const README_SETTINGS_END = "<!-- settings end -->";
const HELP_SETTINGS_HEADING = "  Settings (environment variables; the default in brackets is cdktf.json's context):";

const defaultOf = (context: Record<string, unknown>, key: string | undefined) => {
  if (key === undefined || !(key in context)) return undefined;
  const value = context[key];
  return typeof value === "object" ? JSON.stringify(value) : String(value);
};

/** The README's settings table, between its markers. */
function readmeSettingsTable(context = readCdktfContext()): string {
  const rows = Object.values(SETTINGS).map((setting) => {
    const key = "context" in setting ? setting.context : undefined;
    const value = defaultOf(context, key);
    const fallback = value === undefined ? `unset${key ? ` [${key}]` : ""}` : `\`${value}\` [${key}]`;
    return `| \`${setting.env}\` | ${fallback} | ${setting.description.replace(/\|/g, "\\|")} |`;
  });
  return [README_SETTINGS_START, "| Variable | Default | What it is |", "| --- | --- | --- |", ...rows, README_SETTINGS_END].join("\n");
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  return line ? [...lines, line] : lines;
}

/** help's settings section: its heading, then each variable with its default and its description. */
function helpSettingsSection(context = readCdktfContext()): string {
  const lines = [HELP_SETTINGS_HEADING];
  for (const setting of Object.values(SETTINGS)) {
    const key = "context" in setting ? setting.context : undefined;
    const value = defaultOf(context, key);
    lines.push(`    ${setting.env} [${value ?? (key ? `unset; context ${key}` : "unset")}]`);
    lines.push(...wrap(setting.description, 92).map((line) => `        ${line}`));
  }
  return lines.join("\n");
}

/** Replaces README's table and help's section with the current ones. */
export function withSettingsDocs(readme: string, help: string): { readme: string; help: string } {
  const start = readme.indexOf(README_SETTINGS_START);
  const end = readme.indexOf(README_SETTINGS_END);
  if (start < 0 || end < start) throw new Error("README.md has no settings markers");
  const sectionStart = help.indexOf(HELP_SETTINGS_HEADING);
  if (sectionStart < 0) throw new Error("help has no settings heading");
  // The section runs to the first blank line.
  const sectionEnd = help.indexOf("\n\n", sectionStart);
  return {
    readme: readme.slice(0, start) + readmeSettingsTable() + readme.slice(end + README_SETTINGS_END.length),
    help: help.slice(0, sectionStart) + helpSettingsSection() + help.slice(sectionEnd),
  };
}
