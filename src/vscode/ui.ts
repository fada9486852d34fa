import * as vscode from 'vscode';

/** A quick-pick entry carrying the value it stands for. */
export interface Choice<T> extends vscode.QuickPickItem {
  readonly value: T;
}

/** What a keyed quick pick shows above its items. */
export interface ChoiceOptions {
  title: string;
  placeHolder?: string;
}

/** What a keyed input box shows, and the check its value must pass. */
export interface InputOptions {
  title: string;
  prompt?: string;
  value?: string;
  placeHolder?: string;
  validate?: (value: string) => string | undefined;
}

/**
 * The one seam over the `vscode.window` calls that block on a person: input boxes, modal
 * confirmations, quick picks and messages. The integration tests swap them through the test APIs
 * (see testApi.ts, explorer/registerExplorer.ts and provision/registerProvisioning.ts,
 * ExtensionMode.Test only) because a real input box or modal dialog cannot be answered from inside
 * the extension host. The keyed prompts (`choose`, `chooseMany`, `input`, `confirmKeyed`) carry a
 * stable key (`subscription`, `cluster`, …) that tests match on instead of the localized title;
 * provisioning and diagnosis reach them through the view in provision/provisionUi.ts.
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
  warn(message: string): void;
  /** A keyed quick pick of one value. */
  choose<T>(key: string, items: readonly Choice<T>[], options: ChoiceOptions): Promise<T | undefined>;
  /** A keyed quick pick of several values. */
  chooseMany<T>(key: string, items: readonly Choice<T>[], options: ChoiceOptions): Promise<T[] | undefined>;
  /** A keyed input box. */
  input(key: string, options: InputOptions): Promise<string | undefined>;
  /** A keyed modal dialog: true only when the user chose `action`. */
  confirmKeyed(key: string, message: string, detail: string, action: string): Promise<boolean>;
}

async function modalWarning(message: string, detail: string, action: string): Promise<boolean> {
  return (await vscode.window.showWarningMessage(message, { modal: true, detail }, action)) === action;
}

const windowUi: Ui = {
  showInputBox: (options) => vscode.window.showInputBox(options),
  showErrorMessage: (message) => vscode.window.showErrorMessage(message),
  showInformationMessage: (message) => vscode.window.showInformationMessage(message),
  confirm: modalWarning,
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
  warn(message) {
    void vscode.window.showWarningMessage(message);
  },
  async choose(_key, items, options) {
    const chosen = await vscode.window.showQuickPick(items as Choice<unknown>[], {
      ...options,
      ignoreFocusOut: true,
      matchOnDescription: true,
    });
    return chosen?.value as never;
  },
  async chooseMany(_key, items, options) {
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
  confirmKeyed: (_key, message, detail, action) => modalWarning(message, detail, action),
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
