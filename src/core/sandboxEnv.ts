/**
 * The environment variables that point a command-line client at the sandbox through its HTTPS
 * proxy, trusting the sandbox CA for that process only (never system-wide):
 * - HTTPS_PROXY: Node's @azure/core-rest-pipeline, Go's net/http (ProxyFromEnvironment), Python
 *   requests, kubectl and the Azure CLI read it.
 * - NODE_EXTRA_CA_CERTS: Node adds the file to its bundled roots (nodejs.org/api/cli.html).
 * - REQUESTS_CA_BUNDLE: Python requests, and so the Azure CLI and MSAL for Python.
 * - SSL_CERT_FILE: OpenSSL-based clients and Go's crypto/x509 on Linux.
 * - KUBECONFIG: kubectl and client libraries; the file names the clusters' real FQDNs.
 * - https_proxy, NO_PROXY, no_proxy: a shell often holds a corporate proxy in lower case and
 *   Azure's names in NO_PROXY. Python's urllib prefers the lower-case variable
 *   (docs.python.org/3/library/urllib.request.html, getproxies); Go's proxy lookup
 *   (golang.org/x/net/http/httpproxy, FromEnvironment: kubectl) and Python requests skip any host
 *   NO_PROXY lists. Either would lead a client past the sandbox, so both spellings name its proxy
 *   and only loopback is exempt.
 * - AZURE_CONFIG_DIR: `az login` there signs in to the sandbox's tenant, so its profile and token
 *   cache stay beside the sandbox state, never in the user's ~/.azure
 *   (learn.microsoft.com/cli/azure/azure-cli-configuration).
 * Only file paths and a loopback URL: credentials stay in the files.
 */
export interface SandboxEnvInput {
  proxyUrl: string;
  caFile: string;
  kubeconfigFile: string;
  azureConfigDir: string;
}

const LOOPBACK_ONLY = 'localhost,127.0.0.1,::1';

export function sandboxClientEnv(input: SandboxEnvInput): Record<string, string> {
  return {
    HTTPS_PROXY: input.proxyUrl,
    https_proxy: input.proxyUrl,
    NO_PROXY: LOOPBACK_ONLY,
    no_proxy: LOOPBACK_ONLY,
    NODE_EXTRA_CA_CERTS: input.caFile,
    REQUESTS_CA_BUNDLE: input.caFile,
    SSL_CERT_FILE: input.caFile,
    KUBECONFIG: input.kubeconfigFile,
    AZURE_CONFIG_DIR: input.azureConfigDir,
  };
}

/** `export NAME='value'` lines for a POSIX shell (values quoted; they are paths and a URL). */
export function shellExports(env: Record<string, string>): string[] {
  return Object.entries(env).map(([k, v]) => `export ${k}='${v.replace(/'/g, `'\\''`)}'`);
}
