import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { kubeServerUrl } from './clusterBridge';
import { connectionFields, type SandboxConnection } from './connection';
import { buildKubeconfig } from './kube/kubeconfig';
import { liveOwner } from './ownerLock';
import { Store } from './store';

/**
 * The sandbox another process (`kwi sandbox`, or the extension) runs on this state file, if its
 * owner lock is live; undefined otherwise. Everything comes from files the owner keeps current —
 * the lock (origin), the state (flushed before every answer) and ca.pem — so attaching needs no
 * secret over the wire: reading the state file is the same trust as owning it.
 */
export async function findRunningSandbox(stateFile: string): Promise<SandboxConnection | undefined> {
  const owner = await liveOwner(stateFile);
  if (!owner) return undefined;
  const state = Store.read(stateFile);
  if (!state) return undefined;
  const caFile = join(dirname(stateFile), 'ca.pem');
  const caPem = readFileSync(caFile, 'utf8');
  const { origin } = owner;
  return {
    ...connectionFields(origin, caPem, caFile, stateFile, state),
    controlToken: state.controlToken ?? '',
    // Re-read each time: clusters created through the owner since attaching appear.
    kubeconfig: () => {
      const now = Store.read(stateFile) ?? state;
      return buildKubeconfig(
        Object.values(now.clusters).map((c) => ({
          name: c.name,
          server: kubeServerUrl(origin, c.guid),
          token: c.clientToken ?? '',
        })),
        caPem,
      );
    },
  };
}
