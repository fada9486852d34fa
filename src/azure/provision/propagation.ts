/**
 * Waiting for propagation by observing success: a real federated token exchange at Entra (the
 * ServiceAccount's token as client assertion: learn.microsoft.com "Workload identity federation",
 * client_credentials with client_assertion), and optionally a data-plane read with the resulting
 * credential. AADSTS70021 right after creation, and 403 right after a role assignment, are
 * expected for a while; they are retried with exponential backoff up to a limit. Tokens stay in
 * memory here and are never returned, logged or put in a message.
 */
import { ClientAssertionCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
import { backoffDelay, type BackoffSettings } from '../../core/provision/backoff';
import { redactTokens } from './stepErrors';
import { sleep } from './sleep';

export interface ExchangeTarget {
  readonly authorityHost: string;
  readonly tenantId: string;
  readonly clientId: string;
  /** Returns a fresh ServiceAccount token (TokenRequest); called once per attempt. */
  readonly assertion: () => Promise<string>;
  readonly tlsCa?: string;
}

export interface WaitOptions {
  readonly abortSignal?: AbortSignal;
  readonly limitMs: number;
  readonly backoff?: BackoffSettings;
  readonly onWait?: (attempt: number, delayMs: number, lastError: string) => void;
}

export class PropagationTimeout extends Error {
  override readonly name = 'PropagationTimeout';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
  static is(e: unknown): e is PropagationTimeout {
    return e instanceof Error && e.name === 'PropagationTimeout';
  }
}

export function assertionCredential(t: ExchangeTarget): ClientAssertionCredential {
  return new ClientAssertionCredential(t.tenantId, t.clientId, t.assertion, {
    authorityHost: t.authorityHost,
    // A custom authority (the sandbox, a sovereign cloud) must not ask login.microsoftonline.com first.
    disableInstanceDiscovery: !/^https:\/\/login\.microsoftonline\.com\/?$/i.test(t.authorityHost),
    ...(t.tlsCa ? { tlsOptions: { ca: t.tlsCa } } : {}),
  } as ConstructorParameters<typeof ClientAssertionCredential>[3]);
}

async function retryUntil(
  what: () => Promise<void>,
  retryable: (e: unknown) => string | undefined,
  o: WaitOptions,
): Promise<number> {
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      await what();
      return attempt + 1;
    } catch (e) {
      const code = retryable(e);
      if (!code) throw e;
      const delay = backoffDelay(attempt, o.backoff);
      if (Date.now() + delay - started > o.limitMs) {
        throw new PropagationTimeout(code, redactTokens((e as Error)?.message ?? String(e)));
      }
      o.onWait?.(attempt + 1, delay, code);
      await sleep(delay, o.abortSignal);
    }
  }
}

/** Resolves after Entra issued a token for the identity from the ServiceAccount's token; the token itself is dropped. */
export async function waitForExchange(t: ExchangeTarget, o: WaitOptions): Promise<number> {
  return retryUntil(
    async () => {
      // A new credential object per attempt: MSAL caches neither failures nor, then, stale successes.
      const token = await assertionCredential(t).getToken('https://management.azure.com/.default', {
        abortSignal: o.abortSignal,
      });
      if (!token?.token) throw new Error('no token');
    },
    (e) => {
      const m = (e as Error)?.message ?? '';
      const aadsts = /AADSTS(\d+)/.exec(m);
      // Not yet propagated: no matching credential (70021, and 700211/700213 while the new issuer/subject spreads).
      if (aadsts && ['70021', '700211', '700213'].includes(aadsts[1]!)) return `AADSTS${aadsts[1]}`;
      return undefined;
    },
    o,
  );
}

export interface SecretTarget {
  readonly vaultUrl: string;
  readonly secretName: string;
  readonly exchange: ExchangeTarget;
  /** false for vault hosts that are not *.vault.azure.net (the sandbox). */
  readonly verifyChallenge: boolean;
}

/** Resolves once the identity can read the secret (RBAC propagated); the value is dropped. */
export async function waitForSecret(t: SecretTarget, o: WaitOptions): Promise<number> {
  const credential = assertionCredential(t.exchange);
  const client = new SecretClient(t.vaultUrl, credential, {
    disableChallengeResourceVerification: !t.verifyChallenge,
    retryOptions: { maxRetries: 0 },
    ...(t.exchange.tlsCa ? { tlsOptions: { ca: t.exchange.tlsCa } } : {}),
  } as ConstructorParameters<typeof SecretClient>[2]);
  return retryUntil(
    async () => {
      await client.getSecret(t.secretName, { abortSignal: o.abortSignal });
    },
    (e) => {
      const status = (e as { statusCode?: unknown })?.statusCode;
      const code = (e as { code?: unknown })?.code;
      if (status === 403) return typeof code === 'string' ? code : 'Forbidden';
      return undefined;
    },
    o,
  );
}
