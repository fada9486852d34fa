import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type * as k8s from '@kubernetes/client-node';
import { coreApi } from './kubeClient';
import { rawRequest, startSandboxTarget, type KubeTarget } from './kubeHarness';
import type { RunningSandbox } from '../../../src/sandbox/server';

/**
 * The Kubernetes half meets the Azure half: a TokenRequest token from the sandbox cluster is
 * exchanged at the sandbox's Entra token endpoint, which fetches the issuer's discovery document
 * and JWKS over HTTPS, as Entra does with AKS issuers.
 */
describe('TokenRequest tokens in the federated token exchange', () => {
  let h: KubeTarget & { sandbox: RunningSandbox };
  let api: k8s.CoreV1Api;
  let token = '';

  const exchange = (clientId: string, assertion: string) =>
    rawRequest(h, `${h.origin}/${h.tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: clientId,
        scope: 'https://vault.azure.net/.default',
        grant_type: 'client_credentials',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion,
      }).toString(),
    });
  const identity = (name: string): string =>
    Object.values(h.sandbox.state().identities).find((i) => i.name === name)?.clientId ?? '';

  before(async () => {
    h = await startSandboxTarget();
    api = coreApi(h, 'aks-wi-demo');
    await api.createNamespacedServiceAccount({
      namespace: 'default',
      body: { metadata: { name: 'workload-identity-sa' } },
    });
    const tr = await api.createNamespacedServiceAccountToken({
      name: 'workload-identity-sa',
      namespace: 'default',
      body: { spec: { audiences: ['api://AzureADTokenExchange'] } },
    });
    token = tr.status?.token ?? '';
  });
  after(() => h.close());

  it('is accepted for the identity whose credential names this issuer and subject', async () => {
    const res = await exchange(identity('id-wi-demo'), token);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json<{ token_type: string }>().token_type, 'Bearer');
  });

  it('fails with AADSTS70021 for the credential whose issuer lacks the trailing slash', async () => {
    const res = await exchange(identity('id-wi-noslash'), token);
    assert.equal(res.status, 400);
    assert.match(
      res.json<{ error_description: string }>().error_description,
      /^AADSTS70021: No matching federated identity record found for presented assertion/,
    );
  });
});
