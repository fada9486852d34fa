// Development aid, not a test: KWI_TEST_FILTER=dump prints what the extension reports for every
// fixture (diagnostics, lenses, quick fixes), to write exact assertions from.
import * as vscode from 'vscode';
import { codeLenses, describeDiagnostics, kwi, kwiDiagnostics, quickFixes, sleep } from './helpers';
import { log, test } from './runner';

if (process.env.KWI_TEST_FILTER?.includes('dump')) {
  test('dump fixtures', async () => {
    await (await kwi()).whenIndexed();
    const files = await vscode.workspace.findFiles('**/*.{yaml,yml,json}');
    for (const uri of files.sort((a, b) => a.path.localeCompare(b.path))) {
      const document = await vscode.workspace.openTextDocument(uri);
      await sleep(100);
      log(`== ${vscode.workspace.asRelativePath(uri)}`);
      for (const d of kwiDiagnostics(uri)) {
        log(`  D ${describeDiagnostics([d])} [${document.getText(d.range)}] ${d.severity} ${d.message}`);
        for (const a of await quickFixes(uri, d.range)) {
          log(`    QF ${a.title}${a.command ? ` (command ${a.command.command})` : ''}${a.isPreferred ? ' *' : ''}`);
        }
      }
      for (const l of await codeLenses(uri)) {
        log(
          `  L ${l.range.start.line}:${l.range.start.character} ${l.command?.title} -> ${l.command?.command || '(none)'}`,
        );
      }
    }
  }, 120_000);
}
