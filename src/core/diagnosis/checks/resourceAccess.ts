import { errorEvidence, msg, result, skipAfter, type Check } from '../checkContext';
import { redactText } from '../redact';

/**
 * One read-only data-plane call with the exchanged token: for a Key Vault, listing secret
 * properties (names only; Key Vault REST "Get Secrets" never returns values). A 403 points at
 * the role link, or at propagation when the role is new.
 */
export const checkResourceAccess: Check = (c) => {
  const id = 'resource-access';
  const { o } = c;
  if (o.exchangeDisabled) return result(id, 'skip', msg(c, 'skip.noExchange'), { reason: '--no-exchange' });
  const x = o.exchange?.ok ? o.exchange.value : undefined;
  if (!x?.ok) return skipAfter(c, id, 'token-exchange');
  const target = o.resource?.ok ? o.resource.value : undefined;
  if (!target) return result(id, 'skip', msg(c, 'skip.noTarget'), { reason: 'no target resource' });
  if (!target.vaultUrl) {
    return result(id, 'skip', msg(c, 'skip.notKeyVault', target.scope), {
      reason: 'no read-only call known',
      target: target.scope,
    });
  }
  if (!o.resourceAccess) return skipAfter(c, id, 'token-exchange');
  if (!o.resourceAccess.ok) {
    return result(
      id,
      'fail',
      msg(c, 'access.failed', redactText(o.resourceAccess.error.message)),
      errorEvidence(o.resourceAccess),
    );
  }
  const a = o.resourceAccess.value;
  const evidence = {
    url: a.url,
    status: a.status,
    secretNames: a.secretNames ?? null,
    message: a.message ? redactText(a.message) : null,
  };
  if (a.status === 200) return result(id, 'pass', msg(c, 'access.ok', a.secretNames?.length ?? 0, a.url), evidence);
  const role = c.prior.get('role-assignment');
  if (a.status === 403 || a.status === 401) {
    const age = (role?.evidence as { granting?: { ageSeconds: number | null } } | undefined)?.granting?.ageSeconds;
    if (role?.propagation && age != null) {
      return result(
        id,
        'warn',
        msg(c, 'access.forbidden', `HTTP ${a.status}`, msg(c, 'access.propagation', age)),
        evidence,
        { propagation: true, fix: 'propagation' },
      );
    }
    return result(
      id,
      'fail',
      msg(c, 'access.forbidden', `HTTP ${a.status}`, ''),
      { ...evidence, link: 'role-assignment' },
      { fix: 'role-assignment' },
    );
  }
  return result(
    id,
    'fail',
    msg(c, 'access.failed', `HTTP ${a.status}${a.message ? ` ${redactText(a.message)}` : ''}`),
    evidence,
  );
};
