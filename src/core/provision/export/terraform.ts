/**
 * The plan as Terraform for the azurerm provider. Property names depend on the provider version
 * (hashicorp/terraform-provider-azurerm website/docs and CHANGELOG):
 * - `azurerm_federated_identity_credential` takes `user_assigned_identity_id` from 4.65 on, and
 *   `parent_id` + `resource_group_name` before;
 * - `azurerm_key_vault` calls `enable_rbac_authorization` `rbac_authorization_enabled` from 5.0 on.
 * The cluster is read (data source): enabling its issuer belongs on the user's own
 * `azurerm_kubernetes_cluster` (`oidc_issuer_enabled`, `workload_identity_enabled`).
 */
import type { Plan } from '../plan';
import { exportValues, splitResourceId } from './exportValues';

export const DEFAULT_TERRAFORM_PROVIDER = '4.65.0';

const q = (s: string): string => JSON.stringify(s).replace(/\$\{/g, '$${').replace(/%\{/g, '%%{');

/** `4.65.0`, `~> 4.65`, `>= 3.0, < 5.0` → the first version's [major, minor]. */
export function parseProviderVersion(v: string): [number, number] | undefined {
  const m = /(\d+)(?:\.(\d+))?/.exec(v);
  return m ? [Number(m[1]), Number(m[2] ?? 0)] : undefined;
}

const atLeast = (v: [number, number], major: number, minor: number) =>
  v[0] > major || (v[0] === major && v[1] >= minor);

export function renderTerraform(plan: Plan, providerVersion = DEFAULT_TERRAFORM_PROVIDER): string {
  const v = exportValues(plan);
  const pv = parseProviderVersion(providerVersion);
  if (!pv) throw new Error(`'${providerVersion}' is not a provider version (e.g. 4.65.0)`);
  const constraint = /^[\d.]+$/.test(providerVersion.trim()) ? `~> ${providerVersion.trim()}` : providerVersion.trim();
  const out: string[] = [
    `# Workload identity ${plan.kind} for ServiceAccount ${v.namespace}/${v.serviceAccount} on cluster ${v.clusterName}.`.replace(
      /[\r\n]/g,
      ' ',
    ),
  ];
  if (v.enableCluster) {
    out.push(
      '# The cluster needs oidc_issuer_enabled = true and workload_identity_enabled = true on its azurerm_kubernetes_cluster',
      '# (enabling the issuer cannot be undone and restarts the API server).',
    );
  }
  out.push(
    'terraform {',
    '  required_providers {',
    '    azurerm = {',
    '      source  = "hashicorp/azurerm"',
    `      version = ${q(constraint)}`,
    '    }',
    '  }',
    '}',
    '',
    'provider "azurerm" {',
    '  features {}',
    `  subscription_id = ${q(v.subscriptionId)}`,
    '}',
    '',
    'data "azurerm_kubernetes_cluster" "aks" {',
    `  name                = ${q(v.clusterName)}`,
    `  resource_group_name = ${q(v.resourceGroup)}`,
    '}',
    '',
  );
  const identityRef = v.identityExists ? 'data.azurerm_user_assigned_identity.wi' : 'azurerm_user_assigned_identity.wi';
  if (v.identityExists) {
    out.push(
      'data "azurerm_user_assigned_identity" "wi" {',
      `  name                = ${q(v.identityName)}`,
      `  resource_group_name = ${q(v.identityGroup)}`,
      '}',
      '',
    );
  } else {
    out.push(
      'resource "azurerm_user_assigned_identity" "wi" {',
      `  name                = ${q(v.identityName)}`,
      `  resource_group_name = ${q(v.identityGroup)}`,
      `  location            = ${q(v.location)}`,
      '}',
      '',
    );
  }
  out.push('resource "azurerm_federated_identity_credential" "wi" {', `  name      = ${q(v.credentialName)}`);
  if (atLeast(pv, 4, 65)) out.push(`  user_assigned_identity_id = ${identityRef}.id`);
  else out.push(`  resource_group_name = ${q(v.identityGroup)}`, `  parent_id           = ${identityRef}.id`);
  out.push(
    '  audience  = ["api://AzureADTokenExchange"]',
    '  issuer    = data.azurerm_kubernetes_cluster.aks.oidc_issuer_url',
    `  subject   = ${q(v.subject)}`,
    '}',
    '',
  );
  if (v.scope && v.has('role-assignment')) {
    const t = splitResourceId(v.scope);
    const vault = v.isKeyVault && t.name && t.resourceGroup;
    if (vault) {
      out.push(
        'data "azurerm_key_vault" "target" {',
        `  name                = ${q(t.name!)}`,
        `  resource_group_name = ${q(t.resourceGroup!)}`,
        '}',
        '',
      );
    }
    out.push(
      'resource "azurerm_role_assignment" "wi" {',
      `  scope                = ${vault ? 'data.azurerm_key_vault.target.id' : q(v.scope)}`,
    );
    if (v.roleName) out.push(`  role_definition_name = ${q(v.roleName)}`);
    else {
      out.push(
        `  role_definition_id   = ${q(`/subscriptions/${v.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${v.roleGuid ?? ''}`)}`,
      );
    }
    out.push(`  principal_id         = ${identityRef}.principal_id`, '  principal_type       = "ServicePrincipal"');
    if (vault) {
      // A data-plane role on a vault works only when the vault uses Azure RBAC, not access policies.
      const attr = atLeast(pv, 5, 0) ? 'rbac_authorization_enabled' : 'enable_rbac_authorization';
      out.push(
        '',
        '  lifecycle {',
        '    precondition {',
        `      condition     = data.azurerm_key_vault.target.${attr}`,
        '      error_message = "The Key Vault uses access policies: a role assignment grants nothing until it uses Azure RBAC authorization."',
        '    }',
        '  }',
      );
    }
    out.push('}', '');
  }
  out.push(
    'output "client_id" {',
    `  value = ${identityRef}.client_id`,
    '}',
    '',
    'output "oidc_issuer_url" {',
    '  value = data.azurerm_kubernetes_cluster.aks.oidc_issuer_url',
    '}',
  );
  return `${out.join('\n')}\n`;
}
