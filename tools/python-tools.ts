// npm run python-tools: the project's Python virtualenvs (moto, checkov, parliament), each from its pinned requirements.
import { runCommand } from "../lib/cli/command";
import { PYTHON_TOOLS, ensurePythonTool } from "../lib/local/python-tools";

runCommand(
  {
    name: "python-tools",
    summary:
      "Installs moto into .venv, checkov into .venv-checkov and parliament into .venv-parliament from their pinned requirements, unless they already hold exactly those pins.",
    options: {},
  },
  async () => {
    for (const tool of PYTHON_TOOLS) ensurePythonTool(tool);
  },
);
