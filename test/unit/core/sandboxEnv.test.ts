import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sandboxClientEnv, shellExports } from '../../../src/core/sandboxEnv';

describe('sandbox client environment (terminal, kwi sandbox --proxy)', () => {
  const env = sandboxClientEnv({
    proxyUrl: 'http://127.0.0.1:4242',
    caFile: '/home/u/.kwi/sandbox/ca.pem',
    kubeconfigFile: "/home/u/it's/kubeconfig",
    azureConfigDir: '/home/u/.kwi/sandbox/azure-cli',
  });

  it('points Node, Python, Go/OpenSSL clients, kubectl and az at the proxy, the CA file and their own files, nothing else', () => {
    assert.deepEqual(env, {
      HTTPS_PROXY: 'http://127.0.0.1:4242',
      https_proxy: 'http://127.0.0.1:4242',
      NO_PROXY: 'localhost,127.0.0.1,::1',
      no_proxy: 'localhost,127.0.0.1,::1',
      NODE_EXTRA_CA_CERTS: '/home/u/.kwi/sandbox/ca.pem',
      REQUESTS_CA_BUNDLE: '/home/u/.kwi/sandbox/ca.pem',
      SSL_CERT_FILE: '/home/u/.kwi/sandbox/ca.pem',
      KUBECONFIG: "/home/u/it's/kubeconfig",
      AZURE_CONFIG_DIR: '/home/u/.kwi/sandbox/azure-cli',
    });
  });

  it('quotes values for a POSIX shell', () => {
    assert.ok(shellExports(env).includes("export KUBECONFIG='/home/u/it'\\''s/kubeconfig'"));
  });
});
