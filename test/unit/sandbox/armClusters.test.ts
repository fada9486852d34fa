import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ContainerServiceClient } from '@azure/arm-containerservice';
import { parse } from 'yaml';
import { SCENARIO } from '../../../src/sandbox/scenario';
import { all, restError, startHarness, type Harness } from './sandboxClients';

describe('sandbox ARM: AKS managed clusters with @azure/arm-containerservice', () => {
  let h: Harness;
  let client: ContainerServiceClient;
  const rg = SCENARIO.resourceGroup;
  const poll = { updateIntervalInMs: 20 };

  before(async () => {
    h = await startHarness({ knobs: { lroSeconds: 0.3 } });
    client = new ContainerServiceClient(h.credential, h.sandbox.subscriptionId, {
      endpoint: h.sandbox.armEndpoint,
      tlsOptions: { ca: h.sandbox.caPem },
    });
  });
  after(async () => {
    await h.sandbox.close();
  });

  it('lists and gets the teaching clusters with issuer, workload identity and kubelet identity', async () => {
    const list = await all(client.managedClusters.list());
    assert.deepEqual(list.map((c) => c.name).sort(), [SCENARIO.clusterWithIssuer, SCENARIO.clusterWithout].sort());
    const demo = await client.managedClusters.get(rg, SCENARIO.clusterWithIssuer);
    assert.equal(demo.oidcIssuerProfile?.enabled, true);
    assert.match(
      demo.oidcIssuerProfile?.issuerURL ?? '',
      new RegExp(`^${h.sandbox.origin}/oidc/eastus/${h.sandbox.tenantId}/[0-9a-f-]{36}/$`),
    );
    assert.equal(demo.securityProfile?.workloadIdentity?.enabled, true);
    assert.match(demo.identityProfile?.kubeletidentity?.clientId ?? '', /^[0-9a-f-]{36}$/);
    const legacy = await client.managedClusters.get(rg, SCENARIO.clusterWithout);
    assert.equal(legacy.oidcIssuerProfile?.enabled, false);
    assert.equal(legacy.oidcIssuerProfile?.issuerURL, undefined);
  });

  it('creates a cluster as a long-running operation and enables the issuer on it later', async () => {
    const created = await client.managedClusters.createOrUpdate(
      rg,
      'aks-new',
      {
        location: 'eastus',
        dnsPrefix: 'aksnew',
        agentPoolProfiles: [{ name: 'nodepool1', count: 1, vmSize: 'Standard_DS2_v2', mode: 'System' }],
      },
      poll,
    );
    assert.equal(created.provisioningState, 'Succeeded');
    assert.equal(created.oidcIssuerProfile?.enabled, false);
    const current = await client.managedClusters.get(rg, 'aks-new');
    const updated = await client.managedClusters.createOrUpdate(
      rg,
      'aks-new',
      {
        ...current,
        oidcIssuerProfile: { enabled: true },
        securityProfile: { workloadIdentity: { enabled: true } },
      },
      poll,
    );
    assert.equal(updated.oidcIssuerProfile?.enabled, true);
    assert.ok(updated.oidcIssuerProfile?.issuerURL?.endsWith('/'));
    assert.equal(updated.securityProfile?.workloadIdentity?.enabled, true);
    const e = await restError(
      client.managedClusters.createOrUpdate(rg, 'aks-new', { ...updated, oidcIssuerProfile: { enabled: false } }, poll),
    );
    assert.match(e.message, /cannot be disabled/);
  });

  it('shows Creating while the operation runs', async () => {
    h.sandbox.setKnobs({ lroSeconds: 30 });
    try {
      const poller = client.managedClusters.createOrUpdate(rg, 'aks-slow', { location: 'eastus' }, poll);
      await poller.submitted();
      const during = await client.managedClusters.get(rg, 'aks-slow');
      assert.equal(during.provisioningState, 'Creating');
      const e = await restError(
        client.managedClusters.createOrUpdate(rg, 'aks-slow', { location: 'eastus' }, poll).submitted(),
      );
      assert.equal(e.statusCode, 409);
    } finally {
      h.sandbox.setKnobs({ lroSeconds: 0.3 });
    }
  });

  it('refuses workload identity without the issuer', async () => {
    const e = await restError(
      client.managedClusters.createOrUpdate(
        rg,
        'aks-wi-only',
        { location: 'eastus', securityProfile: { workloadIdentity: { enabled: true } } },
        poll,
      ),
    );
    assert.equal(e.statusCode, 400);
  });

  it('returns a kubeconfig from listClusterUserCredentials pointing at the sandbox API', async () => {
    const creds = await client.managedClusters.listClusterUserCredentials(rg, SCENARIO.clusterWithIssuer);
    assert.equal(creds.kubeconfigs?.[0]?.name, 'clusterUser');
    const text = Buffer.from(creds.kubeconfigs![0]!.value!).toString('utf8');
    const config = parse(text) as { clusters: { cluster: { server: string } }[] };
    assert.match(config.clusters[0]!.cluster.server, new RegExp(`^${h.sandbox.origin}/k8s/[0-9a-f-]{36}$`));
  });
});
