import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ClientSecretCredential } from '@azure/identity';
import { parse } from 'yaml';
import { parseSandboxArgs, runSandbox } from '../../../src/cli/sandbox';

class Buffered {
  text = '';
  write(t: string): boolean {
    this.text += t;
    return true;
  }
}

describe('kwi sandbox (CLI)', () => {
  it('parses every flag', () => {
    const { options, kubeconfigFile } = parseSandboxArgs([
      '--port',
      '0',
      '--state',
      '/tmp/x/state.json',
      '--reset',
      '--latency',
      '20',
      '--throttle-rate=0.1',
      '--error-rate',
      '0.2',
      '--drop-rate',
      '0.05',
      '--fic-propagation',
      '30',
      '--rbac-propagation',
      '60',
      '--lro-seconds',
      '1',
      '--webhook-layout',
      'v1.5',
    ]);
    assert.equal(options.port, 0);
    assert.equal(options.stateFile, '/tmp/x/state.json');
    assert.equal(options.reset, true);
    assert.deepEqual(options.knobs, {
      lroSeconds: 1,
      latencyMs: 20,
      throttleRate: 0.1,
      errorRate: 0.2,
      dropRate: 0.05,
      ficPropagationSeconds: 30,
      rbacPropagationSeconds: 60,
    });
    assert.equal(options.webhookLayout, 'v1.5');
    assert.equal(kubeconfigFile, '/tmp/x/kubeconfig');
    assert.throws(() => parseSandboxArgs(['--throttle-rate', '3']), /between 0 and 1/);
    assert.throws(() => parseSandboxArgs(['--bogus']), /unknown option/);
    assert.throws(() => parseSandboxArgs(['--webhook-layout', 'v2']), /v1.6 or v1.5/);
    assert.deepEqual(parseSandboxArgs(['--page-size', '7', '--lro-fail-rate', '0.25']).options.knobs, {
      lroSeconds: 5,
      pageSize: 7,
      lroFailRate: 0.25,
    });
    assert.throws(() => parseSandboxArgs(['--page-size', '0']), /whole number/);
    assert.throws(() => parseSandboxArgs(['--lro-fail-rate', '2']), /between 0 and 1/);
  });

  it('starts in the foreground, prints endpoints, writes the kubeconfig and stops on SIGINT', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kwi-cli-'));
    try {
      const out = new Buffered();
      const err = new Buffered();
      const running = runSandbox(
        ['--port', '0', '--state', join(dir, 'state.json'), '--kubeconfig', join(dir, 'kc.yaml')],
        out,
        err,
      );
      for (let i = 0; i < 200 && !out.text.includes('Ctrl-C'); i++) await new Promise((r) => setTimeout(r, 25));
      assert.match(out.text, /ARM endpoint\s+https:\/\/127\.0\.0\.1:\d+/);
      assert.match(out.text, /Tenant ID\s+[0-9a-f-]{36}/);
      assert.match(out.text, /Developer client ID\s+[0-9a-f-]{36}/);
      const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as {
        developer: { clientSecret: string };
      };
      assert.ok(!out.text.includes(state.developer.clientSecret), 'the secret is not printed');
      assert.ok(existsSync(join(dir, 'ca.pem')));
      const kc = parse(readFileSync(join(dir, 'kc.yaml'), 'utf8')) as { contexts: { name: string }[] };
      assert.deepEqual(kc.contexts.map((c) => c.name).sort(), ['aks-legacy', 'aks-wi-demo']);
      process.emit('SIGINT');
      assert.equal(await running, 0);
      assert.match(out.text, /stopping/);
      assert.equal(err.text, '');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("--proxy prints the proxy and the per-client CA variables, and writes a kubeconfig naming the clusters' FQDNs", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kwi-cli-'));
    try {
      const out = new Buffered();
      const err = new Buffered();
      const running = runSandbox(
        ['--port', '0', '--proxy', '--state', join(dir, 'state.json'), '--kubeconfig', join(dir, 'kc.yaml')],
        out,
        err,
      );
      for (let i = 0; i < 200 && !out.text.includes('Ctrl-C'); i++) await new Promise((r) => setTimeout(r, 25));
      assert.match(out.text, /HTTPS proxy\s+http:\/\/127\.0\.0\.1:\d+/);
      for (const v of ['HTTPS_PROXY', 'NODE_EXTRA_CA_CERTS', 'REQUESTS_CA_BUNDLE', 'SSL_CERT_FILE', 'KUBECONFIG']) {
        assert.match(out.text, new RegExp(`export ${v}='[^']+'`), v);
      }
      assert.ok(out.text.includes(`export SSL_CERT_FILE='${join(dir, 'ca.pem')}'`));
      const kc = parse(readFileSync(join(dir, 'kc.yaml'), 'utf8')) as { clusters: { cluster: { server: string } }[] };
      for (const c of kc.clusters) {
        assert.match(c.cluster.server, /^https:\/\/[a-z0-9-]+\.hcp\.[a-z0-9]+\.azmk8s\.io:443$/);
      }
      process.emit('SIGINT');
      assert.equal(await running, 0);
      assert.equal(err.text, '');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a second sandbox on the same state file (exit 2, naming the first), and never prints a secret or token', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kwi-cli-'));
    try {
      const stateFile = join(dir, 'state.json');
      const out = new Buffered();
      const err = new Buffered();
      const running = runSandbox(
        ['--port', '0', '--state', stateFile, '--page-size', '5', '--lro-fail-rate', '0.5'],
        out,
        err,
      );
      for (let i = 0; i < 200 && !out.text.includes('Ctrl-C'); i++) await new Promise((r) => setTimeout(r, 25));
      const origin = /listening on (https:\/\/127\.0\.0\.1:\d+)/.exec(out.text)?.[1];
      assert.ok(origin);
      // Traffic that handles the secret and tokens while the CLI runs.
      const state = JSON.parse(readFileSync(stateFile, 'utf8')) as {
        tenantId: string;
        developer: { clientId: string; clientSecret: string };
      };
      const credential = new ClientSecretCredential(
        state.tenantId,
        state.developer.clientId,
        state.developer.clientSecret,
        {
          authorityHost: origin,
          disableInstanceDiscovery: true,
          tlsOptions: { ca: readFileSync(join(dir, 'ca.pem'), 'utf8') },
        } as ConstructorParameters<typeof ClientSecretCredential>[3],
      );
      const token = (await credential.getToken('https://management.azure.com/.default'))!.token;

      const out2 = new Buffered();
      const err2 = new Buffered();
      assert.equal(await runSandbox(['--port', '0', '--state', stateFile], out2, err2), 2);
      assert.match(err2.text, new RegExp(`in use by the sandbox at ${origin.replace(/\./g, '\\.')}`));
      process.emit('SIGINT');
      assert.equal(await running, 0);
      assert.ok(!existsSync(`${stateFile}.lock`), 'the lock is gone after Ctrl-C');
      const printed = out.text + err.text + out2.text + err2.text;
      assert.ok(!printed.includes(state.developer.clientSecret), 'no client secret');
      assert.ok(!printed.includes(token), 'no access token');
      assert.doesNotMatch(printed, /eyJ[\w-]+\.[\w-]+\./, 'no JWT of any kind');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a bad flag with exit code 2', async () => {
    const out = new Buffered();
    const err = new Buffered();
    assert.equal(await runSandbox(['--nope'], out, err), 2);
    assert.match(err.text, /unknown option '--nope'/);
    for (const [args, message] of [
      [['--port'], /--port needs a value/],
      [['--state='], /--state needs a value/],
      [['stray'], /unknown option 'stray'/],
      [['--reset=yes'], /--reset/],
      [['--port', '70000'], /between 0 and 65535/],
    ] as const) {
      const e2 = new Buffered();
      assert.equal(await runSandbox([...args], new Buffered(), e2), 2, args.join(' '));
      assert.match(e2.text, message);
      assert.match(e2.text, /Usage: kwi sandbox/);
    }
  });
});
