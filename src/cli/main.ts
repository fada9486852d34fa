/** `kwi` entry point: dispatches to sub-commands, each loaded only when used. */

const USAGE = `Usage:
  kwi lint [--format text|json|sarif] PATH...
  kwi sandbox [--port N] [--state FILE] [--kubeconfig FILE] [--reset] [--empty] ...
`;

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'lint':
      return (await import('./lint')).runLint(rest, process.stdout, process.stderr);
    case 'sandbox':
      return (await import('./sandbox')).runSandbox(rest, process.stdout, process.stderr);
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
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    process.stderr.write(`kwi: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);
