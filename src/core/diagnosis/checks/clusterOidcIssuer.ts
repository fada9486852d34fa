import { errorEvidence, msg, result, skipNotObserved, type Check } from '../checkContext';

/** ARM `properties.oidcIssuerProfile` (Azure/azure-rest-api-specs, managedClusters.json): enabled, issuerURL. */
export const checkClusterOidcIssuer: Check = (c) => {
  const id = 'cluster.oidc-issuer';
  const { cluster, target } = c.o;
  if (!cluster) return skipNotObserved(c, id);
  if (!cluster.ok) {
    return result(
      id,
      'fail',
      msg(c, 'cluster.notFound', target.clusterName, target.resourceGroup, cluster.error.message),
      { cluster: target.clusterName, resourceGroup: target.resourceGroup, ...errorEvidence(cluster) },
    );
  }
  const v = cluster.value;
  const evidence = { cluster: v.name, oidcIssuerEnabled: v.oidcIssuerEnabled, issuerUrl: v.issuerUrl ?? null };
  if (!v.oidcIssuerEnabled) {
    return result(id, 'fail', msg(c, 'cluster.issuerOff', v.name), evidence, { fix: 'cluster.oidc-issuer' });
  }
  if (!v.issuerUrl) {
    return result(id, 'fail', msg(c, 'cluster.issuerEmpty', v.name), evidence, { fix: 'cluster.oidc-issuer' });
  }
  return result(id, 'pass', msg(c, 'cluster.issuerOk', v.issuerUrl), evidence);
};
