import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import * as vscode from 'vscode';

/**
 * The cloud VS Code's own Microsoft sign-in targets. Sovereign clouds use the provider
 * `microsoft-sovereign-cloud`, chosen by VS Code's `microsoft-sovereign-cloud.environment`
 * setting (ChinaCloud, USGovernment); each has its own ARM endpoint and portal.
 */
export interface Cloud {
  readonly providerId: string;
  readonly armEndpoint: string;
  /** The ARM scope in the form VS Code's provider and the Azure extensions use (note the double slash). */
  readonly armScope: string;
  readonly portal: string;
}

const CLOUDS: Record<string, Omit<Cloud, 'providerId'>> = {
  AzureCloud: {
    armEndpoint: 'https://management.azure.com',
    armScope: 'https://management.core.windows.net//.default',
    portal: 'https://portal.azure.com',
  },
  ChinaCloud: {
    armEndpoint: 'https://management.chinacloudapi.cn',
    armScope: 'https://management.core.chinacloudapi.cn//.default',
    portal: 'https://portal.azure.cn',
  },
  USGovernment: {
    armEndpoint: 'https://management.usgovcloudapi.net',
    armScope: 'https://management.core.usgovcloudapi.net//.default',
    portal: 'https://portal.azure.us',
  },
};

export const MICROSOFT_PROVIDER = 'microsoft';
export const SOVEREIGN_PROVIDER = 'microsoft-sovereign-cloud';

export function currentCloud(): Cloud {
  const env = vscode.workspace.getConfiguration('microsoft-sovereign-cloud').get<string>('environment');
  const sovereign = env ? CLOUDS[env] : undefined;
  return sovereign
    ? { providerId: SOVEREIGN_PROVIDER, ...sovereign }
    : { providerId: MICROSOFT_PROVIDER, ...CLOUDS.AzureCloud };
}

/** Thrown when no session exists and we may not prompt; classified as an expired session. */
export class SessionRequiredError extends Error {
  override readonly name = 'SessionRequiredError';
  static is(e: unknown): e is SessionRequiredError {
    return e instanceof Error && e.name === 'SessionRequiredError';
  }
}

function claims(jwt: string): { exp?: unknown; tid?: unknown } {
  try {
    return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      exp?: unknown;
      tid?: unknown;
    };
  } catch {
    return {};
  }
}

function tokenExpiry(jwt: string): number | undefined {
  const { exp } = claims(jwt);
  return typeof exp === 'number' ? exp * 1000 : undefined;
}

/** The tenant an access token was issued for (`tid`). */
export function tokenTenant(jwt: string): string | undefined {
  const { tid } = claims(jwt);
  return typeof tid === 'string' ? tid : undefined;
}

/**
 * Adapts VS Code's authentication session into an @azure/identity `TokenCredential`. Silent: a
 * token request never opens a sign-in prompt by itself (the Sign in command does that).
 */
export class VsCodeSessionCredential implements TokenCredential {
  constructor(
    private readonly cloud: Cloud,
    private readonly tenantId?: string,
  ) {}

  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
    const wanted = (Array.isArray(scopes) ? scopes : [scopes]).map((s) =>
      // The clients ask for `https://management.azure.com/.default`; VS Code's provider caches
      // sessions by the exact scope list, so ask in the form Sign in used.
      /^https:\/\/management\.[^/]+\/\.default$/.test(s) ? this.cloud.armScope : s,
    );
    const tenant = options?.tenantId ?? this.tenantId;
    const list = tenant ? [...wanted, `VSCODE_TENANT:${tenant}`] : wanted;
    const session = await vscode.authentication.getSession(this.cloud.providerId, list, { silent: true });
    if (!session) throw new SessionRequiredError(vscode.l10n.t('Not signed in to Azure.'));
    return {
      token: session.accessToken,
      expiresOnTimestamp: tokenExpiry(session.accessToken) ?? Date.now() + 5 * 60_000,
    };
  }
}

export async function currentSession(cloud = currentCloud()): Promise<vscode.AuthenticationSession | undefined> {
  return vscode.authentication.getSession(cloud.providerId, [cloud.armScope], { silent: true });
}

/** Interactive sign-in; with a tenant, a session for that tenant (VS Code keeps one per tenant). */
export async function signIn(
  cloud = currentCloud(),
  tenantId?: string,
): Promise<vscode.AuthenticationSession | undefined> {
  const scopes = tenantId ? [cloud.armScope, `VSCODE_TENANT:${tenantId}`] : [cloud.armScope];
  return vscode.authentication.getSession(cloud.providerId, scopes, { createIfNone: true });
}
