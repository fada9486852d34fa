import { createHash } from 'node:crypto';
import type { IdentityRecord, SandboxState } from '../state';

/**
 * The sandbox's directory as Microsoft Graph v1.0 shows it (learn.microsoft.com/graph/api/resources/serviceprincipal):
 * the developer's app registration as an `Application` service principal, and every user-assigned
 * managed identity (kubelet identities included) as a `ManagedIdentity` service principal whose
 * `appId` is the identity's client ID and whose `id` is its principal ID. The sandbox has no users.
 */
export type DirectoryObject = Record<string, unknown> & { id: string };

const SP_TYPE = '#microsoft.graph.servicePrincipal';

function base(): Record<string, unknown> {
  return {
    deletedDateTime: null,
    accountEnabled: true,
    appDescription: null,
    applicationTemplateId: null,
    appRoleAssignmentRequired: false,
    description: null,
    disabledByMicrosoftStatus: null,
    homepage: null,
    loginUrl: null,
    logoutUrl: null,
    notes: null,
    notificationEmailAddresses: [],
    preferredSingleSignOnMode: null,
    preferredTokenSigningKeyThumbprint: null,
    replyUrls: [],
    samlSingleSignOnSettings: null,
    tags: [],
    tokenEncryptionKeyId: null,
    addIns: [],
    appRoles: [],
    info: { logoUrl: null, marketingUrl: null, privacyStatementUrl: null, supportUrl: null, termsOfServiceUrl: null },
    keyCredentials: [],
    oauth2PermissionScopes: [],
    passwordCredentials: [],
    resourceSpecificApplicationPermissions: [],
    verifiedPublisher: { displayName: null, verifiedPublisherId: null, addedDateTime: null },
  };
}

function identityPrincipal(i: IdentityRecord): DirectoryObject {
  // The second service principal name of a managed identity is an opaque `https://identity.azure.net/…` value.
  const opaque = createHash('sha256').update(i.id.toLowerCase()).digest('base64');
  return {
    '@odata.type': SP_TYPE,
    id: i.principalId,
    ...base(),
    // User-assigned identities are explicit; `isExplicit=False` marks system-assigned ones.
    alternativeNames: ['isExplicit=True', i.id],
    appDisplayName: null,
    appId: i.clientId,
    appOwnerOrganizationId: null,
    displayName: i.name,
    servicePrincipalNames: [i.clientId, `https://identity.azure.net/${opaque}`],
    servicePrincipalType: 'ManagedIdentity',
    signInAudience: null,
  };
}

export function servicePrincipals(state: SandboxState): DirectoryObject[] {
  const d = state.developer;
  const developer: DirectoryObject = {
    '@odata.type': SP_TYPE,
    id: d.objectId,
    ...base(),
    alternativeNames: [],
    appDisplayName: d.displayName,
    appId: d.clientId,
    appOwnerOrganizationId: state.tenantId,
    displayName: d.displayName,
    servicePrincipalNames: [d.clientId],
    servicePrincipalType: 'Application',
    signInAudience: 'AzureADMyOrg',
  };
  return [developer, ...Object.values(state.identities).map(identityPrincipal)];
}

/** The sandbox's directory has no user accounts (its sign-in is an app registration). */
export function users(_state: SandboxState): DirectoryObject[] {
  return [];
}
