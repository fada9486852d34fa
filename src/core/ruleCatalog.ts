/** The stable rule IDs (users write them in settings, suppressions and CI filters). */
import type { Severity } from './findings';

export interface RuleInfo {
  readonly id: string;
  readonly severity: Severity;
  readonly summary: string;
  readonly description: string;
  readonly tags: readonly string[];
}

export const RULES: readonly RuleInfo[] = [
  {
    id: 'wi/use-label-missing',
    severity: 'error',
    tags: ['workload-identity'],
    summary: 'Pod template lacks the azure.workload.identity/use label',
    description:
      'A pod template whose ServiceAccount has azure.workload.identity/client-id, or which carries azure.workload.identity/* pod annotations, lacks the label azure.workload.identity/use: "true". The mutating webhook selects pods by that label only, so the token, AZURE_CLIENT_ID and AZURE_FEDERATED_TOKEN_FILE are never injected.',
  },
  {
    id: 'wi/use-label-misplaced',
    severity: 'error',
    tags: ['workload-identity'],
    summary: "The use label is not on the pod template's labels",
    description:
      "The label azure.workload.identity/use sits on the workload's own metadata, in the pod template's annotations, or only in spec.selector. The webhook's objectSelector matches the pod's labels, i.e. spec.template.metadata.labels for a workload.",
  },
  {
    id: 'wi/use-label-not-true',
    severity: 'error',
    tags: ['workload-identity'],
    summary: 'The use label value is not the string "true"',
    description:
      'Label values are strings: an unquoted true is a YAML boolean and the API server rejects the object; "True" or "yes" do not match the webhook\'s selector.',
  },
  {
    id: 'wi/service-account-default',
    severity: 'warning',
    tags: ['workload-identity'],
    summary: 'Workload identity with the default ServiceAccount',
    description:
      "A labelled pod template sets no serviceAccountName (or sets default), so it runs as the namespace's default ServiceAccount, which is rarely the annotated one.",
  },
  {
    id: 'wi/service-account-not-annotated',
    severity: 'error',
    tags: ['workload-identity'],
    summary: 'ServiceAccount lacks azure.workload.identity/client-id',
    description:
      'The ServiceAccount a labelled pod uses has no azure.workload.identity/client-id annotation: AZURE_CLIENT_ID is not set and the SDK cannot pick the identity.',
  },
  {
    id: 'wi/service-account-not-found',
    severity: 'info',
    tags: ['workload-identity'],
    summary: 'ServiceAccount not defined in the workspace',
    description:
      "A labelled pod template's ServiceAccount is defined nowhere in the workspace in the pod's namespace (a missing namespace means default).",
  },
  {
    id: 'wi/client-id-invalid',
    severity: 'error',
    tags: ['workload-identity'],
    summary: 'client-id annotation is not a GUID',
    description:
      'azure.workload.identity/client-id must be the client ID (a GUID) of a user-assigned managed identity or app registration, not a display name or an unexpanded variable.',
  },
  {
    id: 'wi/tenant-id-invalid',
    severity: 'error',
    tags: ['workload-identity'],
    summary: 'tenant-id annotation is not a GUID',
    description: 'azure.workload.identity/tenant-id must be a directory (tenant) ID, a GUID.',
  },
  {
    id: 'wi/unknown-key',
    severity: 'warning',
    tags: ['workload-identity'],
    summary: 'Unknown azure.workload.identity/ key',
    description:
      'An azure.workload.identity/ key that the webhook does not know (often a misspelling such as client_id or clientId); it is silently ignored.',
  },
  {
    id: 'wi/token-expiration-invalid',
    severity: 'error',
    tags: ['workload-identity'],
    summary: 'Token expiration out of range',
    description:
      'azure.workload.identity/service-account-token-expiration must be an integer from 3600 to 86400 seconds; the webhook rejects pods outside that range.',
  },
  {
    id: 'wi/skip-containers-unknown',
    severity: 'warning',
    tags: ['workload-identity'],
    summary: 'skip-containers names an unknown container',
    description:
      'azure.workload.identity/skip-containers lists container names separated by semicolons; a name that is not a container of the pod has no effect.',
  },
  {
    id: 'wi/proxy-sidecar-invalid',
    severity: 'error',
    tags: ['workload-identity'],
    summary: 'Invalid proxy sidecar settings',
    description:
      'azure.workload.identity/proxy-sidecar-port must be a port number; inject-proxy-sidecar: "false" still injects the sidecar because the webhook checks only that the key is present; the proxy cannot be used with hostNetwork: true.',
  },
  {
    id: 'wi/client-id-wrong-kind',
    severity: 'error',
    tags: ['workload-identity'],
    summary: 'Workload identity key on an object the webhook does not read',
    description:
      'A workload identity annotation or label on an object the webhook never reads it from, e.g. the client-id annotation on a Service, Pod or Deployment instead of the ServiceAccount.',
  },
  {
    id: 'podidentity/binding-label',
    severity: 'warning',
    tags: ['pod-identity', 'deprecated'],
    summary: 'AAD Pod Identity binding label',
    description:
      'The pod template is labelled aadpodidbinding: AAD Pod Identity is deprecated (2022-10) and archived (2023-09). Migrate to workload identity: an annotated ServiceAccount, the pod label and a federated credential.',
  },
  {
    id: 'podidentity/deprecated-resource',
    severity: 'warning',
    tags: ['pod-identity', 'deprecated'],
    summary: 'AAD Pod Identity resource',
    description:
      'AzureIdentity, AzureIdentityBinding and AzurePodIdentityException belong to the deprecated AAD Pod Identity.',
  },
  {
    id: 'irsa/role-arn-invalid',
    severity: 'error',
    tags: ['irsa', 'aws'],
    summary: 'eks.amazonaws.com/role-arn is not an IAM role ARN',
    description: 'The annotation must be arn:<partition>:iam::<12-digit account>:role/<path/name>.',
  },
  {
    id: 'irsa/trust-policy-mismatch',
    severity: 'warning',
    tags: ['irsa', 'aws'],
    summary: 'IAM trust policy does not match the workspace',
    description:
      'An IAM trust policy whose :sub condition names a ServiceAccount that does not exist or is not annotated with eks.amazonaws.com/role-arn, or whose :aud condition is not sts.amazonaws.com.',
  },
];

export const RULE_BY_ID: ReadonlyMap<string, RuleInfo> = new Map(RULES.map((r) => [r.id, r]));
