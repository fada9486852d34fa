import type { CheckId, FixStepId } from './types';

/**
 * Which link of the chain an Entra error code names (learn.microsoft.com, "Microsoft Entra
 * authentication and authorization error codes"; workload identity federation troubleshooting).
 */
export const AADSTS_LINKS: Readonly<
  Record<string, { readonly link: CheckId; readonly fix?: FixStepId; readonly meaning: string }>
> = {
  AADSTS70021: {
    link: 'federated-credential',
    fix: 'federated-credential',
    meaning: 'no federated credential matches the assertion (or it has not propagated yet)',
  },
  AADSTS700211: {
    link: 'federated-credential',
    fix: 'federated-credential',
    meaning: 'no credential with the presented issuer',
  },
  AADSTS700212: {
    link: 'federated-credential',
    fix: 'federated-credential',
    meaning: 'no credential with the presented audience',
  },
  AADSTS700213: {
    link: 'federated-credential',
    fix: 'federated-credential',
    meaning: 'no credential with the presented subject',
  },
  AADSTS7002138: {
    link: 'federated-credential',
    fix: 'federated-credential',
    meaning: 'the subject matched only ignoring letter case',
  },
  AADSTS700024: { link: 'token-request', meaning: 'the assertion is expired or not yet valid (clock skew?)' },
  AADSTS90061: { link: 'issuer.discovery', meaning: "Entra could not fetch the issuer's discovery document or keys" },
  AADSTS50166: { link: 'issuer.discovery', meaning: "Entra could not reach the issuer's discovery endpoint" },
  AADSTS700016: { link: 'identity', fix: 'identity', meaning: 'no application with that client ID in the tenant' },
};

/** The first `AADSTSnnnn` code in an error message. */
export function aadstsCode(message: string): string | undefined {
  return /AADSTS\d+/.exec(message)?.[0];
}
