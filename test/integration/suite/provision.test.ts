// Provisioning in a real VS Code, against the in-process sandbox: Set Up Workload Identity…
// runs from the palette with every quick pick and input box answered through the UI seam, the
// preview (a webview) is looked at and applied, and the result is checked in the explorer tree;
// then Re-point Federated Credentials and Undo the same way.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { screenshot, sendJson, sleep, waitFor } from './helpers';
import { test } from './runner';
import { answering, apis, byLabel, previewShown, treeLabels, verdicts } from './provisionHelpers';

const SUB = 'Sandbox subscription';
const CLUSTER = 'aks-wi-demo';
const SA = 'provision-test-sa';
const IDENTITY = 'id-provision-test';
const RG = 'rg-workload-identity';

test('provision: Set Up Workload Identity… from the palette, previewed and applied against the sandbox', async () => {
  const { explorer, provision } = await apis();
  const backend = await explorer.provider.currentBackend();
  assert.ok(backend.ok, 'no sandbox backend');
  const sandbox = await explorer.sandbox();
  assert.ok(sandbox);
  const asked: string[] = [];
  const confirmed: Array<{ key: string; message: string; detail: string }> = [];
  const restore = provision.overrideUi(
    answering(
      {
        subscription: byLabel(new RegExp(`^${SUB}$`)),
        cluster: byLabel(new RegExp(`^${CLUSTER}$`)),
        serviceAccount: byLabel(/New ServiceAccount/),
        namespace: byLabel(/^default$/),
        identity: byLabel(/New managed identity/),
        identityResourceGroup: byLabel(new RegExp(`^${RG}$`)),
        location: byLabel(/^eastus$/),
        // The subscription's vaults are listed beside "Enter a resource ID…".
        target: byLabel(/kv-wi-demo/),
        role: (items) => {
          // A Key Vault target proposes Key Vault Secrets User first.
          assert.equal(items[0]?.label, 'Key Vault Secrets User');
          return items[0].value;
        },
      },
      { serviceAccountName: SA, identityName: IDENTITY },
      {},
      asked,
      confirmed,
    ),
  );
  try {
    const before = provision.preview().html;
    const running = vscode.commands.executeCommand<
      { writes: number; plan: { steps: Array<{ id: string; state: string }> } } | undefined
    >('kwi.provision.setup');
    const html = await previewShown(provision, before);
    const v = verdicts(html);
    assert.equal(v['cluster.oidc-issuer'], 'done', JSON.stringify(v));
    assert.equal(v['cluster.workload-identity'], 'done', JSON.stringify(v));
    assert.equal(v.identity, 'create', JSON.stringify(v));
    assert.equal(v['federated-credential'], 'create', JSON.stringify(v));
    assert.equal(v['role-assignment'], 'create', JSON.stringify(v));
    assert.ok(
      html.includes(IDENTITY) &&
        html.includes(`system:serviceaccount:default:${SA}`) &&
        html.includes('Key Vault Secrets User'),
      'preview lacks the plan values',
    );
    assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
    assert.doesNotMatch(html, /(src|href)=["']?https?:/, 'the preview loads no remote content');
    // The webview's frame loads asynchronously in the workbench: give it time to paint.
    await sleep(2500);
    await screenshot('provision-preview');
    assert.ok(await vscode.commands.executeCommand('kwi.provision.previewDecide', 'apply'));
    // The preview becomes the progress view: each step's state as it changes.
    await waitFor(
      () =>
        [...provision.preview().live.values()].some((l) => l.state === 'running' || l.state === 'waiting')
          ? true
          : undefined,
      'a step shown running',
      15_000,
    );
    await sleep(500);
    await screenshot('provision-progress');
    const result = await running;
    assert.equal(
      provision.preview().live.get('identity')?.state,
      'applied',
      JSON.stringify([...provision.preview().live]),
    );
    assert.ok(result, `setup returned nothing; prompts: ${asked.join(' ')}`);
    const states = Object.fromEntries(result.plan.steps.map((s) => [s.id, s.state]));
    for (const [id, state] of Object.entries(states)) {
      assert.ok(state === 'done' || state === 'applied', `${id} ended ${state}: ${JSON.stringify(states)}`);
    }
    assert.ok(result.writes >= 3, `writes ${result.writes}`);
    assert.deepEqual(asked, [
      'pick:subscription',
      'pick:cluster',
      'pick:serviceAccount',
      'pick:namespace',
      'input:serviceAccountName',
      'pick:identity',
      'input:identityName',
      'pick:identityResourceGroup',
      'pick:location',
      'pick:target',
      'pick:role',
    ]);
    // The tree shows the new identity with its credential for the ServiceAccount.
    assert.ok((await treeLabels(explorer, SUB, 'Managed identities')).includes(IDENTITY));
    const creds = await treeLabels(explorer, SUB, 'Managed identities', IDENTITY, 'Federated credentials');
    assert.equal(creds.length, 1, creds.join(', '));
    assert.equal(provision.journals().length >= 1, true);
    await screenshot('provision-result');
  } finally {
    restore();
  }
}, 240_000);

test('provision: Re-point Federated Credentials finds a credential of an old issuer, re-creates it for the current one and deletes the stale one', async () => {
  const { explorer, provision } = await apis();
  const backend = await explorer.provider.currentBackend();
  assert.ok(backend.ok);
  const sandbox = await explorer.sandbox();
  assert.ok(sandbox);
  // A credential on id-wi-demo that trusts the issuer of a cluster that no longer exists (re-created: new issuer URL).
  const identityId = `/subscriptions/${sandbox.subscriptionId}/resourceGroups/${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-wi-demo`;
  const oldIssuer = `${sandbox.origin}/oidc/eastus/${sandbox.tenantId}/00000000-0000-4000-8000-000000000001/`;
  const arm = backend.backend.provision.backend.arm;
  const token = await arm.credential.getToken(arm.scope);
  assert.ok(token);
  const status = await sendJson(
    'PUT',
    `${sandbox.armEndpoint}${identityId}/federatedIdentityCredentials/fic-old-cluster?api-version=2023-01-31`,
    sandbox.caPem,
    token.token,
    {
      properties: {
        issuer: oldIssuer,
        subject: `system:serviceaccount:default:${SA}`,
        audiences: ['api://AzureADTokenExchange'],
      },
    },
  );
  assert.ok(status === 200 || status === 201, `PUT credential: ${status}`);
  const asked: string[] = [];
  const confirmed: Array<{ key: string; message: string; detail: string }> = [];
  const restore = provision.overrideUi(
    answering(
      {
        subscription: byLabel(new RegExp(`^${SUB}$`)),
        cluster: byLabel(new RegExp(`^${CLUSTER}$`)),
        staleCredentials: (items) => {
          // The scenario holds other stale credentials too (an issuer written without its slash): pick ours.
          const ours = items.filter((i) => i.label === 'id-wi-demo/fic-old-cluster');
          assert.equal(ours.length, 1, items.map((i) => i.label).join(', '));
          return ours.map((i) => i.value);
        },
        deleteStale: byLabel(/then delete the stale ones/),
      },
      {},
      { deleteStale: true, applyDestructive: true },
      asked,
      confirmed,
    ),
  );
  try {
    const before = provision.preview().html;
    const running = vscode.commands.executeCommand<
      { plan: { steps: Array<{ id: string; state: string }> } } | undefined
    >('kwi.provision.repointCredentials');
    const html = await previewShown(provision, before);
    assert.ok(html.includes(oldIssuer) || html.includes('fic-old-cluster'), 'the preview names the stale credential');
    assert.ok(await vscode.commands.executeCommand('kwi.provision.previewDecide', 'apply'));
    const result = await running;
    assert.ok(result, `re-point returned nothing; prompts: ${asked.join(' ')}`);
    for (const s of result.plan.steps) {
      assert.ok(s.state === 'done' || s.state === 'applied', `${s.id} ended ${s.state}`);
    }
    // The modal said what stops working before anything was deleted.
    const modal = confirmed.find((c) => c.key === 'deleteStale');
    assert.ok(
      modal && modal.detail.includes(oldIssuer) && /stops signing in/.test(modal.detail),
      JSON.stringify(confirmed),
    );
    const creds = await treeLabels(explorer, SUB, 'Managed identities', 'id-wi-demo', 'Federated credentials');
    assert.ok(!creds.includes('fic-old-cluster'), creds.join(', '));
    assert.ok(creds.length >= 2, `expected fic-wi-demo and the re-pointed credential: ${creds.join(', ')}`);
  } finally {
    restore();
  }
}, 180_000);

test('provision: Undo removes what the setup run created, after a modal naming what stops working', async () => {
  const { explorer, provision } = await apis();
  const asked: string[] = [];
  const confirmed: Array<{ key: string; message: string; detail: string }> = [];
  const restore = provision.overrideUi(
    answering(
      {
        journal: (items) => {
          const setup = items.find((i) => /^setup /.test(i.label));
          assert.ok(setup, items.map((i) => i.label).join(', '));
          return setup.value;
        },
      },
      {},
      { undo: true },
      asked,
      confirmed,
    ),
  );
  try {
    const result = await vscode.commands.executeCommand<
      { items: Array<{ resource: string; state: string }> } | undefined
    >('kwi.provision.undo');
    assert.ok(result, `undo returned nothing; prompts: ${asked.join(' ')}`);
    const modal = confirmed.find((c) => c.key === 'undo');
    assert.ok(modal && modal.detail.includes(IDENTITY), JSON.stringify(confirmed));
    for (const i of result.items) assert.ok(i.state === 'removed' || i.state === 'absent', `${i.resource}: ${i.state}`);
    assert.ok(!(await treeLabels(explorer, SUB, 'Managed identities')).includes(IDENTITY));
    // Resources that existed before the run are untouched.
    assert.ok((await treeLabels(explorer, SUB, 'Managed identities')).includes('id-wi-demo'));
  } finally {
    restore();
  }
}, 120_000);
