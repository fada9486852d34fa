import * as vscode from 'vscode';

/**
 * Thin, replaceable wrappers over the `vscode.window` calls that block on a person. The
 * integration tests swap them through the test API (see extension.ts) because a real input box
 * cannot be answered from inside the extension host.
 */
export interface Ui {
  showInputBox(options: vscode.InputBoxOptions): Thenable<string | undefined>;
  showErrorMessage(message: string): Thenable<unknown>;
  showInformationMessage(message: string): Thenable<unknown>;
}

const windowUi: Ui = {
  showInputBox: (options) => vscode.window.showInputBox(options),
  showErrorMessage: (message) => vscode.window.showErrorMessage(message),
  showInformationMessage: (message) => vscode.window.showInformationMessage(message),
};

let current: Ui = windowUi;

export function ui(): Ui {
  return current;
}

/** Replaces some of the wrappers (tests only); returns a function that restores the previous ones. */
export function overrideUi(partial: Partial<Ui>): () => void {
  const previous = current;
  current = { ...current, ...partial };
  return () => { current = previous; };
}
