import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { log, test } from './runner';

test('runs inside a real VS Code', () => {
  assert.ok(vscode.version.length > 0);
  log(`    VS Code ${vscode.version}, ${vscode.env.appName}, ext host Node ${process.version}`);
});
