// Entry point loaded by VS Code's extension host (`extensionTestsPath`), whichever launcher
// started it: code-server + Chromium here (scripts/integration.mjs), desktop VS Code through
// @vscode/test-electron elsewhere (test/integration/runElectron.ts).
import { runAll } from './runner';
import './smoke.test';
import './wiring.test';

export async function run(): Promise<void> {
  const filter = process.env.KWI_TEST_FILTER ? new RegExp(process.env.KWI_TEST_FILTER) : undefined;
  const { failed } = await runAll(filter);
  if (failed > 0) throw new Error(`${failed} integration test(s) failed`);
}
