// The project's TypeScript runner: strips types from .ts files as they load, with swc, and checks
// nothing (npm run typecheck does that once). tsx costs about 0.5 s of CPU more per synth here,
// because it looks at every JavaScript file the AWS provider loads, not only ours.
const fs = require("fs");
const { transformSync } = require("@swc/core");

require.extensions[".ts"] = function compileTypeScript(module, filename) {
  const { code } = transformSync(fs.readFileSync(filename, "utf8"), {
    filename,
    swcrc: false,
    jsc: { parser: { syntax: "typescript" }, target: "es2022" },
    module: { type: "commonjs" },
  });
  module._compile(code, filename);
};
