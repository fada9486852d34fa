import * as vscode from 'vscode';

/**
 * Thin, replaceable wrappers over the `vscode.window` calls that block on a person: input boxes,
 * modal confirmations, quick picks and messages. The integration tests swap them through the test
 * APIs (see extension.ts and explorer/registerExplorer.ts, ExtensionMode.Test only) because a real
 * input box or modal dialog cannot be answered from inside the extension host.
 */
export interface Ui {
  showInputBox(options: vscode.InputBoxOptions): Thenable<string | undefined>;
  showErrorMessage(message: string): Thenable<unknown>;
  showInformationMessage(message: string): Thenable<unknown>;
  /** A modal warning with one action; true when the person chose it. */
  confirm(message: string, detail: string, action: string): Promise<boolean>;
  pick<T extends vscode.QuickPickItem>(
    items: T[],
    options: vscode.QuickPickOptions & { canPickMany: true },
  ): Promise<readonly T[] | undefined>;
  pickOne<T extends vscode.QuickPickItem>(items: T[], options: vscode.QuickPickOptions): Promise<T | undefined>;
  /** Fire-and-forget messages (nothing waits for them to be dismissed). */
  info(message: string): void;
  error(message: string): void;
}

const windowUi: Ui = {
  showInputBox: (options) => vscode.window.showInputBox(options),
  showErrorMessage: (message) => vscode.window.showErrorMessage(message),
  showInformationMessage: (message) => vscode.window.showInformationMessage(message),
  async confirm(message, detail, action) {
    return (await vscode.window.showWarningMessage(message, { modal: true, detail }, action)) === action;
  },
  async pick(items, options) {
    return vscode.window.showQuickPick(items, options);
  },
  async pickOne(items, options) {
    return vscode.window.showQuickPick(items, { ...options, canPickMany: false });
  },
  info(message) {
    void vscode.window.showInformationMessage(message);
  },
  error(message) {
    void vscode.window.showErrorMessage(message);
  },
};

let current: Ui = windowUi;

export function ui(): Ui {
  return current;
}

/** Replaces some of the wrappers (tests only); returns a function that restores the previous ones. */
export function overrideUi(partial: Partial<Ui>): () => void {
  const previous = current;
  current = { ...current, ...partial };
  return () => {
    current = previous;
  };
}
