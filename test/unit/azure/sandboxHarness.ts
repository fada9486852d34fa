// Shared setup for the loader tests: a real sandbox on an ephemeral port and the real SDK clients.
import type { ClientSecretCredential } from '@azure/identity';
import { sandboxCredential } from '../../../src/azure/sandboxCredential';
import { createArmConnection, type ArmConnection, type ArmConnectionOptions } from '../../../src/azure/clients';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../../src/sandbox/server';

export async function sandboxWithConnection(options: SandboxOptions = {}): Promise<{
  sandbox: RunningSandbox;
  credential: ClientSecretCredential;
  connect(o?: Partial<ArmConnectionOptions>): ArmConnection;
}> {
  const sandbox = await startSandbox({ port: 0, ...options });
  const credential = sandboxCredential(sandbox);
  return {
    sandbox,
    credential,
    connect: (o = {}) => createArmConnection({ credential, endpoint: sandbox.armEndpoint, tlsCa: sandbox.caPem, ...o }),
  };
}
