/** A Deployment whose use label is an unquoted boolean: `--fix` quotes it. */
export function fixable(name: string, padTo = 0): string {
  let text = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  template:\n    metadata:\n      labels:\n        azure.workload.identity/use: true\n    spec:\n      serviceAccountName: ${name}\n      containers: [{name: app, image: nginx}]\n`;
  while (text.length < padTo) text += `# ${'padding '.repeat(8)}\n`;
  return padTo ? text.slice(0, padTo) : text;
}
