import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { roleAssignmentName, sha1, uuidV5 } from '../../../src/core/provision/assignmentName';
import {
  credentialNameProblem,
  defaultCredentialName,
  identityNameProblem,
  namespaceProblem,
  roleGuidOf,
  serviceAccountProblem,
} from '../../../src/core/provision/names';
import { buildSetupPlan, type SetupObservation } from '../../../src/core/provision/setupPlan';
import { stalePods } from '../../../src/core/provision/steps/workloadRestart';
import { renderAzScript } from '../../../src/core/provision/export/az';
import { renderBicep } from '../../../src/core/provision/export/bicep';
import { renderTerraform } from '../../../src/core/provision/export/terraform';
import { renderKubernetesYaml } from '../../../src/core/provision/export/yaml';
import { planJson, type SetupInputs } from '../../../src/core/provision/plan';
import { describeUndoLines } from '../../../src/core/provision/journal';
import { provisionMessageTable } from '../../../src/core/provision/messages';
import { parseHcl, shellChecks } from './exportParse';

const SUB = '11111111-2222-4333-8444-555555555555';
const inputs: SetupInputs = {
  subscriptionId: SUB,
  resourceGroup: 'rg-app',
  clusterName: 'aks-app',
  namespace: 'apps',
  serviceAccount: 'web',
  identityName: 'id-web',
  scope: `/subscriptions/${SUB}/resourceGroups/rg-app/providers/Microsoft.KeyVault/vaults/kv-app`,
  sample: { vaultUrl: 'https://kv-app.vault.azure.net/', secretName: 'my-secret' },
};
const cluster = {
  id: `/subscriptions/${SUB}/resourceGroups/rg-app/providers/Microsoft.ContainerService/managedClusters/aks-app`,
  location: 'westeurope',
  oidcIssuerEnabled: false,
  workloadIdentityEnabled: false,
  provisioningState: 'Succeeded',
};
const role = {
  roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6`,
  roleName: 'Key Vault Secrets User',
  assignmentName: '',
};
const fresh: SetupObservation = {
  cluster,
  credentials: [],
  credentialCount: 0,
  serviceAccount: { exists: false },
  role,
  roleAssigned: false,
  pods: [],
};

describe('provisioning core: names', () => {
  it('checks names before any call', () => {
    assert.equal(identityNameProblem('ab')?.id, 'name.identityLength');
    assert.equal(identityNameProblem('a'.repeat(129))?.id, 'name.identityLength');
    assert.equal(identityNameProblem('id web')?.id, 'name.identityChars');
    assert.equal(identityNameProblem('a'.repeat(128)), undefined);
    assert.equal(credentialNameProblem('ab')?.id, 'name.credential');
    assert.equal(credentialNameProblem('-abc')?.id, 'name.credential');
    assert.equal(credentialNameProblem('a'.repeat(121))?.id, 'name.credential');
    assert.equal(credentialNameProblem('fic_ok-1'), undefined);
    assert.equal(namespaceProblem('Apps')?.id, 'name.namespace');
    assert.equal(namespaceProblem('a'.repeat(64))?.id, 'name.namespace');
    assert.equal(serviceAccountProblem('web.v1'), undefined);
    assert.equal(serviceAccountProblem('web_')?.id, 'name.serviceAccount');
    assert.equal(roleGuidOf('4633458B-17de-408a-b874-0445c86b69e6'), '4633458b-17de-408a-b874-0445c86b69e6');
    assert.equal(
      roleGuidOf(
        '/subscriptions/x/providers/Microsoft.Authorization/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6',
      ),
      '4633458b-17de-408a-b874-0445c86b69e6',
    );
    assert.equal(roleGuidOf('Key Vault Secrets User'), undefined);
    const long = defaultCredentialName('c'.repeat(80), 'n'.repeat(60), 's');
    assert.equal(credentialNameProblem(long), undefined);
  });

  it('derives the role assignment name as an RFC 4122 v5 UUID, stable across runs', () => {
    // SHA-1 test vector (FIPS 180-4): "abc".
    assert.equal(
      Buffer.from(sha1([...Buffer.from('abc')])).toString('hex'),
      'a9993e364706816aba3e25717850c26c9cd0d89d',
    );
    // Python: uuid.uuid5(uuid.NAMESPACE_URL, 'https://example.com') == '4fd35a71-71ef-5a55-a9d9-aa75c889a6d0'.
    assert.equal(
      uuidV5('https://example.com', '6ba7b811-9dad-11d1-80b4-00c04fd430c8'),
      '4fd35a71-71ef-5a55-a9d9-aa75c889a6d0',
    );
    const a = roleAssignmentName('/subscriptions/S/rg', 'ROLE', 'P');
    assert.equal(a, roleAssignmentName('/SUBSCRIPTIONS/s/RG', 'role', 'p'));
    assert.notEqual(a, roleAssignmentName('/subscriptions/S/rg', 'ROLE', 'Q'));
    assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('provisioning core: the plan', () => {
  it('orders the chain, blocks the 21st credential and names the limit', () => {
    const plan = buildSetupPlan(inputs, fresh);
    assert.deepEqual(
      plan.steps.map((s) => s.id),
      [
        'cluster.oidc-issuer',
        'cluster.workload-identity',
        'identity',
        'serviceaccount',
        'federated-credential',
        'role-assignment',
        'propagation',
        'workload-restart',
        'sample-workload',
      ],
    );
    assert.ok(plan.steps.find((s) => s.id === 'cluster.oidc-issuer')!.irreversible);
    const full: SetupObservation = {
      ...fresh,
      cluster: { ...cluster, oidcIssuerEnabled: true, issuerUrl: 'https://x/', workloadIdentityEnabled: true },
      identity: { id: 'id', clientId: 'c', principalId: 'p', tenantId: 't' },
      credentials: Array.from({ length: 20 }, (_, n) => ({ name: `f${n}`, issuer: 'https://other/', subject: 's' })),
    };
    const blocked = buildSetupPlan(inputs, full).steps.find((s) => s.id === 'federated-credential')!;
    assert.equal(blocked.state, 'blocked');
    assert.match(blocked.blockedReason!, /20 of 20/);
    assert.match(blocked.unblock!, /Delete a credential/);
    assert.ok(blocked.notes!.some((n) => /20 of 20/.test(n)));
    // Found by (issuer, subject), whatever its name.
    const found = buildSetupPlan(inputs, {
      ...full,
      credentials: [{ name: 'legacy-name', issuer: 'https://x/', subject: 'system:serviceaccount:apps:web' }],
    }).steps.find((s) => s.id === 'federated-credential')!;
    assert.equal(found.state, 'done');
    assert.match(found.title, /legacy-name/);
    // The steps that wait on a blocked one are blocked too.
    const noCluster = buildSetupPlan(inputs, { ...fresh, cluster: undefined, clusterMissing: true });
    assert.ok(noCluster.steps.filter((s) => s.id.startsWith('cluster')).every((s) => s.state === 'blocked'));
    assert.deepEqual(Object.keys(planJson(plan, 3).steps[0]!).sort(), [
      'equivalent',
      'id',
      'resource',
      'state',
      'title',
    ]);
  });

  it('restarts only pods older than the change, through their owners; bare pods listed', () => {
    const t0 = '2026-01-01T10:00:00.000Z';
    const pods = [
      {
        name: 'web-1',
        createdAt: '2026-01-01T09:00:00Z',
        owner: { kind: 'Deployment' as const, namespace: 'apps', name: 'web' },
      },
      {
        name: 'web-2',
        createdAt: '2026-01-01T11:00:00Z',
        owner: { kind: 'Deployment' as const, namespace: 'apps', name: 'web' },
      },
      {
        name: 'db-0',
        createdAt: '2026-01-01T11:00:00Z',
        owner: { kind: 'StatefulSet' as const, namespace: 'apps', name: 'db' },
        usesWorkloadIdentity: true,
        injectedClientId: 'old',
      },
      { name: 'debug', createdAt: '2026-01-01T09:30:00Z' },
      { name: 'late', createdAt: '2026-01-01T12:00:00Z' },
    ];
    const s = stalePods(pods, t0, 'new');
    assert.deepEqual(
      s.owners.map((o) => `${o.kind}/${o.name}`),
      ['Deployment/web', 'StatefulSet/db'],
    );
    assert.deepEqual(s.bare, ['debug']);
  });

  it('describes Undo newest first, naming what stops working', () => {
    const lines = describeUndoLines({
      version: 1,
      planKind: 'setup',
      startedAt: '',
      subscriptionId: SUB,
      entries: [
        { stepId: 'identity', kind: 'identity', resource: '/x/userAssignedIdentities/id-web', at: '', detail: {} },
        {
          stepId: 'federated-credential',
          kind: 'federated-credential',
          resource: '/x/federatedIdentityCredentials/fic',
          at: '',
          detail: { serviceAccount: 'apps/web' },
        },
      ],
    });
    assert.match(lines[1]!, /fic.*apps\/web/);
    assert.match(lines[2]!, /id-web.*loses access/);
  });

  it('has every message in English and Korean with the same placeholders', () => {
    const en = provisionMessageTable('en');
    const ko = provisionMessageTable('ko');
    const ph = (s: string) =>
      [...s.matchAll(/\{\d+\}/g)]
        .map((m) => m[0])
        .sort()
        .join();
    for (const id of Object.keys(en) as Array<keyof typeof en>) {
      assert.ok(ko[id], `ko missing ${id}`);
      assert.equal(ph(ko[id]), ph(en[id]), id);
      if (/[a-z]{4}/.test(en[id].replace(/\{\d+\}|[A-Z]\w+|kubectl[^ ]*|az [a-z ]+/g, ''))) {
        assert.notEqual(ko[id], en[id], id);
      }
    }
  });
});

describe('provisioning core: exports parse with real parsers', () => {
  const known: SetupObservation = { ...fresh, identity: undefined };
  const plan = buildSetupPlan(inputs, known);

  it('az script: variables at the top, set -euo pipefail, bash -n and shellcheck clean', async () => {
    const script = renderAzScript(plan);
    const lines = script.split('\n');
    assert.equal(lines[0], '#!/usr/bin/env bash');
    assert.ok(lines.indexOf('set -euo pipefail') < lines.findIndex((l) => l.startsWith('SUBSCRIPTION=')));
    assert.ok(
      lines.findIndex((l) => l.startsWith('az ')) >
        lines.findIndex((l) => l.startsWith('FEDERATED_IDENTITY_CREDENTIAL_NAME=')),
    );
    assert.match(script, /--assignee-principal-type ServicePrincipal/);
    const r = await shellChecks(script);
    assert.equal(r.bash, '');
    assert.equal(r.shellcheck, '');
    // A hostile value stays data.
    const evil = renderAzScript(buildSetupPlan({ ...inputs, resourceGroup: "rg'$(rm -rf ~)" }, known));
    assert.match(evil, /RESOURCE_GROUP='rg'\\''\$\(rm -rf ~\)'/);
    assert.equal((await shellChecks(evil)).bash, '');
  });

  it('Bicep: @batchSize(1) on the credential loop, guid() role assignment name', () => {
    const bicep = renderBicep(plan);
    const loop = bicep.indexOf(
      "resource federatedCredentials 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials@2024-11-30' = [for",
    );
    assert.ok(loop > 0);
    assert.equal(bicep.slice(0, loop).trimEnd().split('\n').pop(), '@batchSize(1)');
    assert.match(bicep, /name: guid\(target\.id, identity\.id, roleDefinitionId\)/);
    assert.match(bicep, /principalType: 'ServicePrincipal'/);
  });

  it('Terraform: property names follow the provider version', async () => {
    const v466 = renderTerraform(plan, '4.66.0');
    const v460 = renderTerraform(plan, '4.60.0');
    const v5 = renderTerraform(plan, '5.0.0');
    assert.match(v466, /user_assigned_identity_id = azurerm_user_assigned_identity\.wi\.id/);
    assert.doesNotMatch(v466, /parent_id/);
    assert.match(v460, /parent_id\s+= azurerm_user_assigned_identity\.wi\.id/);
    assert.match(v460, /resource_group_name = "rg-app"/);
    assert.match(v466, /data\.azurerm_key_vault\.target\.enable_rbac_authorization/);
    assert.match(v5, /data\.azurerm_key_vault\.target\.rbac_authorization_enabled/);
    for (const tf of [v466, v460, v5]) {
      const parsed = await parseHcl(tf);
      if (parsed.parser === 'hcl2json') {
        assert.ok((parsed.resource as Record<string, unknown>).azurerm_federated_identity_credential);
      }
    }
    await assert.rejects(parseHcl('resource "x" "y" {'), /terraform fmt|Error/);
  });

  it('Kubernetes YAML: the annotated ServiceAccount and the sample pod', () => {
    const withId = buildSetupPlan(inputs, {
      ...fresh,
      identity: { id: 'id', clientId: '6f1c2a4e-0000-4000-8000-00000000f901', principalId: 'p', tenantId: 't' },
    });
    const docs = parseAllDocuments(renderKubernetesYaml(withId)).map(
      (d) =>
        d.toJS() as {
          kind: string;
          metadata: { annotations?: Record<string, string>; labels?: Record<string, string> };
          spec?: { containers: Array<{ env: Array<{ name: string; value: string }> }> };
        },
    );
    assert.deepEqual(
      docs.map((d) => d.kind),
      ['ServiceAccount', 'Pod'],
    );
    assert.equal(
      docs[0]!.metadata.annotations!['azure.workload.identity/client-id'],
      '6f1c2a4e-0000-4000-8000-00000000f901',
    );
    assert.equal(docs[1]!.metadata.labels!['azure.workload.identity/use'], 'true');
    assert.deepEqual(
      docs[1]!.spec!.containers[0]!.env.map((e) => e.name),
      ['KEYVAULT_URL', 'SECRET_NAME'],
    );
    assert.ok(parseYaml(renderKubernetesYaml(buildSetupPlan({ ...inputs, sample: undefined }, fresh))));
  });
});
