import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ClientSecretCredential } from '@azure/identity';
import { SCENARIO } from '../../../src/sandbox/scenario';
import { startSandbox } from '../../../src/sandbox/server';
import { startCliSandbox } from './cliProcess';

function send(origin: string, ca: string, method: string, path: string, token: string, body: object): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${origin}${path}`,
      { method, ca, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/** The sandbox fault suite: crashes, limits of the machine, and what survives them. */
describe('sandbox faults', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kwi-faults-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('kill -9 during writes: every acknowledged ARM and Kubernetes write is there after a restart', async () => {
    const stateFile = join(dir, 'crash', 'state.json');
    const acked = {
      identities: new Set<string>(),
      serviceAccounts: new Set<string>(),
      tags: new Map<string, string>(),
    };
    for (let round = 0; round < 3; round++) {
      const cli = await startCliSandbox(['--state', stateFile, '--port', '0']);
      const state = JSON.parse(readFileSync(stateFile, 'utf8')) as {
        tenantId: string;
        developer: { clientId: string; clientSecret: string };
        subscriptions: Record<string, { subscriptionId: string }>;
        clusters: Record<string, { name: string; guid: string; clientToken: string }>;
      };
      const ca = readFileSync(join(dir, 'crash', 'ca.pem'), 'utf8');
      const credential = new ClientSecretCredential(
        state.tenantId,
        state.developer.clientId,
        state.developer.clientSecret,
        { authorityHost: cli.origin, disableInstanceDiscovery: true, tlsOptions: { ca } } as ConstructorParameters<
          typeof ClientSecretCredential
        >[3],
      );
      const token = (await credential.getToken('https://management.azure.com/.default'))!.token;
      const sub = Object.values(state.subscriptions)[0]!.subscriptionId;
      const cluster = Object.values(state.clusters).find((c) => c.name === SCENARIO.clusterWithIssuer)!;
      const killAfter = 300 + round * 250;
      const started = Date.now();
      let killed = false;
      const writer = async (lane: number): Promise<void> => {
        for (let i = 0; !killed; i++) {
          const name = `r${round}-l${lane}-${i}`;
          try {
            if (lane === 0) {
              const status = await send(
                cli.origin,
                ca,
                'PUT',
                `/subscriptions/${sub}/resourceGroups/${SCENARIO.resourceGroup}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-${name}?api-version=2023-01-31`,
                token,
                { location: 'eastus' },
              );
              if (status === 201) acked.identities.add(`id-${name}`);
            } else if (lane === 1) {
              const status = await send(
                cli.origin,
                ca,
                'POST',
                `/k8s/${cluster.guid}/api/v1/namespaces/default/serviceaccounts`,
                cluster.clientToken,
                { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: `sa-${name}` } },
              );
              if (status === 201) acked.serviceAccounts.add(`sa-${name}`);
            } else {
              const value = `v${round}-${i}`;
              const status = await send(
                cli.origin,
                ca,
                'PATCH',
                `/subscriptions/${sub}/resourceGroups/${SCENARIO.resourceGroup}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${SCENARIO.workingIdentity}?api-version=2023-01-31`,
                token,
                { tags: { last: value } },
              );
              if (status === 200) acked.tags.set(SCENARIO.workingIdentity, value);
            }
          } catch {
            return; // the connection died with the process: not acknowledged
          }
          if (Date.now() - started > killAfter && !killed) {
            killed = true;
            cli.child.kill('SIGKILL');
          }
        }
      };
      await Promise.all([writer(0), writer(1), writer(2)]);
      assert.equal(await cli.exited, 'SIGKILL');
    }
    assert.ok(
      acked.identities.size > 5 && acked.serviceAccounts.size > 5,
      `${acked.identities.size} identities, ${acked.serviceAccounts.size} ServiceAccounts acknowledged`,
    );
    const s = await startSandbox({ stateFile });
    try {
      const identities = new Set(Object.values(s.state().identities).map((i) => i.name));
      for (const name of acked.identities) assert.ok(identities.has(name), `acknowledged ${name} survived`);
      const sas =
        Object.values(s.state().clusters).find((c) => c.name === SCENARIO.clusterWithIssuer)!.kube.serviceaccounts
          .default ?? {};
      for (const name of acked.serviceAccounts) assert.ok(sas[name], `acknowledged ${name} survived`);
      const tagged = Object.values(s.state().identities).find((i) => i.name === SCENARIO.workingIdentity)!;
      // The last acknowledged tag, or one sent later whose answer was lost with the process.
      const last = acked.tags.get(SCENARIO.workingIdentity)!;
      const [, r, i] = /^v(\d+)-(\d+)$/.exec(tagged.tags!.last!)!.map(Number) as [number, number, number];
      const [, lr, li] = /^v(\d+)-(\d+)$/.exec(last)!.map(Number) as [number, number, number];
      assert.ok(r > lr || (r === lr && i >= li), `tag ${tagged.tags!.last} is not older than the acknowledged ${last}`);
    } finally {
      await s.close();
    }
  });

  it('with 64 file descriptors, 50 Key Vault create/delete cycles leave no listener behind and requests still work', () => {
    const child = join(__dirname, 'faultChild.js');
    const r = spawnSync('bash', ['-c', 'ulimit -n 64; exec "$0" "$@"', process.execPath, child, 'vault-cycles', '50'], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    const line = r.stdout.trim().split('\n').pop() ?? '';
    const out = JSON.parse(line || '{}') as {
      before?: number;
      after?: number;
      errors?: string[];
      last?: number;
      error?: string;
    };
    assert.equal(out.error, undefined, `${line}\n${r.stderr}`);
    assert.deepEqual(out.errors, []);
    assert.equal(out.after, out.before, 'as many listeners as before the cycles');
    assert.equal(out.last, 200);
  });
});
