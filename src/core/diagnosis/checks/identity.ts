import { errorEvidence, msg, passed, result, skipAfter, type Check } from '../checkContext';
import { CLIENT_ID_ANNOTATION } from '../../rules/keys';

/** The annotation's client ID must be a user-assigned identity we can read (else Entra: AADSTS700016). */
export const checkIdentity: Check = (c) => {
  const id = 'identity';
  const { identity, serviceAccount } = c.o;
  if (!passed(c, 'serviceaccount') || !serviceAccount?.ok) return skipAfter(c, id, 'serviceaccount');
  const clientId = serviceAccount.value.annotations[CLIENT_ID_ANNOTATION]!;
  if (!identity) return skipAfter(c, id, 'serviceaccount');
  if (!identity.ok) {
    return result(id, 'warn', msg(c, 'identity.unreadable', identity.error.message), {
      clientId,
      ...errorEvidence(identity),
    });
  }
  const found = identity.value.identity;
  if (!found) {
    return result(
      id,
      'fail',
      msg(c, 'identity.notFound', clientId),
      { clientId, searched: identity.value.searched, aadsts: 'AADSTS700016' },
      { fix: 'identity' },
    );
  }
  return result(id, 'pass', msg(c, 'identity.ok', found.name, found.resourceGroup), {
    clientId,
    name: found.name,
    id: found.id,
    principalId: found.principalId,
    tenantId: found.tenantId,
  });
};
