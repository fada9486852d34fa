// Entry point loaded by VS Code's extension host (`extensionTestsPath`), whichever launcher
// started it: code-server + Chromium here (scripts/integration.mjs), desktop VS Code through
// @vscode/test-electron elsewhere (test/integration/runElectron.ts).
import { resetWorkbench } from './helpers';
import { afterEach, runAll } from './runner';
import './smoke.test';
import './wiring.test';
import './restricted.test';
import './dump.test';
import './settings.test';
import './watcher.test';
import './quickFixes.test';
import './diagnostics.test';
import './codeLenses.test';
import './truth.test';
import './explorer.test';
import './sandboxTerminal.test';
import './provision.test';
import './diagnosis.test';
import './singleSteps.test';
import './locale.test';
import './localeDiagnosis.test';

afterEach(resetWorkbench);

export async function run(): Promise<void> {
  // scripts/integration.mjs runs a second VS Code whose workspace is not trusted (restricted
  // mode) for the tests named "[restricted] …"; other launchers run only the trusted pass.
  // A third runs the tests named "locale: …" again with the display language Korean.
  const pass = process.env.KWI_TEST_PASS;
  const byPass = (name: string) =>
    pass === 'korean' ? name.startsWith('locale:') : name.startsWith('[restricted]') === (pass === 'restricted');
  const filter = process.env.KWI_TEST_FILTER ? new RegExp(process.env.KWI_TEST_FILTER) : undefined;
  const { failed } = await runAll((name) => byPass(name) && (!filter || filter.test(name)));
  if (failed > 0) throw new Error(`${failed} integration test(s) failed`);
}
