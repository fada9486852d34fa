/**
 * Every user-facing string of provisioning (plan titles, blocked reasons, notes, progress, undo),
 * in English and Korean, keyed by id; `{0}`, `{1}`… are replaced in order. Same form as the
 * analysis core's table (../messages.ts), kept apart so each feature owns its strings.
 */
import type { Locale } from '../messages';

const en = {
  'step.oidcIssuer': 'Enable the OIDC issuer on cluster {0}',
  'step.workloadIdentity': 'Enable workload identity on cluster {0}',
  'step.disableWorkloadIdentity': 'Disable workload identity on cluster {0}',
  'step.identity': 'Create managed identity {0}',
  'step.identityExisting': 'Use managed identity {0}',
  'step.serviceAccountCreate': 'Create ServiceAccount {0}/{1} with the client-id annotation',
  'step.serviceAccountAnnotate': 'Annotate ServiceAccount {0}/{1} with the client ID',
  'step.credential': 'Create federated credential {0}',
  'step.role': "Grant '{0}' on {1}",
  'step.propagation': 'Wait for Entra to accept the new credential',
  'step.restart': 'Restart workloads using ServiceAccount {0}/{1}',
  'step.sample': 'Deploy the sample workload {0}/{1}',
  'step.podLabel': 'Label the pods of {0} for workload identity',
  'step.podIdentityCleanup': 'Remove the AAD Pod Identity resources {0} and {1}',
  'step.staleDelete': 'Delete stale credential {0} of identity {1}',

  'blocked.clusterNotFound': "Cluster '{0}' was not found in resource group '{1}'.",
  'unblock.clusterNotFound': 'Check the subscription, the resource group and the cluster name.',
  'blocked.identityGroupMissing': "Resource group '{0}' does not exist, so the identity cannot be created there.",
  'unblock.identityGroupMissing': 'Create the resource group (az group create) or pick an existing one.',
  'blocked.credentialLimit':
    'Identity {0} already holds {1} of 20 federated credentials: an identity can hold at most 20.',
  'unblock.credentialLimit':
    'Delete a credential this identity no longer needs (for example one that names a deleted cluster: use Re-point Federated Credentials), or use another identity for this workload.',
  'blocked.noScope': 'No target was given for the role.',
  'blocked.scopeNotFound': "The role's target {0} was not found.",
  'unblock.scopeNotFound': 'Check the resource ID: it must name an existing resource, resource group or subscription.',
  'blocked.roleNotFound': "No role named '{0}' exists at {1}.",
  'unblock.roleNotFound':
    "Give the role's exact name or its GUID (az role definition list --scope SCOPE --query [].roleName).",
  'blocked.clusterUnreachable': "The cluster's API server could not be reached: {0}",
  'unblock.clusterUnreachable':
    'Check the kubeconfig context (--context), or let kwi use az aks get-credentials (listClusterUserCredential).',
  'blocked.needsCluster': 'Needs the cluster step first.',
  'blocked.needsStep': "Needs '{0}' first (not part of this command).",
  'blocked.clusterBusy': "Cluster '{0}' is in provisioning state {1}; wait until its current operation ends.",
  'unblock.clusterBusy': 'Run again when az aks show reports provisioningState Succeeded.',
  'blocked.identityWrongTenant': 'Identity {0} is in another tenant.',
  'blocked.podIdentityNotUserAssigned':
    'AzureIdentity {0} is not a user-assigned identity (type {1}): only those can hold federated credentials.',
  'unblock.podIdentityNotUserAssigned': 'Create a user-assigned identity with the same roles and set it up instead.',
  'blocked.noStale': 'No stale federated credential names a ServiceAccount of this cluster.',

  'note.irreversibleIssuer':
    'Enabling the OIDC issuer gives the cluster a new issuer URL, restarts its API server, and cannot be undone.',
  'note.credentialCount': '{0} of 20 federated credentials used on this identity.',
  'note.foundByIssuerSubject':
    "Found as credential '{0}' (same issuer and subject; a second name for the same pair is refused).",
  'note.roleExists': 'Already assigned (assignment {0}).',
  'note.roleDefault': 'Default role for a Key Vault: Key Vault Secrets User (reads secrets).',
  'note.barePod':
    'Bare pod {0} predates the change and is not restarted: delete and re-create it yourself when you are ready.',
  'note.restartWorkload': '{0} will be restarted (kubectl rollout restart): {1} pod(s) predate the change.',
  'note.nothingToRestart': 'No pod of this ServiceAccount predates the change.',
  'note.waitLimit': 'Waits until a real token exchange succeeds, at most {0} s, backing off exponentially.',
  'note.dataPlane': "Then waits until the identity can read secret '{0}' (RBAC can take up to 10 minutes).",
  'note.manifestEdit': 'Also sets the client-id annotation in {0} (a minimal edit).',
  'note.annotationOthersKept':
    'Only the client-id annotation is set; other annotations and labels are left as they are.',
  'note.removePodIdentity':
    'Remove the pod identity resources once the workload runs with workload identity: kubectl delete azureidentitybinding {1} -n {2}; kubectl delete azureidentity {0} -n {2}.',
  'note.disableStops':
    'Pods created afterwards no longer get AZURE_* variables or the token volume; running pods keep theirs until restarted.',
  'note.deleteStaleStops':
    'Nothing signed by the old issuer can use this credential any more; the cluster that had that issuer no longer exists.',
  'note.sample': 'Reads secret {1} from {0} with the msal-go sample, as the tutorial does.',

  'error.roleForbidden':
    'Writing role assignments needs Owner or User Access Administrator (Microsoft.Authorization/roleAssignments/write) on {0}, which the signed-in principal lacks.',
  'error.propagationTimeout': 'Gave up waiting after {0} s: {1}',
  'error.cancelled': 'Cancelled before this step ran.',
  'error.dependency': 'Skipped because {0} did not complete.',
  'error.credentialLimit': 'Refused: the identity already holds 20 federated credentials, the maximum.',

  'progress.operation': 'cluster operation {0}',
  'progress.waitExchange': 'waiting for Entra to accept the new credential (attempt {0}, next try in {1} s)',
  'progress.waitDataPlane': 'waiting for the role to take effect on {0} (attempt {1}, next try in {2} s)',
  'progress.principalRetry': 'the new identity is not replicated yet (PrincipalNotFound); retrying in {0} s',
  'progress.exchangeOk': 'Entra accepted the credential',
  'progress.dataPlaneOk': 'the identity can read the secret',

  'undo.header': 'Undo deletes only what this run created, newest first:',
  'undo.identity':
    'Managed identity {0}: every workload that uses its client ID loses access, and its credentials and role assignments go with it.',
  'undo.credential': 'Federated credential {0}: pods of ServiceAccount {1} can no longer get tokens for the identity.',
  'undo.role': 'Role assignment on {0}: the identity loses that access.',
  'undo.serviceaccount': 'ServiceAccount {0}: pods that name it can no longer be created.',
  'undo.annotation':
    'The client-id annotation on ServiceAccount {0} goes back to {1}: new pods no longer get the identity.',
  'undo.annotationNone': '(none)',
  'undo.pod': 'Pod {0}.',
  'undo.podLabel': 'The workload identity label on {0}.',
  'undo.nothing': 'This run created nothing: there is nothing to undo.',

  'cli.done': 'done',
  'cli.todo': 'todo',
  'cli.applied': 'applied',
  'cli.failed': 'FAILED',
  'cli.blocked': 'BLOCKED',
  'cli.skipped': 'skipped',
  'cli.writes': '{0} write request(s) sent.',
  'cli.planOnly': 'Nothing was written. Run again with --yes to apply.',

  'name.identityLength': "Identity name '{0}' has {1} characters: it must have 3 to 128.",
  'name.identityChars':
    "Identity name '{0}' may hold only letters, digits, '-' and '_', and must start with a letter or digit.",
  'name.credential':
    "Credential name '{0}' must match ^[a-zA-Z0-9][a-zA-Z0-9-_]{2,119}$ (3 to 120 letters, digits, '-' or '_', starting with a letter or digit).",
  'name.namespace':
    "Namespace '{0}' is not a DNS-1123 label (lower-case letters, digits and '-', at most 63, starting and ending with a letter or digit).",
  'name.serviceAccount':
    "ServiceAccount name '{0}' is not a DNS-1123 subdomain (lower-case letters, digits, '-' and '.', at most 253).",
  'name.resourceGroup':
    "Resource group name '{0}' is not valid (1 to 90 letters, digits, '_', '-', '.', '(' or ')', not ending in '.').",
  'name.scope': "'{0}' is not an ARM resource ID (/subscriptions/{id}/…).",
};

export type ProvisionMessageId = keyof typeof en;

const ko: Record<ProvisionMessageId, string> = {
  'step.oidcIssuer': '클러스터 {0}에서 OIDC 발급자 사용',
  'step.workloadIdentity': '클러스터 {0}에서 워크로드 ID 사용',
  'step.disableWorkloadIdentity': '클러스터 {0}에서 워크로드 ID 사용 안 함',
  'step.identity': '관리 ID {0} 만들기',
  'step.identityExisting': '관리 ID {0} 사용',
  'step.serviceAccountCreate': 'client-id 주석이 있는 ServiceAccount {0}/{1} 만들기',
  'step.serviceAccountAnnotate': 'ServiceAccount {0}/{1}에 클라이언트 ID 주석 추가',
  'step.credential': '페더레이션 자격 증명 {0} 만들기',
  'step.role': "{1}에 '{0}' 역할 부여",
  'step.propagation': 'Entra가 새 자격 증명을 받아들일 때까지 대기',
  'step.restart': 'ServiceAccount {0}/{1}을(를) 사용하는 워크로드 다시 시작',
  'step.sample': '샘플 워크로드 {0}/{1} 배포',
  'step.podLabel': '{0}의 Pod에 워크로드 ID 레이블 추가',
  'step.podIdentityCleanup': 'AAD Pod Identity 리소스 {0} 및 {1} 제거',
  'step.staleDelete': 'ID {1}의 오래된 자격 증명 {0} 삭제',

  'blocked.clusterNotFound': "리소스 그룹 '{1}'에서 클러스터 '{0}'을(를) 찾을 수 없습니다.",
  'unblock.clusterNotFound': '구독, 리소스 그룹 및 클러스터 이름을 확인하세요.',
  'blocked.identityGroupMissing': "리소스 그룹 '{0}'이(가) 없어 ID를 만들 수 없습니다.",
  'unblock.identityGroupMissing': '리소스 그룹을 만들거나(az group create) 기존 그룹을 선택하세요.',
  'blocked.credentialLimit':
    'ID {0}에 이미 페더레이션 자격 증명이 20개 중 {1}개 있습니다. ID 하나에는 최대 20개까지 만들 수 있습니다.',
  'unblock.credentialLimit':
    '이 ID에 더 이상 필요 없는 자격 증명(예: 삭제된 클러스터를 가리키는 자격 증명, 페더레이션 자격 증명 다시 지정 사용)을 삭제하거나 이 워크로드에 다른 ID를 사용하세요.',
  'blocked.noScope': '역할의 대상이 지정되지 않았습니다.',
  'blocked.scopeNotFound': '역할의 대상 {0}을(를) 찾을 수 없습니다.',
  'unblock.scopeNotFound': '리소스 ID를 확인하세요. 기존 리소스, 리소스 그룹 또는 구독이어야 합니다.',
  'blocked.roleNotFound': "{1}에 '{0}' 역할이 없습니다.",
  'unblock.roleNotFound':
    '역할의 정확한 이름이나 GUID를 지정하세요(az role definition list --scope SCOPE --query [].roleName).',
  'blocked.clusterUnreachable': '클러스터의 API 서버에 연결할 수 없습니다: {0}',
  'unblock.clusterUnreachable':
    'kubeconfig 컨텍스트(--context)를 확인하거나 kwi가 az aks get-credentials(listClusterUserCredential)를 사용하게 하세요.',
  'blocked.needsCluster': '먼저 클러스터 단계가 필요합니다.',
  'blocked.needsStep': "먼저 '{0}'이(가) 필요합니다(이 명령에 포함되지 않음).",
  'blocked.clusterBusy': "클러스터 '{0}'의 프로비전 상태가 {1}입니다. 현재 작업이 끝날 때까지 기다리세요.",
  'unblock.clusterBusy': 'az aks show가 provisioningState Succeeded를 보고하면 다시 실행하세요.',
  'blocked.identityWrongTenant': 'ID {0}은(는) 다른 테넌트에 있습니다.',
  'blocked.podIdentityNotUserAssigned':
    'AzureIdentity {0}은(는) 사용자 할당 ID가 아닙니다(형식 {1}). 사용자 할당 ID만 페더레이션 자격 증명을 가질 수 있습니다.',
  'unblock.podIdentityNotUserAssigned': '같은 역할을 가진 사용자 할당 ID를 만들어 대신 설정하세요.',
  'blocked.noStale': '이 클러스터의 ServiceAccount를 가리키는 오래된 페더레이션 자격 증명이 없습니다.',

  'note.irreversibleIssuer':
    'OIDC 발급자를 사용하면 클러스터의 발급자 URL이 새로 바뀌고 API 서버가 다시 시작되며, 되돌릴 수 없습니다.',
  'note.credentialCount': '이 ID에서 페더레이션 자격 증명 20개 중 {0}개를 사용 중입니다.',
  'note.foundByIssuerSubject':
    "자격 증명 '{0}'(으)로 찾았습니다(발급자와 주체가 같음. 같은 쌍에 두 번째 이름은 거부됨).",
  'note.roleExists': '이미 할당되어 있습니다(할당 {0}).',
  'note.roleDefault': 'Key Vault의 기본 역할: Key Vault Secrets User(비밀 읽기).',
  'note.barePod':
    '단독 Pod {0}은(는) 변경 이전에 만들어졌으며 다시 시작하지 않습니다. 준비되면 직접 삭제하고 다시 만드세요.',
  'note.restartWorkload': '{0}을(를) 다시 시작합니다(kubectl rollout restart). Pod {1}개가 변경 이전에 만들어졌습니다.',
  'note.nothingToRestart': '이 ServiceAccount의 Pod 중 변경 이전에 만들어진 것이 없습니다.',
  'note.waitLimit': '실제 토큰 교환이 성공할 때까지 지수 백오프로 최대 {0}초 기다립니다.',
  'note.dataPlane': "그런 다음 ID가 비밀 '{0}'을(를) 읽을 수 있을 때까지 기다립니다(RBAC는 최대 10분 걸릴 수 있음).",
  'note.manifestEdit': '{0}에도 client-id 주석을 설정합니다(최소 편집).',
  'note.annotationOthersKept': 'client-id 주석만 설정하며 다른 주석과 레이블은 그대로 둡니다.',
  'note.removePodIdentity':
    '워크로드가 워크로드 ID로 실행되면 Pod ID 리소스를 제거하세요: kubectl delete azureidentitybinding {1} -n {2}; kubectl delete azureidentity {0} -n {2}.',
  'note.disableStops':
    '이후 만들어지는 Pod는 AZURE_* 변수와 토큰 볼륨을 더 이상 받지 않습니다. 실행 중인 Pod는 다시 시작될 때까지 유지합니다.',
  'note.deleteStaleStops':
    '이전 발급자가 서명한 토큰은 더 이상 이 자격 증명을 사용할 수 없습니다. 그 발급자를 가진 클러스터는 이제 없습니다.',
  'note.sample': '자습서처럼 msal-go 샘플로 {0}에서 비밀 {1}을(를) 읽습니다.',

  'error.roleForbidden':
    '역할 할당을 쓰려면 {0}에 대한 소유자 또는 사용자 액세스 관리자(Microsoft.Authorization/roleAssignments/write) 권한이 필요하지만 로그인한 주체에게 없습니다.',
  'error.propagationTimeout': '{0}초 후 대기를 포기했습니다: {1}',
  'error.cancelled': '이 단계가 실행되기 전에 취소되었습니다.',
  'error.dependency': '{0}이(가) 완료되지 않아 건너뛰었습니다.',
  'error.credentialLimit': '거부됨: ID에 이미 최대치인 페더레이션 자격 증명 20개가 있습니다.',

  'progress.operation': '클러스터 작업 {0}',
  'progress.waitExchange': 'Entra가 새 자격 증명을 받아들이기를 기다리는 중(시도 {0}, {1}초 후 다시 시도)',
  'progress.waitDataPlane': '{0}에서 역할이 적용되기를 기다리는 중(시도 {1}, {2}초 후 다시 시도)',
  'progress.principalRetry': '새 ID가 아직 복제되지 않았습니다(PrincipalNotFound). {0}초 후 다시 시도합니다',
  'progress.exchangeOk': 'Entra가 자격 증명을 받아들였습니다',
  'progress.dataPlaneOk': 'ID가 비밀을 읽을 수 있습니다',

  'undo.header': '실행 취소는 이번 실행에서 만든 것만 최신 항목부터 삭제합니다:',
  'undo.identity':
    '관리 ID {0}: 이 클라이언트 ID를 사용하는 모든 워크로드가 액세스를 잃고, 자격 증명과 역할 할당도 함께 삭제됩니다.',
  'undo.credential': '페더레이션 자격 증명 {0}: ServiceAccount {1}의 Pod가 더 이상 이 ID의 토큰을 받을 수 없습니다.',
  'undo.role': '{0}에 대한 역할 할당: ID가 해당 액세스를 잃습니다.',
  'undo.serviceaccount': 'ServiceAccount {0}: 이를 지정하는 Pod를 더 이상 만들 수 없습니다.',
  'undo.annotation': 'ServiceAccount {0}의 client-id 주석이 {1}(으)로 돌아갑니다. 새 Pod는 더 이상 ID를 받지 않습니다.',
  'undo.annotationNone': '(없음)',
  'undo.pod': 'Pod {0}.',
  'undo.podLabel': '{0}의 워크로드 ID 레이블.',
  'undo.nothing': '이번 실행에서 만든 것이 없어 실행 취소할 것이 없습니다.',

  'cli.done': '완료됨',
  'cli.todo': '할 일',
  'cli.applied': '적용됨',
  'cli.failed': '실패',
  'cli.blocked': '차단됨',
  'cli.skipped': '건너뜀',
  'cli.writes': '쓰기 요청 {0}개를 보냈습니다.',
  'cli.planOnly': '아무것도 쓰지 않았습니다. 적용하려면 --yes로 다시 실행하세요.',

  'name.identityLength': "ID 이름 '{0}'은(는) {1}자입니다. 3~128자여야 합니다.",
  'name.identityChars': "ID 이름 '{0}'에는 문자, 숫자, '-', '_'만 쓸 수 있으며 문자나 숫자로 시작해야 합니다.",
  'name.credential':
    "자격 증명 이름 '{0}'은(는) ^[a-zA-Z0-9][a-zA-Z0-9-_]{2,119}$와 일치해야 합니다(문자나 숫자로 시작하는 3~120자의 문자, 숫자, '-', '_').",
  'name.namespace':
    "네임스페이스 '{0}'은(는) DNS-1123 레이블이 아닙니다(소문자, 숫자, '-', 최대 63자, 문자나 숫자로 시작하고 끝남).",
  'name.serviceAccount':
    "ServiceAccount 이름 '{0}'은(는) DNS-1123 하위 도메인이 아닙니다(소문자, 숫자, '-', '.', 최대 253자).",
  'name.resourceGroup':
    "리소스 그룹 이름 '{0}'이(가) 잘못되었습니다(1~90자의 문자, 숫자, '_', '-', '.', '(', ')', '.'으로 끝나지 않음).",
  'name.scope': "'{0}'은(는) ARM 리소스 ID(/subscriptions/{id}/…)가 아닙니다.",
};

const tables: Record<Locale, Record<ProvisionMessageId, string>> = { en, ko };

export function pmsg(locale: Locale | undefined, id: ProvisionMessageId, ...args: Array<string | number>): string {
  const template = tables[locale ?? 'en'][id] ?? en[id];
  return template.replace(/\{(\d+)\}/g, (m, i: string) => {
    const v = args[Number(i)];
    return v === undefined ? m : String(v);
  });
}

export function provisionMessageTable(locale: Locale): Readonly<Record<ProvisionMessageId, string>> {
  return tables[locale];
}
