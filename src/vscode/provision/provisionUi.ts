import * as vscode from 'vscode';

/** A quick-pick entry carrying the value it stands for. */
export interface Choice<T> extends vscode.QuickPickItem {
  readonly value: T;
}

/** The preview's answer: run it, export it (and keep the preview), or leave. */
export type PreviewDecision = 'apply' | 'export' | 'cancel';

/**
 * Every prompt provisioning shows, behind a seam: prompting is kept apart from executing so the
 * integration tests can answer each quick pick and input box (a real one cannot be answered from
 * inside the extension host). Each prompt has a stable `key` (`subscription`, `cluster`, …) that
 * tests match on instead of the localized title.
 */
export interface ProvisionUi {
  pick<T>(
    key: string,
    items: readonly Choice<T>[],
    options: { title: string; placeHolder?: string },
  ): Promise<T | undefined>;
  pickMany<T>(
    key: string,
    items: readonly Choice<T>[],
    options: { title: string; placeHolder?: string },
  ): Promise<T[] | undefined>;
  input(
    key: string,
    options: {
      title: string;
      prompt?: string;
      value?: string;
      placeHolder?: string;
      validate?: (value: string) => string | undefined;
    },
  ): Promise<string | undefined>;
  /** A modal dialog: true only when the user chose `action`. */
  confirm(key: string, message: string, detail: string, action: string): Promise<boolean>;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

const windowUi: ProvisionUi = {
  async pick(_key, items, options) {
    const chosen = await vscode.window.showQuickPick(items as Choice<unknown>[], {
      ...options,
      ignoreFocusOut: true,
      matchOnDescription: true,
    });
    return chosen?.value as never;
  },
  async pickMany(_key, items, options) {
    const chosen = await vscode.window.showQuickPick(items as Choice<unknown>[], {
      ...options,
      canPickMany: true,
      ignoreFocusOut: true,
    });
    return chosen?.map((c) => c.value) as never;
  },
  input(_key, options) {
    const { validate, ...rest } = options;
    return Promise.resolve(
      vscode.window.showInputBox({
        ...rest,
        ignoreFocusOut: true,
        validateInput: validate ? (v) => validate(v) ?? null : undefined,
      }),
    );
  },
  async confirm(_key, message, detail, action) {
    return (await vscode.window.showWarningMessage(message, { modal: true, detail }, action)) === action;
  },
  info(message) {
    void vscode.window.showInformationMessage(message);
  },
  warn(message) {
    void vscode.window.showWarningMessage(message);
  },
  error(message) {
    void vscode.window.showErrorMessage(message);
  },
};

let current: ProvisionUi = windowUi;

export function provisionUi(): ProvisionUi {
  return current;
}

/** Replaces some prompts (tests only); returns a function that restores the previous ones. */
export function overrideProvisionUi(partial: Partial<ProvisionUi>): () => void {
  const previous = current;
  current = { ...current, ...partial };
  return () => {
    current = previous;
  };
}
