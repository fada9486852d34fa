import { AADSTS_LINKS } from '../aadsts';
import { msg, passed, result, skipAfter, type Check } from '../checkContext';
import { redactText } from '../redact';

/** Codes Entra answers while a new credential has not propagated (retry with backoff:
 * learn.microsoft.com/entra/workload-id/workload-identity-federation-considerations). */
const PROPAGATION_CODES = new Set(['AADSTS70021', 'AADSTS700211', 'AADSTS700213']);

/**
 * The real federated grant (client_credentials with `client_assertion` = the TokenRequest's
 * token; learn.microsoft.com, "Microsoft identity platform and the OAuth 2.0 client credentials
 * flow", second case). Only the outcome is kept; the access token never leaves the observer.
 */
export const checkTokenExchange: Check = (c) => {
  const id = 'token-exchange';
  const { o } = c;
  if (o.exchangeDisabled) return result(id, 'skip', msg(c, 'skip.noExchange'), { reason: '--no-exchange' });
  if (!passed(c, 'token-request')) return skipAfter(c, id, 'token-request');
  if (!o.exchange) return skipAfter(c, id, 'token-request');
  if (!o.exchange.ok) {
    return result(id, 'fail', msg(c, 'exchange.failed', redactText(o.exchange.error.message), ''), {
      error: { kind: o.exchange.error.kind, message: redactText(o.exchange.error.message) },
    });
  }
  const x = o.exchange.value;
  const base = { clientId: x.clientId, tenantId: x.tenantId, scope: x.scope };
  if (x.ok) {
    return result(id, 'pass', msg(c, 'exchange.ok', x.scope), {
      ...base,
      expiresOn: new Date(x.expiresOn).toISOString(),
      accessToken: '[kept in memory only]',
    });
  }
  const code = x.aadsts;
  const link = code ? AADSTS_LINKS[code] : undefined;
  const message = redactText(x.message);
  const evidence = { ...base, aadsts: code ?? null, link: link?.link ?? null, meaning: link?.meaning ?? null, message };
  const fic = c.prior.get('federated-credential');
  const matched = (fic?.evidence as { matched?: { ageSeconds: number | null } } | undefined)?.matched;
  const credentialAge = matched?.ageSeconds ?? undefined;
  if (code && PROPAGATION_CODES.has(code) && fic?.propagation && credentialAge !== undefined) {
    return result(
      id,
      'warn',
      msg(c, 'exchange.propagation', code, credentialAge),
      { ...evidence, credentialAgeSeconds: credentialAge },
      { propagation: true, fix: 'propagation' },
    );
  }
  const tail = link ? msg(c, 'exchange.link', link.link) : '';
  return result(
    id,
    'fail',
    msg(c, 'exchange.failed', code ? `${code} (${link?.meaning ?? message})` : message, tail),
    evidence,
    link?.fix ? { fix: link.fix } : {},
  );
};
