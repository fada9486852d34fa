// The layer rules of docs/architecture.md are enforced by ESLint's `kwi/layers` rule: this test
// plants one import of each forbidden kind and checks that lint refuses it, and that the imports
// the architecture allows pass. Without it a broken rule would let every layer import every other.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { ESLint } from 'eslint';

const ROOT = path.resolve(__dirname, '../../../..');

async function layerErrors(file: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: ROOT });
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return result.messages
    .filter((m) => m.ruleId === 'kwi/layers' || m.ruleId === 'no-restricted-imports')
    .map((m) => m.message);
}

const forbidden: [string, string, RegExp][] = [
  ['src/core/x.ts', "export { a } from '../azure/clients';", /src\/core may not import src\/azure/],
  ['src/core/rules/x.ts', "import '../../kube/kubeAccess';", /src\/core may not import src\/kube/],
  ['src/core/x.ts', "import '@azure/identity';", /may not import the package '@azure\/identity'/],
  ['src/core/x.ts', "import 'vscode';", /Only src\/vscode/],
  ['src/azure/x.ts', "import '../kube/kubeAccess';", /src\/azure may not import src\/kube/],
  ['src/kube/x.ts', "import '../azure/clients';", /src\/kube may not import src\/azure/],
  ['src/sandbox/arm/x.ts', "import '../../azure/clients';", /src\/sandbox may not import src\/azure/],
  ['src/sandbox/x.ts', "import '../kube/kubeAccess';", /src\/sandbox may not import src\/kube/],
  ['src/sandbox/x.ts', "import '@kubernetes/client-node';", /may not import the package '@kubernetes\/client-node'/],
  ['src/cli/x.ts', "void import('../vscode/ui');", /src\/cli may not import src\/vscode/],
  ['src/azure/x.ts', "import '../vscode/ui';", /src\/azure may not import src\/vscode/],
];

for (const [file, code, expected] of forbidden) {
  test(`lint refuses in ${file}: ${code}`, async () => {
    const errors = await layerErrors(file, code);
    assert.ok(
      errors.some((m) => expected.test(m)),
      `expected ${expected}, got ${JSON.stringify(errors)}`,
    );
  });
}

const allowed: [string, string][] = [
  ['src/core/rules/x.ts', "import '../findings'; import 'yaml';"],
  ['src/sandbox/oidc/x.ts', "import '../kube/clusterContext'; import '../../core/guid';"],
  ['src/azure/x.ts', "import '../core/guid'; import '@azure/identity';"],
  ['src/cli/x.ts', "import '../sandbox/server'; import '../azure/clients'; import '../kube/kubeAccess';"],
  ['src/vscode/x.ts', "import 'vscode'; import '../azure/clients';"],
];

for (const [file, code] of allowed) {
  test(`lint allows in ${file}: ${code}`, async () => {
    assert.deepEqual(await layerErrors(file, code), []);
  });
}
