import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sandboxClientEnv, shellExports } from '../../../src/core/sandboxEnv';

describe('sandbox client environment (terminal, kwi sandbox --proxy)', () => {
  const env = sandboxClientEnv({
    proxyUrl: 'http://127.0.0.1:4242',
    caFile: '/home/u/.kwi/sandbox/ca.pem',
    kubeconfigFile: "/home/u/it's/kubeconfig",
  });

  it('points Node, Python, Go/OpenSSL clients and kubectl at the proxy and the CA file, nothing else', () => {
    assert.deepEqual(env, {
      HTTPS_PROXY: 'http://127.0.0.1:4242',
      NODE_EXTRA_CA_CERTS: '/home/u/.kwi/sandbox/ca.pem',
      REQUESTS_CA_BUNDLE: '/home/u/.kwi/sandbox/ca.pem',
      SSL_CERT_FILE: '/home/u/.kwi/sandbox/ca.pem',
      KUBECONFIG: "/home/u/it's/kubeconfig",
    });
  });

  it('quotes values for a POSIX shell', () => {
    assert.equal(shellExports(env).at(-1), "export KUBECONFIG='/home/u/it'\\''s/kubeconfig'");
  });
});
