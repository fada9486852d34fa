/** `kwi` entry point: dispatches to sub-commands, each loaded only when used. */

const USAGE = `Usage:
  kwi lint [--format text|json|sarif] PATH...
  kwi sandbox [--port N] [--state FILE] [--kubeconfig FILE] [--reset] [--empty] ...
  kwi setup --subscription ID --resource-group RG --cluster NAME --namespace NS --service-account NAME --identity NAME [--yes] ...
  kwi doctor --cluster NAME --resource-group RG (--namespace NS --service-account NAME | --all) [--sandbox [STATE_FILE]] ...
`;

// The Azure SDKs and @kubernetes/client-node declare Node >= 22 (their package.json "engines") and
// use its APIs; on an older Node they fail deep inside a request, so say it once, up front. This
// module imports nothing at load time: every sub-command is loaded only after this check.
const MIN_NODE_MAJOR = 22;

function nodeTooOld(version: string): boolean {
  return Number(version.replace(/^v/, '').split('.')[0]) < MIN_NODE_MAJOR;
}

async function main(argv: readonly string[]): Promise<number> {
  if (nodeTooOld(process.version)) {
    process.stderr.write(`kwi: needs Node.js ${MIN_NODE_MAJOR} or newer; this is Node.js ${process.version}\n`);
    return 2;
  }
  const [command, ...rest] = argv;
  switch (command) {
    case 'lint':
      return (await import('./lint')).runLint(rest, process.stdout, process.stderr);
    case 'sandbox':
      return (await import('./sandbox')).runSandbox(rest, process.stdout, process.stderr);
    case 'setup':
      return (await import('./setup')).runSetup(rest, process.stdout, process.stderr);
    case 'doctor':
      return (await import('./doctor')).runDoctor(rest, process.stdout, process.stderr);
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(USAGE);
      return 0;
    default:
      process.stderr.write(`kwi: unknown command '${command ?? ''}'\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`kwi: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);
