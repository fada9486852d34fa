import { ClientSecretCredential } from '@azure/identity';

/** What signing in to a sandbox takes (a SandboxConnection has it; this layer does not import the sandbox). */
export interface SandboxSignIn {
  readonly tenantId: string;
  readonly authorityHost: string;
  readonly caPem: string;
  readonly developer: { readonly clientId: string; readonly clientSecret: string };
}

/**
 * The sandbox's developer principal, signing in with client credentials against the sandbox's
 * Entra ID: no instance discovery (it would ask login.microsoftonline.com), and the sandbox CA
 * trusted for this credential only, never process-wide.
 */
export function sandboxCredential(s: SandboxSignIn): ClientSecretCredential {
  return new ClientSecretCredential(s.tenantId, s.developer.clientId, s.developer.clientSecret, {
    authorityHost: s.authorityHost,
    disableInstanceDiscovery: true,
    tlsOptions: { ca: s.caPem },
  } as ConstructorParameters<typeof ClientSecretCredential>[3]);
}
