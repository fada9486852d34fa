import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { diagnoseServiceAccount, recheck } from '../../../src/diagnosis/session';
import { SCENARIO } from '../../../src/sandbox/scenario';
import { check, startDoctorHarness, statuses, type DoctorHarness } from './doctorHarness';

const opts = { resourceGroup: SCENARIO.resourceGroup, cluster: SCENARIO.clusterWithIssuer };

/**
 * Each check shown failing on the sandbox with the real SDK clients, asserted by its ID and the
 * evidence it compared; and a working chain passing all eleven, exchange and data plane included.
 */
describe('diagnosis on the sandbox', () => {
  let h: DoctorHarness;
  const diagnose = (sa: string, o: Partial<typeof opts> & { scope?: string; noExchange?: boolean } = {}) =>
    diagnoseServiceAccount(h.backend, { ...opts, ...o }, 'default', sa);

  before(async () => {
    h = await startDoctorHarness();
  });
  after(async () => {
    await h.sandbox.close();
  });

  it('a fully working chain passes every check, token exchange and resource access included', async () => {
    const working = await h.msi.userAssignedIdentities.get(SCENARIO.resourceGroup, SCENARIO.workingIdentity);
    await h.serviceAccount(SCENARIO.serviceAccount, working.clientId!);
    await h.pod('working-app', SCENARIO.serviceAccount);
    const d = await diagnose(SCENARIO.serviceAccount);
    assert.deepEqual(
      statuses(d),
      {
        'cluster.oidc-issuer': 'pass',
        'cluster.workload-identity': 'pass',
        'issuer.discovery': 'pass',
        serviceaccount: 'pass',
        identity: 'pass',
        'federated-credential': 'pass',
        pods: 'pass',
        'token-request': 'pass',
        'token-exchange': 'pass',
        'role-assignment': 'pass',
        'resource-access': 'pass',
      },
      JSON.stringify(
        d.checks.filter((c) => c.status !== 'pass'),
        null,
        2,
      ),
    );
    assert.equal(d.verdict, 'pass');
    const issuer = await h.issuer();
    assert.equal(check(d, 'cluster.oidc-issuer').evidence.issuerUrl, issuer);
    assert.equal(check(d, 'issuer.discovery').evidence.discoveryIssuer, issuer);
    assert.equal(
      (check(d, 'federated-credential').evidence.matched as { name: string }).name,
      SCENARIO.workingCredential,
    );
    assert.equal(check(d, 'token-request').evidence.sub, 'system:serviceaccount:default:workload-identity-sa');
    assert.equal(check(d, 'token-request').evidence.expirationSeconds, 600);
    assert.equal(check(d, 'token-exchange').evidence.clientId, working.clientId);
    assert.match(String(check(d, 'role-assignment').evidence.target), /\/vaults\/kv-wi-demo$/i);
    assert.equal((check(d, 'role-assignment').evidence.granting as { role: string }).role, 'Key Vault Secrets User');
    assert.deepEqual(check(d, 'resource-access').evidence.secretNames, [SCENARIO.secret]);
    // Never a token, never the secret's value, anywhere in the result.
    const text = JSON.stringify(d);
    assert.doesNotMatch(text, /eyJ[A-Za-z0-9_-]{5,}\./);
    assert.ok(!text.includes(SCENARIO.secretValue));
  });

  it("the teaching scenario's trailing-slash credential: federated-credential names the slash, the exchange says AADSTS70021", async () => {
    const broken = await h.msi.userAssignedIdentities.get(SCENARIO.resourceGroup, SCENARIO.brokenIdentity);
    await h.serviceAccount(SCENARIO.brokenServiceAccount, broken.clientId!);
    const d = await diagnose(SCENARIO.brokenServiceAccount);
    const fic = check(d, 'federated-credential');
    assert.equal(fic.status, 'fail');
    assert.equal(fic.fix, 'federated-credential');
    assert.deepEqual(fic.evidence.differences, ['issuerTrailingSlash']);
    const issuer = await h.issuer();
    assert.equal((fic.evidence.closest as { issuer: string }).issuer, issuer.replace(/\/$/, ''));
    assert.equal((fic.evidence.expected as { issuer: string }).issuer, issuer);
    const x = check(d, 'token-exchange');
    assert.equal(x.status, 'fail');
    assert.equal(x.evidence.aadsts, 'AADSTS70021');
    assert.equal(x.evidence.link, 'federated-credential');
    assert.equal(check(d, 'resource-access').status, 'skip');
    assert.equal(d.verdict, 'fail');
  });

  it('a subject with the wrong namespace → subjectNamespace, AADSTS700213', async () => {
    const id = await h.createIdentity('id-ns', { subject: 'system:serviceaccount:other:ns-sa' });
    await h.serviceAccount('ns-sa', id.clientId);
    const d = await diagnose('ns-sa');
    const fic = check(d, 'federated-credential');
    assert.equal(fic.status, 'fail');
    assert.deepEqual(fic.evidence.differences, ['subjectNamespace']);
    assert.deepEqual(fic.evidence.differenceDetails, [{ kind: 'subjectNamespace', namespace: 'other' }]);
    assert.equal(check(d, 'token-exchange').evidence.aadsts, 'AADSTS700213');
  });

  it('a subject that differs only in letter case → subjectCase, AADSTS7002138', async () => {
    const id = await h.createIdentity('id-case', { subject: 'system:serviceaccount:default:Case-SA' });
    await h.serviceAccount('case-sa', id.clientId);
    const d = await diagnose('case-sa');
    const fic = check(d, 'federated-credential');
    assert.deepEqual(fic.evidence.differences, ['subjectCase']);
    assert.equal((fic.evidence.closest as { subject: string }).subject, 'system:serviceaccount:default:Case-SA');
    assert.equal(check(d, 'token-exchange').evidence.aadsts, 'AADSTS7002138');
    assert.equal(check(d, 'token-exchange').evidence.link, 'federated-credential');
  });

  it('the wrong audience → audience, AADSTS700212', async () => {
    const id = await h.createIdentity('id-aud', {
      subject: 'system:serviceaccount:default:aud-sa',
      audience: 'api://SomethingElse',
    });
    await h.serviceAccount('aud-sa', id.clientId);
    const d = await diagnose('aud-sa');
    const fic = check(d, 'federated-credential');
    assert.deepEqual(fic.evidence.differences, ['audience']);
    assert.deepEqual((fic.evidence.closest as { audiences: string[] }).audiences, ['api://SomethingElse']);
    assert.equal(check(d, 'token-exchange').evidence.aadsts, 'AADSTS700212');
  });

  it('a pod without the label → pods fails with labelMissing', async () => {
    const working = await h.msi.userAssignedIdentities.get(SCENARIO.resourceGroup, SCENARIO.workingIdentity);
    await h.serviceAccount('nolabel-sa', working.clientId!);
    await h.pod('nolabel-app', 'nolabel-sa', { label: null });
    const d = await diagnose('nolabel-sa', { noExchange: true });
    const pods = check(d, 'pods');
    assert.equal(pods.status, 'fail');
    const rows = pods.evidence.pods as Array<{ name: string; problems: string[]; useLabel: string | null }>;
    assert.deepEqual(
      rows.map((r) => [r.name, r.useLabel, r.problems]),
      [['nolabel-app', null, ['labelMissing']]],
    );
    assert.equal(check(d, 'token-exchange').status, 'skip');
  });

  it('a pod created before the annotation → stale, fixed by restarting the workload', async () => {
    const working = await h.msi.userAssignedIdentities.get(SCENARIO.resourceGroup, SCENARIO.workingIdentity);
    await h.serviceAccount('stale-sa');
    await h.pod('stale-app', 'stale-sa');
    await new Promise((r) => setTimeout(r, 1100));
    const patched = await h.kube('PATCH', '/api/v1/namespaces/default/serviceaccounts/stale-sa', {
      metadata: { annotations: { 'azure.workload.identity/client-id': working.clientId } },
    });
    assert.equal(patched.status, 200, patched.text);
    const d = await diagnose('stale-sa', { noExchange: true });
    const pods = check(d, 'pods');
    assert.equal(pods.status, 'fail');
    assert.equal(pods.fix, 'workload-restart', JSON.stringify(pods.evidence));
    const row = (pods.evidence.pods as Array<{ problems: string[]; createdAt: string }>)[0]!;
    assert.deepEqual(row.problems, ['stale']);
    assert.ok(String(pods.evidence.annotationChangedAt) > row.createdAt);
  });

  it('no role on the vault → role-assignment fails, resource-access gets 403 and points at the role link', async () => {
    const id = await h.createIdentity('id-norole', { subject: 'system:serviceaccount:default:norole-sa' });
    await h.serviceAccount('norole-sa', id.clientId);
    await h.pod('norole-app', 'norole-sa');
    const d = await diagnose('norole-sa');
    const role = check(d, 'role-assignment');
    assert.equal(role.status, 'fail');
    assert.equal(role.fix, 'role-assignment');
    assert.equal(role.evidence.dataAction, 'Microsoft.KeyVault/vaults/secrets/getSecret/action');
    assert.match(String(role.evidence.targetFrom), /^KEYVAULT_URL=/);
    assert.equal(check(d, 'token-exchange').status, 'pass');
    const access = check(d, 'resource-access');
    assert.equal(access.status, 'fail');
    assert.equal(access.evidence.status, 403);
    assert.equal(access.evidence.link, 'role-assignment');
  });

  it('a client ID no identity has → identity fails naming AADSTS700016', async () => {
    const stray = randomUUID();
    await h.serviceAccount('stray-sa', stray);
    const d = await diagnose('stray-sa', { noExchange: true });
    const identity = check(d, 'identity');
    assert.equal(identity.status, 'fail');
    assert.equal(identity.evidence.clientId, stray);
    assert.equal(identity.evidence.aadsts, 'AADSTS700016');
    assert.equal(check(d, 'federated-credential').status, 'skip');
  });

  it('a ServiceAccount that does not exist → serviceaccount fails, later links skip with the reason', async () => {
    const d = await diagnose('nobody-sa');
    assert.equal(check(d, 'serviceaccount').status, 'fail');
    assert.equal(check(d, 'serviceaccount').evidence.exists, false);
    assert.equal(check(d, 'identity').status, 'skip');
    assert.match(check(d, 'identity').summary, /serviceaccount/);
  });

  it('a credential younger than the propagation delay → warn, then pass on Re-check', async () => {
    h.sandbox.setKnobs({ ficPropagationSeconds: 1.5 });
    try {
      const id = await h.createIdentity('id-young', { subject: 'system:serviceaccount:default:young-sa' });
      await h.serviceAccount('young-sa', id.clientId);
      const attempts: string[] = [];
      const d = await recheck(h.backend, opts, 'default', 'young-sa', {
        delays: [400, 800, 1600, 1600],
        onAttempt: (x) =>
          attempts.push(`${check(x, 'federated-credential').status}/${check(x, 'token-exchange').status}`),
      });
      assert.equal(attempts[0], 'warn/warn');
      assert.equal(attempts.at(-1), 'pass/pass');
      assert.equal(check(d, 'token-exchange').status, 'pass');
      assert.equal(d.propagation, false);
    } finally {
      h.sandbox.setKnobs({ ficPropagationSeconds: 0 });
    }
  });

  it('an issuer whose discovery document fails → issuer.discovery fails; Entra answers AADSTS90061', async () => {
    h.sandbox.setKnobs({ issuerErrorRate: 1 });
    try {
      const d = await diagnose(SCENARIO.serviceAccount);
      const disc = check(d, 'issuer.discovery');
      assert.equal(disc.status, 'fail');
      assert.equal((disc.evidence.failure as { stage: string; status: number }).status, 503);
      assert.equal((disc.evidence.failure as { stage: string }).stage, 'discovery');
      const x = check(d, 'token-exchange');
      assert.equal(x.evidence.aadsts, 'AADSTS90061');
      assert.equal(x.evidence.link, 'issuer.discovery');
    } finally {
      h.sandbox.setKnobs({ issuerErrorRate: 0 });
    }
  });

  it('workload identity turned off → cluster.workload-identity fails with the fix step', async () => {
    const { ContainerServiceClient } = await import('@azure/arm-containerservice');
    const aks = new ContainerServiceClient(h.credential, h.sandbox.subscriptionId, {
      ...h.armOptions,
      credentials: { scopes: h.armOptions.credentialScopes },
    } as ConstructorParameters<typeof ContainerServiceClient>[2]);
    const c = await aks.managedClusters.get(SCENARIO.resourceGroup, SCENARIO.clusterWithIssuer);
    await aks.managedClusters.createOrUpdate(
      SCENARIO.resourceGroup,
      SCENARIO.clusterWithIssuer,
      { ...c, securityProfile: { ...c.securityProfile, workloadIdentity: { enabled: false } } },
      { updateIntervalInMs: 10 },
    );
    const d = await diagnose(SCENARIO.serviceAccount, { noExchange: true });
    const wi = check(d, 'cluster.workload-identity');
    assert.equal(wi.status, 'fail');
    assert.equal(wi.fix, 'cluster.workload-identity');
    assert.equal(wi.evidence.workloadIdentityEnabled, false);
    assert.equal(check(d, 'cluster.oidc-issuer').status, 'pass');
  });
});
