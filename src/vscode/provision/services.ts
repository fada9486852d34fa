import * as vscode from 'vscode';
import type { Locale } from '../../core/messages';
import type { ProvisionBackend } from '../../provision/session';
import type { ExplorerProvider } from '../explorer/provider';
import type { ManifestIndex } from '../manifestIndex';
import type { JournalStore } from './journalStore';
import type { PlanPreview } from './planPreview';
import { provisionUi } from './provisionUi';

export type ProvisionApi = typeof import('../../provision/session');

/** What every provisioning command is built with (by registerProvisioning). */
export interface ProvisionServices {
  readonly provider: ExplorerProvider;
  readonly manifests: ManifestIndex;
  readonly journals: JournalStore;
  readonly preview: PlanPreview;
  readonly log: vscode.LogOutputChannel;
}

/** One command's connection: the backend the explorer's switch chose, and the façade. */
export interface Session {
  readonly backend: ProvisionBackend;
  readonly api: ProvisionApi;
  readonly locale: Locale;
}

export function locale(): Locale {
  return vscode.env.language.toLowerCase().startsWith('ko') ? 'ko' : 'en';
}

/**
 * Provisioning writes to Azure and the cluster: never from an untrusted workspace. The menus hide
 * the commands there (`isWorkspaceTrusted`); this refuses them when invoked anyway.
 */
export function requireTrust(): boolean {
  if (vscode.workspace.isTrusted) return true;
  provisionUi().error(
    vscode.l10n.t(
      'Provisioning needs a trusted workspace: it changes Azure resources and the cluster. Trust this workspace first (Workspaces: Manage Workspace Trust).',
    ),
  );
  return false;
}

/** The backend the explorer uses (created on first need); undefined after saying why not. */
export async function openSession(s: ProvisionServices): Promise<Session | undefined> {
  const r = await s.provider.currentBackend();
  if (!r.ok) {
    provisionUi().error(
      r.signedOut
        ? vscode.l10n.t('Sign in to Azure first: Workload Identity explorer → Sign in.')
        : vscode.l10n.t('Could not reach Azure: {0}', r.error.message),
    );
    return undefined;
  }
  return { backend: r.backend.provision.backend, api: r.backend.provision.api, locale: locale() };
}

/** A failure of a listing or plan call, in one line (never with a token: the façade's errors carry codes and service messages). */
export function reason(e: unknown): string {
  const err = e as { code?: unknown; message?: unknown };
  const message = typeof err?.message === 'string' ? err.message : String(e);
  return typeof err?.code === 'string' ? `${err.code}: ${message}` : message;
}
