import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { parseSandboxArgs, runSandbox } from '../../../src/cli/sandbox';

class Buffered {
  text = '';
  write(t: string): boolean { this.text += t; return true; }
}

describe('kwi sandbox (CLI)', () => {
  it('parses every flag', () => {
    const { options, kubeconfigFile } = parseSandboxArgs(['--port', '0', '--state', '/tmp/x/state.json', '--reset', '--latency', '20', '--throttle-rate=0.1', '--error-rate', '0.2', '--drop-rate', '0.05', '--fic-propagation', '30', '--rbac-propagation', '60', '--lro-seconds', '1', '--webhook-layout', 'v1.5']);
    assert.equal(options.port, 0);
    assert.equal(options.stateFile, '/tmp/x/state.json');
    assert.equal(options.reset, true);
    assert.deepEqual(options.knobs, { lroSeconds: 1, latencyMs: 20, throttleRate: 0.1, errorRate: 0.2, dropRate: 0.05, ficPropagationSeconds: 30, rbacPropagationSeconds: 60 });
    assert.equal(options.webhookLayout, 'v1.5');
    assert.equal(kubeconfigFile, '/tmp/x/kubeconfig');
    assert.throws(() => parseSandboxArgs(['--throttle-rate', '3']), /between 0 and 1/);
    assert.throws(() => parseSandboxArgs(['--bogus']), /unknown option/);
    assert.throws(() => parseSandboxArgs(['--webhook-layout', 'v2']), /v1.6 or v1.5/);
  });

  it('starts in the foreground, prints endpoints, writes the kubeconfig and stops on SIGINT', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kwi-cli-'));
    try {
      const out = new Buffered();
      const err = new Buffered();
      const running = runSandbox(['--port', '0', '--state', join(dir, 'state.json'), '--kubeconfig', join(dir, 'kc.yaml')], out, err);
      for (let i = 0; i < 200 && !out.text.includes('Ctrl-C'); i++) await new Promise((r) => setTimeout(r, 25));
      assert.match(out.text, /ARM endpoint\s+https:\/\/127\.0\.0\.1:\d+/);
      assert.match(out.text, /Tenant ID\s+[0-9a-f-]{36}/);
      assert.match(out.text, /Developer client ID\s+[0-9a-f-]{36}/);
      const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as { developer: { clientSecret: string } };
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

  it('reports a bad flag with exit code 2', async () => {
    const out = new Buffered();
    const err = new Buffered();
    assert.equal(await runSandbox(['--nope'], out, err), 2);
    assert.match(err.text, /unknown option/);
  });
});
