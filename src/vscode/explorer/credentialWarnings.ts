/**
 * The sentences for a federated credential's warnings: the tree's tooltips and the editor's lenses
 * both show them.
 */
import * as vscode from 'vscode';
import type { CredentialWarning } from '../../azure/federationMatch';

export function warningText(w: CredentialWarning): string {
  switch (w.kind) {
    case 'issuerTrailingSlash':
      return vscode.l10n.t(
        "The issuer differs from cluster {0}'s only by a trailing slash ({1}): Entra compares exactly, so token exchange fails with AADSTS70021.",
        w.source,
        w.expected,
      );
    case 'issuerCase':
      return vscode.l10n.t(
        "The issuer differs from cluster {0}'s only by letter case ({1}): Entra compares exactly.",
        w.source,
        w.expected,
      );
    case 'issuerWhitespace':
      return vscode.l10n.t('The issuer has leading or trailing whitespace.');
    case 'issuerUnknown':
      return vscode.l10n.t('The issuer matches no known cluster issuer.');
    case 'subjectNotServiceAccount':
      return vscode.l10n.t('The subject is not of the form system:serviceaccount:NAMESPACE:NAME.');
    case 'serviceAccountNotFound':
      return vscode.l10n.t('ServiceAccount {0}/{1} does not exist on {2}.', w.namespace, w.name, w.source);
    case 'serviceAccountCase':
      return vscode.l10n.t(
        'Only {0}/{1} exists on {2} (letter case differs).',
        w.expected.namespace,
        w.expected.name,
        w.source,
      );
    case 'audience':
      return vscode.l10n.t('Workload identity needs exactly one audience, api://AzureADTokenExchange.');
  }
}

/** A few words for a lens, which the editor's width cuts off: the full sentence goes to its tooltip. */
export function shortWarningText(w: CredentialWarning): string {
  switch (w.kind) {
    case 'issuerTrailingSlash':
      return vscode.l10n.t('issuer lacks or adds a trailing slash');
    case 'issuerCase':
      return vscode.l10n.t('issuer differs in letter case');
    case 'issuerWhitespace':
      return vscode.l10n.t('issuer has surrounding whitespace');
    default:
      return warningText(w);
  }
}

/** Text for a Markdown tooltip: Markdown's punctuation escaped, spaces kept (a URL stays one link). */
function mdEscape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&');
}

/**
 * The same sentence for a Markdown tooltip, with an issuer URL as a real link: `appendText` would
 * turn spaces into `&nbsp;`, and VS Code's link detection would then take the rest of the
 * sentence (and the `&nbsp;`s) for part of the URL.
 */
export function warningMarkdown(w: CredentialWarning): string {
  const link = (url: string) => `[${mdEscape(url)}](<${url}>)`;
  switch (w.kind) {
    case 'issuerTrailingSlash':
      return vscode.l10n.t(
        "The issuer differs from cluster {0}'s only by a trailing slash ({1}): Entra compares exactly, so token exchange fails with AADSTS70021.",
        mdEscape(w.source),
        link(w.expected),
      );
    case 'issuerCase':
      return vscode.l10n.t(
        "The issuer differs from cluster {0}'s only by letter case ({1}): Entra compares exactly.",
        mdEscape(w.source),
        link(w.expected),
      );
    default:
      return mdEscape(warningText(w));
  }
}
