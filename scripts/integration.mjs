// Integration tests inside a real VS Code: code-server (VS Code for the Web) + headless Debian
// Chromium driven by playwright-core. The suite
// (test/integration/suite) runs in the extension host and reports through console lines; this
// script forwards them, takes the screenshots the suite asks for, and ends with the line
// `integration: N passed, N failed` (exit code 1 on any failure, timeout or crash).
//
// Env: KWI_TEST_FILTER (regex over test names), KWI_TEST_PASS (trusted|restricted|korean: one pass only),
//      KWI_INTEGRATION_TIMEOUT_MS (per pass, default 600000),
//      KWI_KEEP_TMP=1 (keep the temp workspace), CHROMIUM (browser binary),
//      KWI_LOCALE (e.g. ko: the trusted pass's display language, code-server's --locale; screenshots get a -ko suffix).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { freePort, startCodeServer } from './codeServer.mjs';
import { installCodeServer } from './installCodeServer.mjs';
import { stageExtension } from './stageExtension.mjs';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const resultsDir = join(root, 'test-results');
const timeoutMs = Number(process.env.KWI_INTEGRATION_TIMEOUT_MS ?? 600_000);
const say = (line) => process.stdout.write(`${line}\n`);

function findChromium() {
  for (const candidate of [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser']) {
    if (candidate && existsSync(candidate)) return candidate;
  }
  try {
    return execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], {
      encoding: 'utf8',
    }).trim();
  } catch {
    return undefined;
  }
}

function isStale(output, inputs) {
  if (!existsSync(output)) return true;
  const built = statSync(output).mtimeMs;
  const newer = (path) => {
    const st = statSync(path);
    if (!st.isDirectory()) return st.mtimeMs > built;
    return readdirSync(path).some((name) => newer(join(path, name)));
  };
  return inputs.some((p) => existsSync(p) && newer(p));
}

/** The user settings of the test profile: quiet, deterministic, and the sandbox backend (no network). */
function writeUserSettings(userDataDir, extra) {
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(
    join(userDataDir, 'User', 'settings.json'),
    JSON.stringify(
      {
        'kwi.backend': 'sandbox',
        ...extra,
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.enableExperiments': false,
        'telemetry.telemetryLevel': 'off',
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'update.mode': 'none',
        'editor.codeLens': true,
        'editor.minimap.enabled': false,
        'files.autoSave': 'off',
        'window.restoreWindows': 'none',
        'chat.disableAIFeatures': true,
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
      },
      null,
      2,
    ),
  );
}

/**
 * Three passes over three fresh profiles: the main suite in a trusted workspace; the tests named
 * `[restricted]` in a workspace VS Code has not been told to trust (restricted mode), to show
 * that analysis works untrusted; the tests named `locale:` with the display language Korean, to
 * show the Korean tables reach the tree, the lenses and the quick fixes. The suite reads
 * KWI_TEST_PASS to pick its tests. KWI_LOCALE runs the trusted pass in that language instead.
 */
const TRUSTED = { 'security.workspace.trust.enabled': false };
const PASSES = [
  { name: 'trusted', settings: TRUSTED, args: ['--disable-workspace-trust'], locale: process.env.KWI_LOCALE },
  {
    name: 'restricted',
    settings: {
      'security.workspace.trust.enabled': true,
      'security.workspace.trust.startupPrompt': 'never',
      'security.workspace.trust.banner': 'never',
    },
    args: [],
  },
  { name: 'korean', settings: TRUSTED, args: ['--disable-workspace-trust'], locale: 'ko' },
];

async function main() {
  await installCodeServer({ log: say });
  const browserPath = findChromium();
  if (!browserPath) throw new Error('Chromium not found: apt-get install chromium (or set CHROMIUM)');
  // `npm test` has just built; a direct run rebuilds only when a source is newer than the bundle.
  if (isStale(join(root, 'dist', 'extension.js'), [join(root, 'src'), join(root, 'package.json')])) {
    say('building the extension…');
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
  }

  // The suite is bundled so the extension host loads one file; `vscode` is provided by the host.
  const suite = join(root, 'out', 'integration', 'suite.js');
  await build({
    entryPoints: [join(root, 'test/integration/suite/index.ts')],
    outfile: suite,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    external: ['vscode'],
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  mkdirSync(resultsDir, { recursive: true });

  let passed = 0;
  let failed = 0;
  const only = process.env.KWI_TEST_PASS;
  for (const pass of PASSES) {
    if (only && only !== pass.name) continue;
    say(`\n--- integration pass: ${pass.name} ---`);
    const result = await runPass(pass, browserPath, suite);
    passed += result.passed;
    failed += result.failed;
  }
  say(`integration: ${passed} passed, ${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}

async function runPass(pass, browserPath, suite) {
  // Tests edit copies, never the fixtures themselves.
  const tmp = mkdtempSync(join(tmpdir(), 'kwi-integration-'));
  const workspace = join(tmp, 'workspace');
  cpSync(join(root, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
  const userDataDir = join(tmp, 'user-data');
  const controlDir = join(tmp, 'control');
  mkdirSync(controlDir, { recursive: true });
  writeUserSettings(userDataDir, pass.settings);
  const extensionsDir = join(tmp, 'extensions');
  // The extension as `npm start` and the VSIX lay it out (packaged files, README pictures inlined).
  const extensionDir = stageExtension(join(tmp, 'extension'));
  if (pass.locale) installLanguagePack(pass.locale, userDataDir, extensionsDir);

  let passed = 0;
  let failed = 0;
  let sawSummary = false;
  let server;
  let browser;
  const serverLog = [];
  try {
    const port = await freePort();
    server = await startCodeServer({
      port,
      userDataDir,
      extensionsDir,
      folder: workspace,
      extraArgs: [...pass.args, ...(pass.locale ? ['--locale', pass.locale] : [])],
      // The extension host inherits this environment: it is how the suite learns its pass and control folder.
      env: {
        KWI_TEST_PASS: pass.name,
        KWI_EXPECT_LANGUAGE: pass.locale ?? 'en',
        KWI_TEST_CONTROL_DIR: controlDir,
        KWI_TEST_WORKSPACE: workspace,
        ...(process.env.KWI_TEST_FILTER ? { KWI_TEST_FILTER: process.env.KWI_TEST_FILTER } : {}),
      },
      onLine: (line) => {
        serverLog.push(line);
        if (serverLog.length > 200) serverLog.shift();
      },
    });
    say(`code-server at ${server.origin} (pid ${server.pid}), workspace ${workspace}`);

    browser = await chromium.launch({
      executablePath: browserPath,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
        '--disable-dev-shm-usage',
      ],
    });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    let resolveExit;
    const exit = new Promise((r) => {
      resolveExit = r;
    });
    // VS Code calls this when the extension host ends after the suite: 0 = run() resolved.
    await page.exposeFunction('codeAutomationExit', (code) => {
      resolveExit(Number(code));
    });

    const screenshots = [];
    page.on('console', (msg) => {
      if (process.env.KWI_DEBUG_CONSOLE) say(`[raw ${msg.type()}] ${JSON.stringify(msg.text())}`);
      const text = cleanConsole(msg.text());
      if (text === undefined) return;
      const shot = /^KWI_SCREENSHOT (\S+)$/.exec(text.trim());
      if (shot) {
        screenshots.push(takeScreenshot(page, shot[1], controlDir, pass.locale));
        return;
      }
      const summary = /^integration: (\d+) passed, (\d+) failed/.exec(text.trim());
      if (summary) {
        passed += Number(summary[1]);
        failed += Number(summary[2]);
        sawSummary = true;
        return;
      }
      say(text);
    });
    page.on('pageerror', (err) => say(`[page error] ${err.message}`));

    const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
    const payload = [
      ['extensionDevelopmentPath', remote(extensionDir)],
      ['extensionTestsPath', remote(suite)],
      ['skipWelcome', 'true'],
    ];
    const url = `${server.origin}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    const started = Date.now();
    await page.goto(url);

    let timer;
    const timedOut = new Promise((r) => {
      timer = setTimeout(() => r('timeout'), timeoutMs);
    });
    const serverDied = server.exited.then(() => 'server-exit');
    const outcome = await Promise.race([exit, timedOut, serverDied]);
    clearTimeout(timer);
    await Promise.allSettled(screenshots);
    say(
      `${pass.name}: ${passed} passed, ${failed} failed; suite finished in ${Math.round((Date.now() - started) / 1000)} s with ${typeof outcome === 'number' ? `exit code ${outcome}` : outcome}`,
    );
    if (outcome !== 0) {
      await page.screenshot({ path: join(resultsDir, `failure-${pass.name}.png`) }).catch(() => {});
      if (typeof outcome !== 'number' || !sawSummary) {
        say('code-server log (last lines):');
        for (const line of serverLog.slice(-40)) say(`  ${line}`);
      }
    }
    // A crash, a timeout or a non-zero exit without failed tests still counts as a failure.
    if (!sawSummary || (outcome !== 0 && failed === 0)) failed++;
  } finally {
    await browser?.close().catch(() => {});
    await server?.stop();
    if (!process.env.KWI_KEEP_TMP) rmSync(tmp, { recursive: true, force: true });
  }
  return { passed, failed };
}

/**
 * code-server resolves `--locale` through `languagepacks.json` in the user data folder, which VS Code
 * writes when a language pack extension is installed; without one it falls back to English and
 * extensions see `vscode.env.language === 'en'`. Microsoft's Korean pack is on no registry this
 * machine reaches, so a local pack (test/fixtures/language-pack-<locale>) declares the locale with
 * an empty core translation: the workbench's own strings stay English, and this extension's
 * strings load from its `ko` bundles exactly as they do under the real pack.
 */
function installLanguagePack(locale, userDataDir, extensionsDir) {
  const source = join(root, 'test', 'fixtures', `language-pack-${locale}`);
  if (!existsSync(source)) throw new Error(`KWI_LOCALE=${locale}: no ${source}`);
  const target = join(extensionsDir, `kwi-test.language-pack-${locale}-0.0.1`);
  cpSync(source, target, { recursive: true });
  writeFileSync(
    join(userDataDir, 'languagepacks.json'),
    JSON.stringify({
      [locale]: {
        hash: `kwi-test-${locale}-0.0.1`,
        extensions: [{ extensionIdentifier: { id: `kwi-test.kwi-test-language-pack-${locale}` }, version: '0.0.1' }],
        translations: { vscode: join(target, 'translations', 'main.i18n.json') },
        label: locale,
      },
    }),
  );
}

/**
 * Extension-host console lines reach the page as workbench log lines (`%c INFO color: #33f <text>`),
 * indistinguishable from the workbench's own. The suite therefore prefixes its lines with
 * `[kwi-test] `; other lines are kept only when they mention this extension (activation errors),
 * so the closed network's noise (open-vsx, telemetry, the github auth provider) stays out.
 */
function cleanConsole(raw) {
  const text = raw.replace(/^%c\s*[A-Z]+\s+color:\s*\S+\s?/, '').replace(/%c/g, '');
  const marker = text.indexOf('[kwi-test] ');
  if (marker >= 0) return text.slice(marker + '[kwi-test] '.length);
  if (/workload-identity-k8s|kwi-dev/i.test(text)) return `[vscode] ${text}`;
  return undefined;
}

/** The suite waits for `<name>.done` in the control folder, so the editor stays as it is until the picture is taken. */
async function takeScreenshot(page, name, controlDir, locale) {
  const safe = `${name}${locale ? `-${locale}` : ''}`.replace(/[^\w.-]/g, '_');
  try {
    await page.waitForTimeout(1500); // let the workbench paint lenses and squiggles
    const path = join(resultsDir, `${safe}.png`);
    await page.screenshot({ path });
    say(`  screenshot: ${path}`);
  } catch (err) {
    say(`  screenshot ${safe} failed: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    writeFileSync(join(controlDir, `${name.replace(/[^\w.-]/g, '_')}.done`), '');
  }
}

main().catch((err) => {
  say(`integration harness error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  say('integration: 0 passed, 1 failed');
  process.exitCode = 1;
});
