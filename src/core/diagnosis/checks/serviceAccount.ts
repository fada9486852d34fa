import { CLIENT_ID_ANNOTATION, TENANT_ID_ANNOTATION, TOKEN_EXPIRATION_ANNOTATION } from '../../rules/keys';
import { errorEvidence, GUID_RE, msg, result, skipNotObserved, type Check } from '../checkContext';

/**
 * The annotations the webhook reads (Azure/azure-workload-identity pkg/webhook/consts.go):
 * client-id, tenant-id (absent = the webhook's default tenant) and the token expiration, which it
 * accepts only from 3600 to 86400 seconds (pkg/webhook/webhook.go).
 */
export const checkServiceAccount: Check = (c) => {
  const id = 'serviceaccount';
  const { serviceAccount: sa, target } = c.o;
  if (!sa) return skipNotObserved(c, id);
  if (!sa.ok) return result(id, 'fail', msg(c, 'sa.unreadable', sa.error.message), errorEvidence(sa));
  if (!sa.value.exists) {
    return result(
      id,
      'fail',
      msg(c, 'sa.missing', target.namespace, target.serviceAccount),
      { exists: false, namespace: target.namespace, name: target.serviceAccount },
      { fix: 'serviceaccount' },
    );
  }
  const a = sa.value.annotations;
  const clientId = a[CLIENT_ID_ANNOTATION];
  const tenantId = a[TENANT_ID_ANNOTATION];
  const expiration = a[TOKEN_EXPIRATION_ANNOTATION];
  const evidence = {
    exists: true,
    clientId: clientId ?? null,
    tenantId: tenantId ?? '(default)',
    tokenExpiration: expiration ?? '(default 3600)',
  };
  if (clientId === undefined || clientId.trim() === '') {
    return result(id, 'fail', msg(c, 'sa.noClientId'), evidence, { fix: 'serviceaccount' });
  }
  if (!GUID_RE.test(clientId)) {
    return result(id, 'fail', msg(c, 'sa.clientIdInvalid', clientId), evidence, { fix: 'serviceaccount' });
  }
  if (tenantId !== undefined && !GUID_RE.test(tenantId)) {
    return result(id, 'fail', msg(c, 'sa.tenantIdInvalid', tenantId), evidence, { fix: 'serviceaccount' });
  }
  if (expiration !== undefined) {
    const n = Number(expiration);
    if (!/^\d+$/.test(expiration) || n < 3600 || n > 86400) {
      return result(id, 'fail', msg(c, 'sa.expirationInvalid', expiration), evidence, { fix: 'serviceaccount' });
    }
  }
  return result(id, 'pass', msg(c, 'sa.ok', clientId), evidence);
};
