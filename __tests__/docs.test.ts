// README, the pages under docs/ and help say what the code does: the same settings, the same commands, every
// file in its place. The README is what a newcomer reads on the first day; each deep section is a page of its own.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../config/config";
import { withSettingsDocs } from "../tools/settings-docs";
import { TEST_STEPS } from "../tools/test-all";
import { NODE_RELEASES, majorOf } from "../tools/node-binaries";

const read = (file: string) => fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8");
const readme = read("README.md");
const help = read("help");
const pages = fs.existsSync(path.join(PROJECT_ROOT, "docs"))
  ? fs.readdirSync(path.join(PROJECT_ROOT, "docs")).filter((file) => file.endsWith(".md")).map((file) => `docs/${file}`)
  : [];
const readPage = (file: string) => (fs.existsSync(path.join(PROJECT_ROOT, file)) ? read(file) : "");

// The deep sections, each a page of its own with the section's name as its title.
const DEEP_SECTIONS: Record<string, string> = {
  "docs/ci.md": "Run it from CI",
  "docs/environments.md": "Environments and accounts",
  "docs/troubleshooting.md": "When something goes wrong",
  "docs/local-aws-api.md": "Local AWS API",
  "docs/security.md": "Security",
  "docs/performance.md": "Performance",
  "docs/tests.md": "Tests",
  "docs/layout.md": "Layout",
};
const scripts = Object.keys(JSON.parse(read("package.json")).scripts);
const shellBlocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1].trim());

describe("the README a newcomer finishes", () => {
  test("is at most 300 lines", () => {
    expect(readme.trimEnd().split("\n").length).toBeLessThanOrEqual(300);
  });

  test("each deep section is a page under docs/ with the section's name as its title, linked from the README and no longer in it", () => {
    for (const [page, title] of Object.entries(DEEP_SECTIONS)) {
      expect({ page, title: readPage(page).split("\n")[0] }).toEqual({ page, title: `# ${title}` });
      expect({ page, linked: linksOf("README.md").some((link) => link.file === page) }).toEqual({ page, linked: true });
      expect({ page, inReadme: headingsOf(readme).includes(title) }).toEqual({ page, inReadme: false });
    }
  });

  test("links every page under docs/", () => {
    const linked = new Set(linksOf("README.md").map((link) => link.file));
    expect(pages.length).toBeGreaterThanOrEqual(Object.keys(DEEP_SECTIONS).length);
    expect(pages.filter((page) => !linked.has(page))).toEqual([]);
  });

  test("every relative link in the README and the pages leads to a file, and to a heading there when it names one", () => {
    const broken = ["README.md", ...pages].flatMap((from) =>
      linksOf(from)
        .filter(({ file, anchor }) => !fs.existsSync(path.join(PROJECT_ROOT, file)) || (anchor !== undefined && !headingsOf(read(file)).map(slug).includes(anchor)))
        .map(({ target }) => `${from}: ${target}`),
    );
    expect(broken).toEqual([]);
  });

  // An unclosed fence turns the rest of a page into code, and hides its links and headings from the tests above.
  test("every code block in the README and the pages is closed", () => {
    const unclosed = ["README.md", ...pages].filter((file) => (read(file).match(/^```/gm) ?? []).length % 2 !== 0);
    expect(unclosed).toEqual([]);
  });

  test("its commands list every npm script, one row each", () => {
    const section = readme.split("\n### Every npm script\n")[1]?.split("\n## ")[0] ?? "";
    const rows = [...section.matchAll(/^\| `npm (?:run )?([a-z0-9:-]+)` \|/gm)].map(([, name]) => name);
    expect([...rows].sort()).toEqual([...scripts].sort());
  });

  test("a run's own lock has its entry in \"When something goes wrong\", with locks and unlock", () => {
    const rows = [...readPage("docs/troubleshooting.md").matchAll(/^\| (.+?) \| (.+) \|$/gm)].map(([, seen, run]) => ({ seen, run }));
    const ownLock = rows.filter(({ seen }) => seen.includes("Error acquiring the state lock") && /\bits own lock\b/.test(seen) && seen.includes("`Who`"));
    expect(ownLock).toHaveLength(1);
    expect(ownLock[0].run).toContain("`npm run locks`");
    expect(ownLock[0].run).toContain("`npm run unlock -- <id>`");
  });
});

describe("README, the pages and help", () => {
  test("CI runs exactly the README's test command", () => {
    const ciCommand = read(".ci/run").trim().split("\n").pop();
    expect(shellBlocks).toContain(ciCommand);
    expect(ciCommand).toBe("npm ci && npm run test:all");
  });

  test("README names the node versions the node-versions check runs, and the one .nvmrc recommends", () => {
    const section = readme.split("\n## Node.js versions\n")[1].split("\n## ")[0];
    const recommended = read(".nvmrc").trim();
    expect(section).toContain(`Node.js ${recommended} is the recommended version`);
    for (const major of NODE_RELEASES.map(majorOf)) expect(section).toMatch(new RegExp(`\\b${major}\\b`));
    expect(section).toMatch(/\b20,\s+which reached end of life/);
  });

  test("the test command runs every check: each test script, the type-check, the workflow lint and the lock-file check", () => {
    const checks = scripts.filter((name) => name === "test" || (name.startsWith("test:") && name !== "test:all"));
    expect([...TEST_STEPS].sort()).toEqual([...checks, "typecheck", "lint:workflows", "check:lockfile"].sort());
    expect(JSON.parse(read("package.json")).scripts["test:all"]).toBe("node --require ./ts-register.js tools/test-all.ts");
  });

  test("show each setting as SETTINGS describes it (npm run docs rewrites both)", () => {
    const current = withSettingsDocs(readme, help);
    expect(readme).toBe(current.readme);
    expect(help).toBe(current.help);
  });

  test("every npm script they name exists", () => {
    for (const text of [readme, help, ...pages.map(read)]) {
      for (const [, name] of text.matchAll(/npm run ([a-z0-9:-]+)/g)) expect(scripts).toContain(name);
    }
  });

  test("help lists every npm script", () => {
    const listed = new Set([...help.matchAll(/npm (?:run )?([a-z0-9:-]+)/g)].map(([, name]) => name));
    expect(scripts.filter((name) => !listed.has(name))).toEqual([]);
  });

  test("docs/layout.md lists every source file in its folder's row", () => {
    const unlisted = projectFiles()
      .filter((file) => /\.(ts|js)$/.test(file))
      .filter((file) => !layoutRows().get(`${path.dirname(file)}/`)?.includes(`\`${path.basename(file)}\``));
    expect(unlisted).toEqual([]);
  });

  // The other way round: a file the layout names, and that was moved, renamed or never written, is a dead end.
  test("each file docs/layout.md names is in its folder's row, or at the project's root", () => {
    const files = new Set(projectFiles());
    const absent = [...layoutRows()].flatMap(([folder, row]) =>
      namedPaths(row)
        .filter((name) => !has(files, path.posix.join(folder, name)) && !has(files, name))
        .map((name) => `${folder}: ${name}`),
    );
    expect(absent).toEqual([]);
  });

  test("every project path README and the pages name exists: a file or folder under the project's own folders", () => {
    const files = new Set(projectFiles());
    const topLevel = new Set([...files].map((file) => file.split("/")[0]));
    const absent = [readme, ...pages.map(read)]
      .flatMap((text) => [...text.matchAll(/`([^`\s]+)`/g)])
      .map(([, name]) => name.replace(/^\.\//, ""))
      // Placeholders and globs (stacks/<name>-stack.ts, __tests__/*.test.ts) stand for files, not one file.
      .filter((name) => name.includes("/") && !/[<>*{}]/.test(name) && topLevel.has(name.split("/")[0]))
      .filter((name) => !has(files, name));
    expect(absent).toEqual([]);
  });
});

/** Every file in the checkout that git tracks or would track, relative to the project's root. */
function projectFiles(): string[] {
  const listed = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], { cwd: PROJECT_ROOT, encoding: "utf8" });
  // A file deleted in the work tree but not yet in the index is listed, yet gone.
  return listed.split("\n").filter((file) => file && fs.existsSync(path.join(PROJECT_ROOT, file)));
}

/** The file, or a folder ("lib/" or "lib") holding at least one of the files. */
const has = (files: Set<string>, name: string) => files.has(name) || [...files].some((file) => file.startsWith(name.replace(/\/?$/, "/")));

/** A markdown file's relative links, each resolved to a project path and the heading it names, if any. */
function linksOf(from: string): { target: string; file: string; anchor?: string }[] {
  const text = withoutCode(readPage(from));
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map(([, target]) => target)
    .filter((target) => !/^[a-z]+:/.test(target))
    .map((target) => {
      const [file, anchor] = target.split("#");
      return { target, file: file ? path.posix.normalize(path.posix.join(path.posix.dirname(from), file)) : from, anchor };
    });
}

/** The headings of a markdown text, without their #s. */
const headingsOf = (text: string) => [...withoutCode(text).matchAll(/^#{1,6} (.+)$/gm)].map(([, heading]) => heading.trim());

/** A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces to hyphens. */
const slug = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, "")
    .replace(/ /g, "-");

/** The text without its fenced code blocks, whose lines are neither headings nor links. */
const withoutCode = (text: string) => text.replace(/^```[\s\S]*?^```/gm, "");

/** Layout's rows: folder ("lib/", "./" for the root) to the text of its Files column. */
function layoutRows(): Map<string, string> {
  const layout = readPage("docs/layout.md");
  return new Map([...layout.matchAll(/^\| `([^`]+\/)` \| [^|]+ \| (.+) \|$/gm)].map(([, folder, files]) => [folder, files]));
}

/** What a Layout row names as a file or folder: `config.ts`, `fixtures/plain-hcl/`; not `loadConfig` or `.node-versions/` (a cache). */
const namedPaths = (row: string) => [...row.matchAll(/`([\w-][\w.\/-]*(?:\.(?:ts|js|json|ya?ml|txt)|\/))`/g)].map(([, name]) => name);
