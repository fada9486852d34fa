import * as vscode from 'vscode';

/**
 * The prompts the explorer shows, behind a seam: a modal dialog cannot be answered from inside
 * the extension host, so the integration tests replace these (ExtensionMode.Test only).
 */
export interface ExplorerUi {
  confirm(message: string, detail: string, action: string): Promise<boolean>;
  pick<T extends vscode.QuickPickItem>(items: T[], options: vscode.QuickPickOptions & { canPickMany: true }): Promise<readonly T[] | undefined>;
  pickOne<T extends vscode.QuickPickItem>(items: T[], options: vscode.QuickPickOptions): Promise<T | undefined>;
  info(message: string): void;
  error(message: string): void;
}

const windowUi: ExplorerUi = {
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

let current: ExplorerUi = windowUi;

export function explorerUi(): ExplorerUi {
  return current;
}

export function overrideExplorerUi(partial: Partial<ExplorerUi>): () => void {
  const previous = current;
  current = { ...current, ...partial };
  return () => { current = previous; };
}
