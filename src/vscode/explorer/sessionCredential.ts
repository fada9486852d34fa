import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import * as vscode from 'vscode';

/** VS Code's built-in Microsoft authentication provider (sovereign clouds: its own setting). */
export const MICROSOFT_PROVIDER = 'microsoft';
/** ARM scope in the form VS Code's provider and the Azure extensions use. */
export const ARM_SESSION_SCOPES = ['https://management.core.windows.net//.default'];

/** Thrown when no session exists and we may not prompt; classified as an expired session. */
export class SessionRequiredError extends Error {
  override readonly name = 'SessionRequiredError';
  static is(e: unknown): e is SessionRequiredError {
    return e instanceof Error && e.name === 'SessionRequiredError';
  }
}

function tokenExpiry(jwt: string): number | undefined {
  try {
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof payload.exp === 'number' ? payload.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Adapts VS Code's authentication session into an @azure/identity `TokenCredential`. Silent: a
 * token request never opens a sign-in prompt by itself (the Sign in command does that).
 */
export class VsCodeSessionCredential implements TokenCredential {
  constructor(private readonly tenantId?: string) {}

  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
    const wanted = (Array.isArray(scopes) ? scopes : [scopes]).map((s) =>
      // The ARM scope has two spellings; VS Code's provider caches sessions by the exact list.
      s === 'https://management.azure.com/.default' ? ARM_SESSION_SCOPES[0] : s,
    );
    const tenant = options?.tenantId ?? this.tenantId;
    const list = tenant ? [...wanted, `VSCODE_TENANT:${tenant}`] : wanted;
    const session = await vscode.authentication.getSession(MICROSOFT_PROVIDER, list, { silent: true });
    if (!session) throw new SessionRequiredError(vscode.l10n.t('Not signed in to Azure.'));
    return { token: session.accessToken, expiresOnTimestamp: tokenExpiry(session.accessToken) ?? Date.now() + 5 * 60_000 };
  }
}

export async function currentSession(): Promise<vscode.AuthenticationSession | undefined> {
  return vscode.authentication.getSession(MICROSOFT_PROVIDER, ARM_SESSION_SCOPES, { silent: true });
}

export async function signIn(): Promise<vscode.AuthenticationSession | undefined> {
  return vscode.authentication.getSession(MICROSOFT_PROVIDER, ARM_SESSION_SCOPES, { createIfNone: true });
}
