import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ManagedServiceIdentityClient } from '@azure/arm-msi';
import { sandboxCredential } from '../../../src/azure/sandboxCredential';
import { lockFileFor, type OwnerLock } from '../../../src/sandbox/ownerLock';
import { findRunningSandbox, SandboxOwnedError, startSandbox } from '../../../src/sandbox/server';
import { all, rawRequest } from './sandboxClients';

describe('sandbox owner lock: one sandbox per state file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kwi-lock-'));
  const stateFile = join(dir, 'state.json');
  const lockFile = lockFileFor(stateFile);
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('the owner writes the lock; a second start is refused naming its origin; close removes the lock', async () => {
    const first = await startSandbox({ stateFile });
    try {
      const lock = JSON.parse(readFileSync(lockFile, 'utf8')) as OwnerLock;
      assert.equal(lock.pid, process.pid);
      assert.equal(lock.origin, first.origin);
      assert.equal(lock.port, Number(new URL(first.origin).port));
      await assert.rejects(
        startSandbox({ stateFile }),
        (e: unknown) => SandboxOwnedError.is(e) && e.message.includes(first.origin),
      );
      assert.equal(
        JSON.parse(readFileSync(lockFile, 'utf8')).instanceId,
        lock.instanceId,
        'the refused start leaves the lock alone',
      );
    } finally {
      await first.close();
    }
    assert.ok(!existsSync(lockFile), 'lock removed on close');
    assert.equal(await findRunningSandbox(stateFile), undefined);
  });

  it('findRunningSandbox attaches: same tenant and developer, a working connection', async () => {
    const owner = await startSandbox({ stateFile });
    try {
      const found = await findRunningSandbox(stateFile);
      assert.ok(found);
      assert.equal(found.origin, owner.origin);
      assert.equal(found.tenantId, owner.tenantId);
      assert.equal(found.developer.clientId, owner.developer.clientId);
      assert.equal(found.caPem, owner.caPem);
      assert.match(found.kubeconfig(), new RegExp(`server: ${owner.origin}/k8s/`));
      const credential = sandboxCredential(found);
      const msi = new ManagedServiceIdentityClient(credential, found.subscriptionId, {
        endpoint: found.armEndpoint,
        tlsOptions: { ca: found.caPem },
        credentialScopes: ['https://management.azure.com/.default'],
      });
      assert.ok((await all(msi.userAssignedIdentities.listBySubscription())).length >= 2);
      // The attached connection carries the owner's credentials: control token and cluster tokens.
      assert.equal(found.controlToken, owner.controlToken);
      const stats = await rawRequest(owner, 'GET', '/_sandbox/stats', {
        headers: { authorization: `Bearer ${found.controlToken}` },
      });
      assert.equal(stats.status, 200);
      const token = /token: (\S+)/.exec(found.kubeconfig())?.[1] ?? '';
      const guid = new RegExp(`server: ${owner.origin}/k8s/(\\S+)`).exec(found.kubeconfig())?.[1] ?? '';
      assert.equal(
        (
          await rawRequest(owner, 'GET', `/k8s/${guid}/api/v1/namespaces`, {
            headers: { authorization: `Bearer ${token}` },
          })
        ).status,
        200,
      );
    } finally {
      await owner.close();
    }
  });

  it('takes over a stale lock: a dead process, or a live one whose origin does not answer', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(dead.stdout);
    const stale = (pid: number, origin: string): string =>
      JSON.stringify({ pid, origin, port: 1, instanceId: 'old', stateFile, startedAt: '' });
    for (const content of [
      stale(deadPid, 'https://127.0.0.1:1'),
      stale(process.pid, 'https://127.0.0.1:1'),
      'not json',
    ]) {
      writeFileSync(lockFile, content);
      assert.equal(await findRunningSandbox(stateFile), undefined, `stale: ${content}`);
      const s = await startSandbox({ stateFile });
      try {
        assert.equal(
          (JSON.parse(readFileSync(lockFile, 'utf8')) as OwnerLock).origin,
          s.origin,
          `taken over: ${content}`,
        );
      } finally {
        await s.close();
      }
    }
  });

  it('a live lock that names another sandbox instance on the same port is stale too', async () => {
    const s = await startSandbox({ stateFile });
    try {
      const other = join(dir, 'other.json');
      // A lock for another file claiming this live origin, with a different instance ID: the probe tells them apart.
      writeFileSync(
        lockFileFor(other),
        JSON.stringify({
          pid: process.pid,
          origin: s.origin,
          port: 0,
          instanceId: 'someone-else',
          stateFile: other,
          startedAt: '',
        }),
      );
      const second = await startSandbox({ stateFile: other });
      await second.close();
    } finally {
      await s.close();
    }
  });
});
