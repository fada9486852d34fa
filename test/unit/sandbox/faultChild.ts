/**
 * Run as a child process by the sandbox fault suite (sandboxFaults.test.ts), under limits a test
 * cannot set on itself (`ulimit -n`). Prints one JSON line with what it observed.
 *   node faultChild.js vault-cycles N   — N create/delete cycles of a Key Vault, then requests
 */
import { request } from 'node:https';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/server';
import { SCENARIO } from '../../../src/sandbox/scenario';
import { developerCredential } from './sandboxClients';

function call(s: RunningSandbox, method: string, path: string, token: string, body?: object): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${s.origin}${path}`,
      {
        method,
        ca: s.caPem,
        agent: false,
        headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

function listeners(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap').length;
}

async function vaultCycles(n: number): Promise<object> {
  const s = await startSandbox({});
  try {
    const token = (await developerCredential(s).getToken('https://management.azure.com/.default'))!.token;
    const before = listeners();
    const path = (name: string) =>
      `/subscriptions/${s.subscriptionId}/resourceGroups/${SCENARIO.resourceGroup}/providers/Microsoft.KeyVault/vaults/${name}?api-version=2023-07-01`;
    const errors: string[] = [];
    for (let i = 0; i < n; i++) {
      const name = `kv-cycle-${i}`;
      const put = await call(s, 'PUT', path(name), token, {
        location: 'eastus',
        properties: { tenantId: s.tenantId, sku: { family: 'A', name: 'standard' } },
      });
      const del = await call(s, 'DELETE', path(name), token);
      if (put !== 200 && put !== 201) errors.push(`PUT ${name}: ${put}`);
      if (del !== 200) errors.push(`DELETE ${name}: ${del}`);
    }
    const after = listeners();
    // The sandbox still answers: ARM, and the surviving vault's data plane.
    const last = await call(
      s,
      'GET',
      `/subscriptions/${s.subscriptionId}/resourcegroups?api-version=2021-04-01`,
      token,
    );
    return { before, after, errors, last };
  } finally {
    await s.close();
  }
}

async function main(): Promise<void> {
  const [mode, arg] = process.argv.slice(2);
  let out: object;
  try {
    if (mode === 'vault-cycles') out = await vaultCycles(Number(arg ?? 50));
    else throw new Error(`unknown mode ${String(mode)}`);
  } catch (e) {
    out = { error: e instanceof Error ? `${(e as NodeJS.ErrnoException).code ?? ''} ${e.message}` : String(e) };
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

if (require.main === module) void main();
