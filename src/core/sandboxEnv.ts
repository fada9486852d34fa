/**
 * The environment variables that point a command-line client at the sandbox through its HTTPS
 * proxy, trusting the sandbox CA for that process only (never system-wide):
 * - HTTPS_PROXY: Node's @azure/core-rest-pipeline, Go's net/http (ProxyFromEnvironment), Python
 *   requests, kubectl and the Azure CLI read it.
 * - NODE_EXTRA_CA_CERTS: Node adds the file to its bundled roots (nodejs.org/api/cli.html).
 * - REQUESTS_CA_BUNDLE: Python requests, and so the Azure CLI and MSAL for Python.
 * - SSL_CERT_FILE: OpenSSL-based clients and Go's crypto/x509 on Linux.
 * - KUBECONFIG: kubectl and client libraries; the file names the clusters' real FQDNs.
 * Only file paths and a loopback URL: credentials stay in the files.
 */
export interface SandboxEnvInput {
  proxyUrl: string;
  caFile: string;
  kubeconfigFile: string;
}

export function sandboxClientEnv(input: SandboxEnvInput): Record<string, string> {
  return {
    HTTPS_PROXY: input.proxyUrl,
    NODE_EXTRA_CA_CERTS: input.caFile,
    REQUESTS_CA_BUNDLE: input.caFile,
    SSL_CERT_FILE: input.caFile,
    KUBECONFIG: input.kubeconfigFile,
  };
}

/** `export NAME='value'` lines for a POSIX shell (values quoted; they are paths and a URL). */
export function shellExports(env: Record<string, string>): string[] {
  return Object.entries(env).map(([k, v]) => `export ${k}='${v.replace(/'/g, `'\\''`)}'`);
}
