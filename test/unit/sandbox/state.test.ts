import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ManagedServiceIdentityClient } from '@azure/arm-msi';
import { SCENARIO, teachingState } from '../../../src/sandbox/scenario';
import { startSandbox } from '../../../src/sandbox/server';
import { writeAtomic } from '../../../src/sandbox/store';
import { developerCredential } from './sandboxClients';

describe('sandbox state: JSON file, atomic replace, reset and empty', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kwi-state-'));
  const stateFile = join(dir, 'state.json');
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('persists across restarts, keeps the CA, and moves URLs to the new port', async () => {
    const first = await startSandbox({ stateFile });
    const msi = new ManagedServiceIdentityClient(developerCredential(first), first.subscriptionId, {
      endpoint: first.armEndpoint,
      tlsOptions: { ca: first.caPem },
      credentialScopes: ['https://management.azure.com/.default'],
    });
    const created = await msi.userAssignedIdentities.createOrUpdate(SCENARIO.resourceGroup, 'id-persisted', {
      location: 'eastus',
    });
    await first.close();
    assert.ok(existsSync(join(dir, 'ca.pem')));
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.endsWith('.tmp')),
      [],
      'no temp file left behind',
    );

    const second = await startSandbox({ stateFile });
    try {
      assert.equal(second.caPem, first.caPem, 'same CA: trust survives restarts');
      assert.equal(second.tenantId, first.tenantId);
      const identity = Object.values(second.state().identities).find((i) => i.name === 'id-persisted');
      assert.equal(identity?.clientId, created.clientId);
      const demo = Object.values(second.state().clusters).find((c) => c.name === SCENARIO.clusterWithIssuer)!;
      assert.ok(demo.issuerUrl!.startsWith(`${second.origin}/oidc/`), 'issuer moved to the new origin');
      const fic = Object.values(second.state().identities).find((i) => i.name === SCENARIO.workingIdentity)!
        .federatedCredentials[SCENARIO.workingCredential]!;
      assert.equal(fic.issuer, demo.issuerUrl, 'credential issuers move with it');
    } finally {
      await second.close();
    }
  });

  it('--reset restores the teaching scenario and keeps the tenant; --empty empties it', async () => {
    const before = JSON.parse(readFileSync(stateFile, 'utf8')) as { tenantId: string };
    const reset = await startSandbox({ stateFile, reset: true });
    assert.equal(reset.tenantId, before.tenantId);
    assert.ok(!Object.values(reset.state().identities).some((i) => i.name === 'id-persisted'));
    await reset.close();
    const empty = await startSandbox({ stateFile, empty: true });
    assert.equal(Object.keys(empty.state().clusters).length, 0);
    assert.equal(Object.keys(empty.state().subscriptions).length, 1);
    await empty.close();
  });

  it('writeAtomic replaces the whole file or nothing', () => {
    const file = join(dir, 'atomic.json');
    writeAtomic(file, '{"a":1}');
    writeAtomic(file, '{"a":2}');
    assert.equal(readFileSync(file, 'utf8'), '{"a":2}');
  });

  it('generates a large scale scenario quickly', () => {
    const start = process.hrtime.bigint();
    const state = teachingState('https://127.0.0.1:1', undefined, {
      identities: 1000,
      ficsPerIdentity: 5,
      clusters: 50,
    });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    assert.ok(Object.keys(state.identities).length >= 1000 + 50);
    assert.ok(Object.keys(state.clusters).length === 52);
    assert.ok(ms < 3000, `took ${ms} ms`);
  });
});
