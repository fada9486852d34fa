import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ManagedServiceIdentityClient } from '@azure/arm-msi';
import { SCENARIO } from '../../../src/sandbox/scenario';
import { startSandbox } from '../../../src/sandbox/server';
import { FILE_WRITER, Store, type StateWriter } from '../../../src/sandbox/store';
import { runCliSandbox, startCliSandbox } from './cliProcess';
import { developerCredential, rawRequest } from './sandboxClients';

/** A writer that fails like a full disk when told to (the short write of a real ENOSPC). */
function flakyWriter(): StateWriter & { failing: boolean; failures: number } {
  const w = {
    failing: false,
    failures: 0,
    replace(file: string, text: string) {
      if (w.failing) {
        w.failures++;
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      }
      FILE_WRITER.replace(file, text);
    },
    append(file: string, text: string) {
      if (w.failing) {
        w.failures++;
        // Half the line reaches the disk, then the device is full.
        FILE_WRITER.append(file, text.slice(0, Math.floor(text.length / 2)));
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      }
      FILE_WRITER.append(file, text);
    },
  };
  return w;
}

describe('sandbox state durability', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kwi-durable-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a failing save: writes answer 503 (ARM and Kubernetes envelopes), reads are served, then it recovers', async () => {
    const stateFile = join(dir, 'flaky', 'state.json');
    const writer = flakyWriter();
    const logs: string[] = [];
    const s = await startSandbox({ stateFile, writer, log: (l) => logs.push(l) });
    try {
      const msi = new ManagedServiceIdentityClient(developerCredential(s), s.subscriptionId, {
        endpoint: s.armEndpoint,
        tlsOptions: { ca: s.caPem },
        credentialScopes: ['https://management.azure.com/.default'],
        retryOptions: { maxRetries: 0 },
      });
      await msi.userAssignedIdentities.createOrUpdate(SCENARIO.resourceGroup, 'id-before', { location: 'eastus' });
      const token = (await developerCredential(s).getToken('https://management.azure.com/.default'))!.token;
      writer.failing = true;
      const put = (name: string) =>
        rawRequest(
          s,
          'PUT',
          `/subscriptions/${s.subscriptionId}/resourceGroups/${SCENARIO.resourceGroup}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}?api-version=2023-01-31`,
          { headers: { authorization: `Bearer ${token}` }, body: { location: 'eastus' } },
        );
      const failed = await put('id-during');
      assert.equal(failed.status, 503);
      assert.equal((failed.json() as { error: { code: string } }).error.code, 'ServiceUnavailable');
      assert.equal(logs.filter((l) => l.includes('cannot save')).length, 1, 'logged once');
      assert.ok(!logs.join('\n').includes(s.developer.clientSecret), 'no secret in the log');
      // Kubernetes writes too, in a Status.
      const cluster = Object.values(s.state().clusters).find((c) => c.name === SCENARIO.clusterWithIssuer)!;
      const kube = await rawRequest(s, 'POST', `/k8s/${cluster.guid}/api/v1/namespaces/default/serviceaccounts`, {
        headers: { authorization: `Bearer ${cluster.clientToken!}` },
        body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'sa-during' } },
      });
      assert.equal(kube.status, 503);
      assert.equal((kube.json() as { kind: string }).kind, 'Status');
      // Reads are served from memory.
      const read = await msi.userAssignedIdentities.get(SCENARIO.resourceGroup, 'id-before');
      assert.equal(read.name, 'id-before');
      // The file on disk is still a whole, valid state.
      assert.ok(Store.read(stateFile));
      writer.failing = false;
      const ok = await put('id-after');
      assert.equal(ok.status, 201);
      assert.ok(logs.some((l) => l.includes('saved again')));
    } finally {
      await s.close();
    }
    const again = await startSandbox({ stateFile });
    try {
      const names = Object.values(again.state().identities).map((i) => i.name);
      assert.ok(names.includes('id-before') && names.includes('id-after'), names.join(','));
    } finally {
      await again.close();
    }
  });

  it('writeAtomic under a file-size limit: the target stays byte-identical and no temp file is left', () => {
    const file = join(dir, 'atomic', 'state.json');
    const storeJs = join(__dirname, '..', '..', '..', 'src', 'sandbox', 'store.js');
    spawnSync(process.execPath, [
      '-e',
      `require(${JSON.stringify(storeJs)}).writeAtomic(${JSON.stringify(file)}, JSON.stringify({ small: true }))`,
    ]);
    const original = readFileSync(file);
    // ulimit -f 8 = 8 KiB; SIGXFSZ ignored so the write fails with EFBIG instead of killing node.
    const r = spawnSync(
      'bash',
      [
        '-c',
        `trap '' XFSZ; ulimit -f 8; exec "$0" -e "$1"`,
        process.execPath,
        `require(${JSON.stringify(storeJs)}).writeAtomic(${JSON.stringify(file)}, 'x'.repeat(200000))`,
      ],
      { encoding: 'utf8' },
    );
    assert.notEqual(r.status, 0, 'the write failed');
    assert.match(r.stderr, /EFBIG|short write/);
    assert.deepEqual(readFileSync(file), original);
    assert.deepEqual(
      readdirSync(join(dir, 'atomic')).filter((f) => f.endsWith('.tmp')),
      [],
    );
  });

  it('removes stale state.json.*.tmp files at start', async () => {
    const stateFile = join(dir, 'stale', 'state.json');
    const first = await startSandbox({ stateFile });
    await first.close();
    writeFileSync(join(dir, 'stale', 'state.json.4242.tmp'), '{"schema":1,"developer":{"clientSecret":"leaked"}}');
    writeFileSync(join(dir, 'stale', 'state.json.77.tmp'), '{');
    const logs: string[] = [];
    const s = await startSandbox({ stateFile, log: (l) => logs.push(l) });
    await s.close();
    assert.deepEqual(
      readdirSync(join(dir, 'stale')).filter((f) => f.endsWith('.tmp')),
      [],
    );
    assert.ok(logs.some((l) => l.includes('removed 2 temporary file')));
  });

  it('a half-valid state ({"schema":1}): the CLI exits non-zero at once, naming the problem, and leaves no lock', async () => {
    const stateFile = join(dir, 'half', 'state.json');
    rmSync(join(dir, 'half'), { recursive: true, force: true });
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'half'));
    writeFileSync(stateFile, '{"schema":1}');
    const r = await runCliSandbox(['--state', stateFile, '--port', '0']);
    assert.equal(r.timedOut, false, 'the process exited by itself');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /cannot start: .*state\.json is not a valid sandbox state: 'origin' is missing/);
    assert.equal(existsSync(`${stateFile}.lock`), false);
    assert.equal(readFileSync(stateFile, 'utf8'), '{"schema":1}', 'the bad file is left as it was');
    // Deeper damage is found too.
    const good = await startSandbox({ stateFile: join(dir, 'half', 'good.json') });
    await good.close();
    const state = JSON.parse(readFileSync(join(dir, 'half', 'good.json'), 'utf8')) as {
      clusters: Record<string, { kube?: unknown }>;
    };
    delete Object.values(state.clusters)[0]!.kube;
    writeFileSync(stateFile, JSON.stringify(state));
    await assert.rejects(startSandbox({ stateFile }), /clusters\..*\.kube' is missing/);
    assert.equal(existsSync(`${stateFile}.lock`), false);
  });

  it('files holding secrets are 0600 and ca.pem 0644 whatever the umask; an existing kubeconfig is tightened to 0600', async () => {
    const sub = join(dir, 'modes');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(sub);
    const kubeconfig = join(sub, 'kubeconfig');
    writeFileSync(kubeconfig, 'apiVersion: v1\n');
    chmodSync(kubeconfig, 0o644);
    const cli = await startCliSandbox(
      ['--state', join(sub, 'state.json'), '--port', '0', '--kubeconfig', kubeconfig],
      'umask 000;',
    );
    try {
      const mode = (f: string) => (statSync(join(sub, f)).mode & 0o777).toString(8);
      assert.equal(mode('kubeconfig'), '600');
      assert.equal(mode('state.json'), '600');
      assert.equal(mode('ca-key.pem'), '600');
      assert.equal(mode('ca.pem'), '644');
      assert.match(readFileSync(kubeconfig, 'utf8'), /token: [0-9a-f]{64}/);
    } finally {
      // Only the modes are under test here: stop it however it ends.
      cli.child.kill('SIGKILL');
      await cli.exited;
    }
  });
});

describe('sandbox parent and child writes', () => {
  it('after an identity DELETE, a federated credential PUT on it is 404 — also when the two overlap', async () => {
    const s = await startSandbox({});
    try {
      const msi = new ManagedServiceIdentityClient(developerCredential(s), s.subscriptionId, {
        endpoint: s.armEndpoint,
        tlsOptions: { ca: s.caPem },
        credentialScopes: ['https://management.azure.com/.default'],
        retryOptions: { maxRetries: 0 },
      });
      const fic = {
        issuer: 'https://issuer.example/',
        subject: 'system:serviceaccount:default:sa',
        audiences: ['api://AzureADTokenExchange'],
      };
      await msi.userAssignedIdentities.createOrUpdate(SCENARIO.resourceGroup, 'id-parent', { location: 'eastus' });
      await msi.userAssignedIdentities.delete(SCENARIO.resourceGroup, 'id-parent');
      const after = await msi.federatedIdentityCredentials
        .createOrUpdate(SCENARIO.resourceGroup, 'id-parent', 'fic', fic)
        .then(
          () => 0,
          (e: { statusCode?: number }) => e.statusCode,
        );
      assert.equal(after, 404);
      for (let i = 0; i < 5; i++) {
        const name = `id-race-${i}`;
        await msi.userAssignedIdentities.createOrUpdate(SCENARIO.resourceGroup, name, { location: 'eastus' });
        // Which answer came first decides what is correct: a PUT acknowledged before the DELETE's
        // answer is a credential the DELETE then removed with its parent; one answered after the
        // DELETE's 200 must be a 404 (the defect was a 201 there, for a credential that no longer existed).
        let deleted = false;
        const put = msi.federatedIdentityCredentials.createOrUpdate(SCENARIO.resourceGroup, name, 'fic', fic).then(
          () => ({ status: 201, afterDelete: deleted }),
          (e: { statusCode?: number }) => ({ status: e.statusCode, afterDelete: deleted }),
        );
        await new Promise((r) => setTimeout(r, 5));
        await msi.userAssignedIdentities.delete(SCENARIO.resourceGroup, name);
        deleted = true;
        const answer = await put;
        if (answer.afterDelete) {
          assert.equal(answer.status, 404, 'the PUT that waited behind the DELETE is not acknowledged');
        } else assert.ok(answer.status === 201 || answer.status === 404, String(answer.status));
        assert.ok(!Object.values(s.state().identities).some((x) => x.name === name));
        const listed = await msi.federatedIdentityCredentials
          .list(SCENARIO.resourceGroup, name)
          .next()
          .then(
            () => 200,
            (e: { statusCode?: number }) => e.statusCode,
          );
        assert.equal(listed, 404, 'no credential outlives its identity');
      }
    } finally {
      await s.close();
    }
  });
});
