/**
 * A rule's help, opened from a diagnostic's rule link: one generated, read-only Markdown document
 * per rule (scheme `kwi-rule`), shown rendered by VS Code's built-in Markdown preview editor. It
 * is no file of the checkout, so it cannot be edited by mistake, and nothing analyzes or lints it.
 */
import * as vscode from 'vscode';
import { RULE_BY_ID } from '../core/ruleCatalog';

export const RULE_HELP_SCHEME = 'kwi-rule';
/** The custom editor of the built-in markdown-language-features extension (its package.json). */
const MARKDOWN_PREVIEW_EDITOR = 'vscode.markdown.preview.editor';

/** `wi/use-label-missing` → `kwi-rule:/wi/use-label-missing.md`: one document per rule, so it opens at that rule. */
export function ruleHelpUri(rule: string): vscode.Uri {
  return vscode.Uri.from({ scheme: RULE_HELP_SCHEME, path: `/${rule}.md` });
}

function ruleOf(uri: vscode.Uri): string {
  return uri.path.replace(/^\//, '').replace(/\.md$/, '');
}

export function ruleHelpMarkdown(rule: string): string {
  const info = RULE_BY_ID.get(rule);
  if (!info) return `# ${rule}\n\n${vscode.l10n.t('No rule with this ID.')}\n`;
  const severity = {
    error: vscode.l10n.t('error'),
    warning: vscode.l10n.t('warning'),
    info: vscode.l10n.t('information'),
  }[info.severity];
  return [
    `# ${info.id}`,
    '',
    `**${info.summary}**`,
    '',
    info.description,
    '',
    `${vscode.l10n.t('Default severity')}: ${severity} · ${vscode.l10n.t('Tags')}: ${info.tags.join(', ')}`,
    '',
    `## ${vscode.l10n.t('Change or silence it')}`,
    '',
    vscode.l10n.t('Severity for the whole workspace, in settings:'),
    '',
    '```json',
    `"kwi.rules": { "${info.id}": "off" }`,
    '```',
    '',
    vscode.l10n.t('For one line or one file, a comment in the manifest:'),
    '',
    '```yaml',
    `# kwi-disable-next-line ${info.id}`,
    `# kwi-disable-file ${info.id}`,
    '```',
    '',
  ].join('\n');
}

/**
 * Serves the documents, and shows each rendered: the editor association in package.json
 * (`workbench.editorAssociations`) opens them in the Markdown preview; should a text editor still
 * open one (an association changed by the user), it is swapped for the preview.
 */
export function registerRuleHelp(): vscode.Disposable {
  const provider: vscode.TextDocumentContentProvider = {
    provideTextDocumentContent: (uri) => ruleHelpMarkdown(ruleOf(uri)),
  };
  const swapping = new Set<string>();
  const swap = async (editor: vscode.TextEditor): Promise<void> => {
    const uri = editor.document.uri;
    if (uri.scheme !== RULE_HELP_SCHEME || swapping.has(uri.toString())) return;
    swapping.add(uri.toString());
    try {
      const column = editor.viewColumn;
      await vscode.commands.executeCommand('vscode.openWith', uri, MARKDOWN_PREVIEW_EDITOR, {
        viewColumn: column,
        preserveFocus: false,
      });
      const texts = vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === uri.toString());
      if (texts.length) await vscode.window.tabGroups.close(texts);
    } finally {
      swapping.delete(uri.toString());
    }
  };
  return vscode.Disposable.from(
    vscode.workspace.registerTextDocumentContentProvider(RULE_HELP_SCHEME, provider),
    vscode.window.onDidChangeVisibleTextEditors((editors) => {
      for (const e of editors) void swap(e);
    }),
  );
}
