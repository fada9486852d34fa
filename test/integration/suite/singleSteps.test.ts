// The single-step provisioning commands in a real VS Code, each run through its palette command
// against the in-process sandbox, with every prompt answered through the UI seam; each result is
// checked in the sandbox's state or through the cluster's API. Screenshots: the preview of the
// cluster operation and the progress notification while the operation runs.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { screenshot, sendJson, sleep, waitFor } from './helpers';
import { test } from './runner';
import { answering, apis, byLabel, previewShown, verdicts, type Answer } from './provisionHelpers';
import type { ProvisionTestApi } from '../../../src/vscode/provision/registerProvisioning';

const SUB = 'Sandbox subscription';
const CLUSTER = 'aks-legacy';
const RG = 'rg-workload-identity';
const IDENTITY = 'id-single-step';
const SA = 'single-step-sa';

type Result =
  | {
      writes?: number;
      plan: { steps: Array<{ id: string; state: string; error?: { code: string; message: string } }> };
    }
  | undefined;

/** Runs a palette command whose plan is previewed; applies (or cancels) it and returns its result. */
async function runPreviewed(
  provision: ProvisionTestApi,
  command: string,
  decide: 'apply' | 'cancel',
  look?: (html: string) => Promise<void> | void,
): Promise<Result> {
  const before = provision.preview().html;
  const running = vscode.commands.executeCommand<Result>(command);
  const html = await previewShown(provision, before);
  await look?.(html);
  assert.ok(await vscode.commands.executeCommand('kwi.provision.previewDecide', decide));
  return running;
}

function assertApplied(result: Result, what: string): void {
  assert.ok(result, `${what} returned nothing`);
  for (const s of result.plan.steps) {
    assert.ok(
      s.state === 'done' || s.state === 'applied',
      `${what}: ${s.id} ended ${s.state} ${JSON.stringify(s.error)}`,
    );
  }
}

test('provision: single steps from the palette — enable, identity, ServiceAccount, credential (20 limit), role, sample, restart', async () => {
  const { explorer, provision } = await apis();
  const backend = await explorer.provider.currentBackend();
  assert.ok(backend.ok, 'no sandbox backend');
  const sandbox = await explorer.sandbox();
  assert.ok(sandbox);
  const p = backend.backend.provision;
  const clusterRef = { subscriptionId: sandbox.subscriptionId, resourceGroup: RG, clusterName: CLUSTER };
  const cluster = () => Object.values(sandbox.state().clusters).find((c) => c.name === CLUSTER)!;
  const identity = () => Object.values(sandbox.state().identities).find((i) => i.name === IDENTITY);
  const knobs = sandbox.knobs();
  const asked: string[] = [];
  const confirmed: Array<{ key: string; message: string; detail: string }> = [];
  const ui = (
    picks: Record<string, Answer>,
    inputs: Record<string, string> = {},
    confirms: Record<string, boolean> = {},
  ) =>
    provision.overrideUi(
      answering(
        { subscription: byLabel(new RegExp(`^${SUB}$`)), cluster: byLabel(new RegExp(`^${CLUSTER}$`)), ...picks },
        inputs,
        confirms,
        asked,
        confirmed,
      ),
    );

  // 1. Enable OIDC Issuer and Workload Identity: warned first, a long-running operation with progress.
  assert.equal(cluster().oidcIssuerEnabled, false, 'aks-legacy starts without an issuer');
  sandbox.setKnobs({ lroSeconds: 6 });
  let restore = ui({}, {}, { enableIssuer: true, applyDestructive: true });
  try {
    const result = await runPreviewed(provision, 'kwi.provision.enableWorkloadIdentity', 'apply', async (html) => {
      assert.equal(verdicts(html)['cluster.oidc-issuer'], 'change', html);
      assert.match(html, /cannot be undone/);
      await sleep(2500);
      await screenshot('provision-single-enable-preview');
    });
    assertApplied(result, 'enable');
    const warning = confirmed.find((c) => c.key === 'enableIssuer');
    assert.ok(
      warning && /restarts its API server/.test(warning.detail) && /cannot be undone/.test(warning.detail),
      JSON.stringify(confirmed),
    );
    assert.equal(cluster().oidcIssuerEnabled, true);
    assert.equal(cluster().workloadIdentityEnabled, true);
  } finally {
    restore();
  }
  sandbox.setKnobs({ lroSeconds: knobs.lroSeconds });

  // 2. Create Managed Identity.
  restore = ui(
    { identityResourceGroup: byLabel(new RegExp(`^${RG}$`)), location: byLabel(/^eastus$/) },
    { identityName: IDENTITY, locationName: 'eastus' },
  );
  try {
    assertApplied(await runPreviewed(provision, 'kwi.provision.createIdentity', 'apply'), 'create identity');
    assert.ok(identity(), 'the identity exists in the sandbox');
  } finally {
    restore();
  }
  const clientId = identity()!.clientId;

  // 3. Create or Annotate ServiceAccount (in the cluster: a new one, annotated with the client ID).
  restore = ui(
    {
      serviceAccount: byLabel(/New ServiceAccount/),
      namespace: byLabel(/^default$/),
      identity: byLabel(new RegExp(`^${IDENTITY}$`)),
    },
    { serviceAccountName: SA },
  );
  try {
    assertApplied(await runPreviewed(provision, 'kwi.provision.annotateServiceAccount', 'apply'), 'annotate');
    const sas = await p.api.listClusterServiceAccounts(p.backend, clusterRef, 'default');
    assert.equal(sas.find((s) => s.name === SA)?.clientId, clientId, JSON.stringify(sas));
  } finally {
    restore();
  }

  // 4. Create Federated Credential: the preview counts the identity's credentials out of 20.
  const saPick = byLabel(new RegExp(`^default/${SA}$`));
  restore = ui(
    { serviceAccount: saPick, identity: byLabel(new RegExp(`^${IDENTITY}$`)) },
    { credentialName: 'fic-single-step' },
  );
  try {
    const result = await runPreviewed(provision, 'kwi.provision.createCredential', 'apply', (html) => {
      assert.equal(verdicts(html)['federated-credential'], 'create', html);
      assert.match(html, /0 of 20 federated credentials/);
    });
    assertApplied(result, 'credential');
    const fics = Object.values(identity()!.federatedCredentials);
    assert.deepEqual(
      fics.map((f) => f.subject),
      [`system:serviceaccount:default:${SA}`],
    );
  } finally {
    restore();
  }
  // Fill the identity up to 20 credentials; the 21st is refused in the preview, with the limit and the alternatives.
  const arm = p.backend.arm;
  const token = await arm.credential.getToken(arm.scope);
  assert.ok(token);
  const identityId = `/subscriptions/${sandbox.subscriptionId}/resourceGroups/${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${IDENTITY}`;
  for (let n = 2; n <= 20; n++) {
    const status = await sendJson(
      'PUT',
      `${sandbox.armEndpoint}${identityId}/federatedIdentityCredentials/fic-fill-${n}?api-version=2023-01-31`,
      sandbox.caPem,
      token.token,
      {
        properties: {
          issuer: `https://issuer.example/${n}/`,
          subject: `system:serviceaccount:default:fill-${n}`,
          audiences: ['api://AzureADTokenExchange'],
        },
      },
    );
    assert.ok(status === 200 || status === 201, `PUT credential ${n}: ${status}`);
  }
  restore = ui(
    {
      serviceAccount: byLabel(/New ServiceAccount/),
      namespace: byLabel(/^default$/),
      identity: byLabel(new RegExp(`^${IDENTITY}$`)),
    },
    { serviceAccountName: 'single-step-21st', credentialName: 'fic-twenty-first' },
  );
  try {
    await runPreviewed(provision, 'kwi.provision.createCredential', 'cancel', (html) => {
      assert.equal(verdicts(html)['federated-credential'], 'blocked', html);
      assert.match(html, /already holds 20 of 20 federated credentials/);
      assert.match(html, /Re-point Federated Credentials|another identity/);
    });
  } finally {
    restore();
  }

  // 5. Grant Role: the subscription's vault from the list, Key Vault Secrets User proposed first.
  restore = ui({
    identity: byLabel(new RegExp(`^${IDENTITY}$`)),
    target: byLabel(/kv-wi-demo/),
    role: (items) => {
      assert.equal(items[0]?.label, 'Key Vault Secrets User');
      return items[0]!.value;
    },
  });
  try {
    assertApplied(await runPreviewed(provision, 'kwi.provision.grantRole', 'apply'), 'grant role');
    const principalId = identity()!.principalId;
    assert.ok(
      Object.values(sandbox.state().roleAssignments).some((a) => a.principalId === principalId),
      'the role assignment exists',
    );
  } finally {
    restore();
  }

  // 6. Deploy Sample Workload: the tutorial's pod (`quick-start`). The teaching scenario already
  // runs one in `default` as another ServiceAccount, so the preview blocks the step (a second pod of
  // that name cannot exist) and nothing is written.
  restore = ui(
    { serviceAccount: saPick },
    { vaultUrl: 'https://kv-wi-demo.vault.azure.net/', secretName: 'my-secret' },
  );
  try {
    const writes = sandbox.stats().writes;
    const result = await runPreviewed(provision, 'kwi.provision.deploySample', 'apply', (html) => {
      assert.equal(verdicts(html)['sample-workload'], 'blocked', html.slice(html.indexOf('<body')));
      assert.match(html, /quick-start/);
    });
    assert.equal(result, undefined, 'nothing to apply');
    assert.equal(sandbox.stats().writes, writes);
  } finally {
    restore();
  }

  // 7. Restart Workloads Using ServiceAccount: the sample is a bare pod (listed, never deleted): the command ends without deleting it.
  restore = ui({ serviceAccount: saPick });
  try {
    const running = vscode.commands.executeCommand<Result>('kwi.provision.restartWorkloads');
    const before = provision.preview().html;
    const shown = await waitFor(
      () => {
        const { html } = provision.preview();
        return html && html !== before ? html : undefined;
      },
      'the restart preview',
      60_000,
    );
    assert.ok(shown.includes('workload-restart'), 'the preview shows the restart step');
    if (shown.includes('data-decision="apply"')) {
      await vscode.commands.executeCommand('kwi.provision.previewDecide', 'cancel');
    }
    await running;
    const pods = await p.api.listClusterServiceAccounts(p.backend, clusterRef, 'default');
    assert.ok(
      pods.some((s) => s.name === SA),
      'the ServiceAccount is still there',
    );
  } finally {
    restore();
  }
}, 300_000);

test('provision: the progress notification names the running step while the cluster operation runs', async () => {
  const { explorer, provision } = await apis();
  const sandbox = await explorer.sandbox();
  assert.ok(sandbox);
  const knobs = sandbox.knobs();
  sandbox.setKnobs({ lroSeconds: 8 });
  const asked: string[] = [];
  const confirmed: Array<{ key: string; message: string; detail: string }> = [];
  // Disable Workload Identity on aks-legacy: one more cluster operation, long enough to be seen.
  const restore = provision.overrideUi(
    answering(
      { subscription: byLabel(new RegExp(`^${SUB}$`)), cluster: byLabel(new RegExp(`^${CLUSTER}$`)) },
      {},
      { disableWorkloadIdentity: true, applyDestructive: true },
      asked,
      confirmed,
    ),
  );
  try {
    const before = provision.preview().html;
    const running = vscode.commands.executeCommand<Result>('kwi.provision.disableWorkloadIdentity');
    await previewShown(provision, before);
    assert.ok(await vscode.commands.executeCommand('kwi.provision.previewDecide', 'apply'));
    await sleep(2500);
    await screenshot('provision-progress-operation');
    assertApplied(await running, 'disable');
    const c = Object.values(sandbox.state().clusters).find((x) => x.name === CLUSTER)!;
    assert.equal(c.workloadIdentityEnabled, false);
  } finally {
    restore();
    sandbox.setKnobs({ lroSeconds: knobs.lroSeconds });
  }
}, 120_000);

test('provision: Create or Annotate ServiceAccount on a workspace manifest adds the annotation and changes nothing else', async () => {
  const { explorer, provision } = await apis();
  assert.ok((await explorer.provider.currentBackend()).ok, 'no sandbox backend');
  const sandbox = await explorer.sandbox();
  assert.ok(sandbox);
  const demo = Object.values(sandbox.state().identities).find((i) => i.name === 'id-wi-demo');
  assert.ok(demo, 'the scenario has id-wi-demo');
  const folder = vscode.workspace.workspaceFolders![0]!.uri;
  const uri = vscode.Uri.joinPath(folder, 'app', 'annotate-me.yaml');
  const original = [
    '# A ServiceAccount the team keeps in Git: comments and labels must survive.',
    'apiVersion: v1',
    'kind: ServiceAccount',
    'metadata:',
    '  name: annotate-me',
    '  namespace: default',
    '  labels:',
    '    team: payments # owner',
    '',
  ].join('\n');
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(original));
  // The core index (not a second scan) is what offers it: wait until it has seen the file.
  const fromManifest: Answer = (items) => {
    const hit = items.find(
      (i) => i.label === 'default/annotate-me' && /annotate-me\.yaml$/.test(String(i.description ?? '')),
    );
    assert.ok(hit, `no manifest item among [${items.map((i) => `${i.label} ${i.description ?? ''}`).join(', ')}]`);
    return hit.value;
  };
  const asked: string[] = [];
  const restore = provision.overrideUi(
    answering(
      {
        subscription: byLabel(new RegExp(`^${SUB}$`)),
        cluster: byLabel(/^aks-wi-demo$/),
        serviceAccount: fromManifest,
        identity: byLabel(/^id-wi-demo$/),
      },
      {},
      {},
      asked,
      [],
    ),
  );
  try {
    await waitFor(
      async () => ((await vscode.workspace.findFiles('app/annotate-me.yaml')).length ? true : undefined),
      'the new manifest on disk',
    );
    await sleep(1500); // the index picks the file up from the watcher
    assertApplied(await runPreviewed(provision, 'kwi.provision.annotateServiceAccount', 'apply'), 'annotate manifest');
    const text = await waitFor(async () => {
      const t = (await vscode.workspace.openTextDocument(uri)).getText();
      return t.includes(demo.clientId) ? t : undefined;
    }, 'the annotation in the manifest');
    // Only lines were added: removing them gives the original back, byte for byte.
    const added = text.split('\n').filter((l) => !original.split('\n').includes(l));
    assert.deepEqual(
      text.split('\n').filter((l) => !added.includes(l)),
      original.split('\n'),
    );
    assert.ok(
      added.some(
        (l) =>
          l.trim() === `azure.workload.identity/client-id: "${demo.clientId}"` ||
          l.trim() === `azure.workload.identity/client-id: ${demo.clientId}`,
      ),
      added.join(' | '),
    );
    assert.ok(added.length <= 2, `a minimal edit: ${added.join(' | ')}`);
  } finally {
    restore();
    await vscode.commands.executeCommand('workbench.action.files.saveAll');
    await vscode.workspace.fs.delete(uri);
  }
}, 120_000);
