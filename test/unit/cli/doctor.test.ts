import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ManagedServiceIdentityClient } from '@azure/arm-msi';
import { runDoctor } from '../../../src/cli/doctor';
import { CHECK_IDS } from '../../../src/core/diagnosis/types';
import { SCENARIO } from '../../../src/sandbox/scenario';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/server';
import { developerCredential, rawRequest } from '../sandbox/sandboxClients';

function sink() {
  let text = '';
  return {
    write: (t: string) => {
      text += t;
    },
    get text() {
      return text;
    },
  };
}

async function doctor(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = sink();
  const err = sink();
  const code = await runDoctor(args, out, err, { LANG: 'en_US.UTF-8' });
  return { code, out: out.text, err: err.text };
}

describe('kwi doctor', () => {
  let dir: string;
  let stateFile: string;
  let sandbox: RunningSandbox;
  const base = () => [
    '--sandbox',
    stateFile,
    '--cluster',
    SCENARIO.clusterWithIssuer,
    '--resource-group',
    SCENARIO.resourceGroup,
  ];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kwi-doctor-'));
    stateFile = join(dir, 'state.json');
    // Owning the state file, as `kwi sandbox` would: the CLI attaches to it.
    sandbox = await startSandbox({ port: 0, stateFile });
    const msi = new ManagedServiceIdentityClient(developerCredential(sandbox), sandbox.subscriptionId, {
      endpoint: sandbox.armEndpoint,
      tlsOptions: { ca: sandbox.caPem },
      credentialScopes: ['https://management.azure.com/.default'],
    });
    const cluster = Object.values(sandbox.state().clusters).find((c) => c.name === SCENARIO.clusterWithIssuer)!;
    const guid = cluster.guid;
    for (const [sa, identity] of [
      [SCENARIO.serviceAccount, SCENARIO.workingIdentity],
      [SCENARIO.brokenServiceAccount, SCENARIO.brokenIdentity],
    ] as const) {
      const clientId = (await msi.userAssignedIdentities.get(SCENARIO.resourceGroup, identity)).clientId!;
      const r = await rawRequest(sandbox, 'POST', `/k8s/${guid}/api/v1/namespaces/default/serviceaccounts`, {
        headers: { authorization: `Bearer ${cluster.clientToken ?? ''}` },
        body: {
          apiVersion: 'v1',
          kind: 'ServiceAccount',
          metadata: { name: sa, namespace: 'default', annotations: { 'azure.workload.identity/client-id': clientId } },
        },
      });
      assert.equal(r.status, 201, r.text);
    }
  });
  after(async () => {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('exit 0 and the JSON shape for a working ServiceAccount', async () => {
    const { code, out, err } = await doctor([
      ...base(),
      '--namespace',
      'default',
      '--service-account',
      SCENARIO.serviceAccount,
      '--format',
      'json',
    ]);
    assert.equal(err, '');
    assert.equal(code, 0, out);
    const json = JSON.parse(out) as {
      serviceAccount: string;
      checks: Array<{ id: string; status: string; summary: string; evidence: object; fix?: string }>;
    };
    assert.deepEqual(Object.keys(json), ['serviceAccount', 'checks']);
    assert.equal(json.serviceAccount, `default/${SCENARIO.serviceAccount}`);
    assert.deepEqual(
      json.checks.map((c) => c.id),
      [...CHECK_IDS],
    );
    for (const c of json.checks) {
      assert.ok(['pass', 'warn', 'fail', 'skip'].includes(c.status));
      assert.equal(typeof c.summary, 'string');
      assert.equal(typeof c.evidence, 'object');
      assert.ok(Object.keys(c).every((k) => ['id', 'status', 'summary', 'evidence', 'fix'].includes(k)));
    }
    assert.equal(json.checks.find((c) => c.id === 'token-exchange')!.status, 'pass');
    assert.doesNotMatch(out, /eyJ[A-Za-z0-9_-]{5,}\./, 'no token in the output');
    assert.ok(!out.includes(sandbox.developer.clientSecret));
  });

  it('exit 1 with the broken link and its fix step in text and JSON', async () => {
    const text = await doctor([
      ...base(),
      '--namespace',
      'default',
      '--service-account',
      SCENARIO.brokenServiceAccount,
    ]);
    assert.equal(text.code, 1);
    assert.match(
      text.out,
      /✘ fail federated-credential\s+Credential 'fic-wi-noslash' almost matches, but: the issuer differs by a trailing slash/,
    );
    assert.match(text.out, /Fix: federated-credential/);
    assert.match(text.out, /AADSTS70021/);
    const json = await doctor([
      ...base(),
      '--namespace',
      'default',
      '--service-account',
      SCENARIO.brokenServiceAccount,
      '--format',
      'json',
      '--no-exchange',
    ]);
    assert.equal(json.code, 1);
    const fic = (
      JSON.parse(json.out) as {
        checks: Array<{ id: string; status: string; fix?: string; evidence: { differences?: string[] } }>;
      }
    ).checks.find((c) => c.id === 'federated-credential')!;
    assert.deepEqual(
      [fic.status, fic.fix, fic.evidence.differences],
      ['fail', 'federated-credential', ['issuerTrailingSlash']],
    );
    assert.equal(
      (JSON.parse(json.out) as { checks: Array<{ id: string; status: string }> }).checks.find(
        (c) => c.id === 'token-exchange',
      )!.status,
      'skip',
    );
  });

  it('--all: one result per annotated ServiceAccount, exit 1 when any failed', async () => {
    const { code, out } = await doctor([...base(), '--all', '--format', 'json', '--no-exchange']);
    assert.equal(code, 1);
    const results = JSON.parse(out) as Array<{ serviceAccount: string }>;
    assert.deepEqual(results.map((r) => r.serviceAccount).sort(), [
      `default/${SCENARIO.brokenServiceAccount}`,
      `default/${SCENARIO.serviceAccount}`,
    ]);
  });

  it('exit 2 for bad usage, changing nothing', async () => {
    for (const args of [
      ['--cluster', 'x', '--resource-group', 'rg'],
      [...base(), '--namespace', 'default'],
      [...base(), '--all', '--namespace', 'default'],
      [...base(), '--all', '--format', 'yaml'],
      [...base(), '--all', '--bogus'],
      [...base(), '--all', '--scope', 'kv-wi-demo'],
    ]) {
      const r = await doctor(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.err, /^kwi doctor: .+\nUsage: kwi doctor/);
      assert.equal(r.out, '');
    }
  });

  it('exit 2 when no sandbox owns the state file', async () => {
    const r = await doctor(['--sandbox', join(dir, 'none.json'), '--cluster', 'c', '--resource-group', 'rg', '--all']);
    assert.equal(r.code, 2);
    assert.match(r.err, /no 'kwi sandbox' is running on .*none\.json/);
  });
});
