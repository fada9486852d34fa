/**
 * Every user-facing string of the analysis core, in English and Korean, keyed by id.
 * `{0}`, `{1}`… are replaced in order. The VS Code layer's own strings live in l10n/.
 */
export type Locale = 'en' | 'ko';

const en = {
  'useLabelMissing.sa':
    'The pod template uses ServiceAccount \'{0}\', which has a workload identity client ID, but lacks the label azure.workload.identity/use: "true": the webhook will not inject the token.',
  'useLabelMissing.annotations':
    'The pod template has azure.workload.identity/* annotations but lacks the label azure.workload.identity/use: "true": the webhook ignores this pod.',
  'useLabelMisplaced.metadata':
    "The label azure.workload.identity/use is on the {0}'s own metadata; the webhook reads the pod template's labels (spec.template.metadata.labels).",
  'useLabelMisplaced.annotations':
    'azure.workload.identity/use is a label, not an annotation: the webhook selects pods by label.',
  'useLabelMisplaced.selector':
    "azure.workload.identity/use is only in spec.selector (immutable on a live {0}); the webhook reads the pod template's labels.",
  'useLabelNotTrue.bool':
    'The label value must be the string "true": unquoted {0} is a YAML boolean and the API server rejects the object.',
  'useLabelNotTrue.yaml11':
    'The label value must be the string "true": Kubernetes reads unquoted {0} as a YAML 1.1 boolean and the API server rejects the object.',
  'useLabelNotTrue.other':
    'The label value must be exactly the string "true" (found {0}): the webhook matches only "true".',
  'serviceAccountDefault.missing':
    "The pod template uses workload identity but sets no serviceAccountName: it runs as the namespace's 'default' ServiceAccount.",
  'serviceAccountDefault.explicit':
    "The pod template uses workload identity with the 'default' ServiceAccount: use a dedicated, annotated ServiceAccount.",
  serviceAccountNotAnnotated:
    "ServiceAccount '{0}' (namespace {1}) has no azure.workload.identity/client-id annotation: AZURE_CLIENT_ID will not be set.",
  serviceAccountNotFound: "ServiceAccount '{0}' is defined nowhere in the workspace in namespace {1}.",
  'serviceAccountNotFound.elsewhere':
    "ServiceAccount '{0}' is defined nowhere in the workspace in namespace {1}; one of that name exists in namespace {2} ({3}).",
  clientIdInvalid: "azure.workload.identity/client-id must be a GUID (the identity's client ID), not '{0}'.",
  'clientIdInvalid.variable':
    "azure.workload.identity/client-id is '{0}', an unexpanded variable: the webhook would inject it verbatim.",
  tenantIdInvalid: "azure.workload.identity/tenant-id must be a GUID (the directory ID), not '{0}'.",
  notString: 'Annotation values must be strings: {0} is a YAML {1}; quote it.',
  unknownKey: "Unknown key '{0}': the webhook ignores it. Did you mean '{1}'?",
  'unknownKey.noSuggestion': "Unknown key '{0}': the webhook ignores it.",
  'unknownKey.useAnnotation':
    'Unknown annotation \'{0}\': the webhook ignores it. It selects pods by the label azure.workload.identity/use: "true" on the pod (template), never by an annotation.',
  tokenExpirationInvalid:
    "service-account-token-expiration must be an integer number of seconds from 3600 to 86400 (found '{0}'): the webhook rejects the pod.",
  skipContainersUnknown: "skip-containers names '{0}', which is not a container of this pod.",
  skipContainersComma:
    "skip-containers separates container names with semicolons, not commas: '{0}' is read as one name.",
  proxyPortInvalid: "proxy-sidecar-port must be a port number from 1 to 65535, not '{0}'.",
  proxyInjectFalse:
    'inject-proxy-sidecar: "{0}" still injects the proxy sidecar: the webhook checks only that the key is present. Remove the annotation instead.',
  proxyHostNetwork: 'The workload identity proxy sidecar cannot be used with hostNetwork: true.',
  'wrongKind.clientId': "{0} on a {1} is never read by the webhook: it belongs in the ServiceAccount's annotations.",
  'wrongKind.podAnnotation': "{0} is read from the pod template's annotations, not from a {1}.",
  'wrongKind.useLabel': 'The label azure.workload.identity/use is read only on pods and pod templates, not on a {0}.',
  'wrongKind.labelNotAnnotation': '{0} is an annotation, not a label: the webhook never reads it from labels.',
  bindingLabel:
    'AAD Pod Identity (aadpodidbinding) is deprecated and archived: migrate this workload to workload identity.',
  deprecatedResource:
    '{0} belongs to AAD Pod Identity, deprecated since October 2022 and archived in September 2023: migrate to workload identity.',
  roleArnInvalid:
    "eks.amazonaws.com/role-arn must be an IAM role ARN (arn:aws:iam::123456789012:role/NAME), not '{0}'.",
  'trust.notFound': 'This trust policy trusts ServiceAccount {0}/{1}, which is defined nowhere in the workspace.',
  'trust.notAnnotated':
    'This trust policy trusts ServiceAccount {0}/{1}, which has no eks.amazonaws.com/role-arn annotation.',
  'trust.otherAccount':
    "This trust policy trusts ServiceAccount {0}/{1}, but that ServiceAccount is annotated with a role in account {2}, not this provider's account {3}.",
  'trust.aud': "The audience condition must be sts.amazonaws.com (found '{0}').",
  'trust.subMalformed': "The sub condition must be system:serviceaccount:NAMESPACE:NAME (found '{0}').",
  'fix.addLabel': 'Add label azure.workload.identity/use: "true"',
  'fix.annotationToLabel': 'Replace with label azure.workload.identity/use: "true"',
  'fix.moveLabel': "Move the label to the pod template's labels",
  'fix.copyLabel': "Add the label to the pod template's labels (the selector keeps it)",
  'fix.setTrue': 'Set the value to "true"',
  'fix.renameKey': "Rename to '{0}'",
  'fix.setServiceAccount': 'Set serviceAccountName: {0}',
  'fix.annotate': "Annotate ServiceAccount '{0}' with a client ID…",
  'fix.moveToServiceAccount': "Move the client ID to ServiceAccount '{0}'",
  'fix.copyToServiceAccount': "Annotate ServiceAccount '{0}' with this client ID",
  'fix.quote': 'Quote the value',
  'fix.removeAnnotation': 'Remove the annotation',
  'fix.semicolons': 'Separate the names with semicolons',
  'fix.migrate': 'Migrate to workload identity (client ID {0})',
  'fix.migrateAsk': 'Migrate to workload identity…',
  'noFix.anchor':
    'No automatic fix: the change would land in the anchored node &{0}, which an alias *{0} reuses, so it would change every use; edit it by hand.',
  'noFix.tag':
    'No automatic fix: the value carries the explicit tag {0}, which a new value would keep; edit it by hand.',
  'input.clientId': 'Client ID of the managed identity (a GUID, e.g. 6f1c2a4e-0000-4000-8000-00000000f901)',
  'input.notGuid': 'Not a GUID: expected 8-4-4-4-12 hexadecimal digits.',
  'skipped.file':
    'Workload identity analysis skipped this file: it has {0} characters, more than the {1} analyzed per file.',
  'skipped.documents':
    'Workload identity analysis skipped {0} document(s) of this file longer than {1} characters each.',
  'skipped.trustWildcards':
    "Workload identity analysis did not compare {0} wildcard subject(s) of this trust policy with the workspace's ServiceAccounts: there are too many.",
  'skipped.fileBytes':
    'Workload identity analysis skipped this file without reading it: its {0} bytes hold more than the {1} characters analyzed per file.',
  'lens.ready': 'Workload identity: ready (client {0})',
  'lens.notReady': 'Workload identity: not ready — {0}',
  'lens.notReadyMore': 'Workload identity: not ready — {0} (+{1} more)',
  'lens.line': 'line {0}',
  'lens.openServiceAccount': 'Open ServiceAccount {0}/{1}',
  'lens.labelMissing': 'Workload identity: label missing — Add label',
  'lens.notEnabled': 'Workload identity: not enabled — Add label',
  'lens.labelMisplaced': 'Workload identity: label misplaced — Move label',
  'lens.labelNotTrue': 'Workload identity: label value is not "true" — Fix value',
  'lens.defaultServiceAccount': 'Workload identity: default ServiceAccount — Set serviceAccountName',
  'lens.serviceAccountNotFound': "Workload identity: ServiceAccount '{0}' not found in namespace {1}",
  'lens.notAnnotated': 'ServiceAccount not annotated — Add client ID…',
  'lens.podIdentity': 'AAD Pod Identity (deprecated) — Migrate to workload identity',
  'lens.annotated': 'Workload identity: client {0}',
  'lens.clientIdInvalid': 'Workload identity: client ID is not a GUID',
  'lens.irsa': 'IRSA: role {0}',
} as const;

export type MessageId = keyof typeof en;

const ko: Record<MessageId, string> = {
  'useLabelMissing.sa':
    '파드 템플릿이 워크로드 ID 클라이언트 ID가 있는 ServiceAccount \'{0}\'을(를) 사용하지만 레이블 azure.workload.identity/use: "true"가 없습니다. 웹후크가 토큰을 주입하지 않습니다.',
  'useLabelMissing.annotations':
    '파드 템플릿에 azure.workload.identity/* 주석이 있지만 레이블 azure.workload.identity/use: "true"가 없습니다. 웹후크가 이 파드를 무시합니다.',
  'useLabelMisplaced.metadata':
    '레이블 azure.workload.identity/use가 {0} 자체의 metadata에 있습니다. 웹후크는 파드 템플릿의 레이블(spec.template.metadata.labels)을 읽습니다.',
  'useLabelMisplaced.annotations':
    'azure.workload.identity/use는 주석이 아니라 레이블입니다. 웹후크는 레이블로 파드를 선택합니다.',
  'useLabelMisplaced.selector':
    'azure.workload.identity/use가 spec.selector에만 있습니다(실행 중인 {0}에서는 변경 불가). 웹후크는 파드 템플릿의 레이블을 읽습니다.',
  'useLabelNotTrue.bool':
    '레이블 값은 문자열 "true"여야 합니다. 따옴표 없는 {0}은(는) YAML 불리언이라 API 서버가 객체를 거부합니다.',
  'useLabelNotTrue.yaml11':
    '레이블 값은 문자열 "true"여야 합니다. Kubernetes는 따옴표 없는 {0}을(를) YAML 1.1 불리언으로 읽어 API 서버가 객체를 거부합니다.',
  'useLabelNotTrue.other': '레이블 값은 정확히 문자열 "true"여야 합니다(현재 {0}). 웹후크는 "true"만 인식합니다.',
  'serviceAccountDefault.missing':
    "파드 템플릿이 워크로드 ID를 사용하지만 serviceAccountName이 없습니다. 네임스페이스의 'default' ServiceAccount로 실행됩니다.",
  'serviceAccountDefault.explicit':
    "파드 템플릿이 'default' ServiceAccount로 워크로드 ID를 사용합니다. 전용으로 주석을 단 ServiceAccount를 사용하세요.",
  serviceAccountNotAnnotated:
    "ServiceAccount '{0}'(네임스페이스 {1})에 azure.workload.identity/client-id 주석이 없습니다. AZURE_CLIENT_ID가 설정되지 않습니다.",
  serviceAccountNotFound: "ServiceAccount '{0}'이(가) 작업 영역의 네임스페이스 {1}에 정의되어 있지 않습니다.",
  'serviceAccountNotFound.elsewhere':
    "ServiceAccount '{0}'이(가) 작업 영역의 네임스페이스 {1}에 정의되어 있지 않습니다. 같은 이름이 네임스페이스 {2}에 있습니다({3}).",
  clientIdInvalid:
    "azure.workload.identity/client-id는 GUID(ID의 클라이언트 ID)여야 합니다. '{0}'은(는) 올바르지 않습니다.",
  'clientIdInvalid.variable':
    "azure.workload.identity/client-id가 확장되지 않은 변수 '{0}'입니다. 웹후크가 그대로 주입합니다.",
  tenantIdInvalid: "azure.workload.identity/tenant-id는 GUID(디렉터리 ID)여야 합니다. '{0}'은(는) 올바르지 않습니다.",
  notString: '주석 값은 문자열이어야 합니다. {0}은(는) YAML {1}입니다. 따옴표로 감싸세요.',
  unknownKey: "알 수 없는 키 '{0}': 웹후크가 무시합니다. '{1}'을(를) 의도하셨나요?",
  'unknownKey.noSuggestion': "알 수 없는 키 '{0}': 웹후크가 무시합니다.",
  'unknownKey.useAnnotation':
    '알 수 없는 주석 \'{0}\': 웹후크가 무시합니다. 웹후크는 주석이 아니라 파드(템플릿)의 레이블 azure.workload.identity/use: "true"로 파드를 선택합니다.',
  tokenExpirationInvalid:
    "service-account-token-expiration은 3600~86400 사이의 정수(초)여야 합니다(현재 '{0}'). 웹후크가 파드를 거부합니다.",
  skipContainersUnknown: "skip-containers에 지정된 '{0}'은(는) 이 파드의 컨테이너가 아닙니다.",
  skipContainersComma:
    "skip-containers는 컨테이너 이름을 쉼표가 아닌 세미콜론으로 구분합니다. '{0}'은(는) 하나의 이름으로 읽힙니다.",
  proxyPortInvalid: "proxy-sidecar-port는 1~65535 사이의 포트 번호여야 합니다. '{0}'은(는) 올바르지 않습니다.",
  proxyInjectFalse:
    'inject-proxy-sidecar: "{0}"이어도 프록시 사이드카가 주입됩니다. 웹후크는 키의 존재만 확인합니다. 대신 주석을 제거하세요.',
  proxyHostNetwork: '워크로드 ID 프록시 사이드카는 hostNetwork: true와 함께 사용할 수 없습니다.',
  'wrongKind.clientId': '{1}의 {0}은(는) 웹후크가 읽지 않습니다. ServiceAccount의 주석에 있어야 합니다.',
  'wrongKind.podAnnotation': '{0}은(는) {1}이(가) 아니라 파드 템플릿의 주석에서 읽습니다.',
  'wrongKind.useLabel': '레이블 azure.workload.identity/use는 {0}이(가) 아니라 파드와 파드 템플릿에서만 읽습니다.',
  'wrongKind.labelNotAnnotation': '{0}은(는) 레이블이 아니라 주석입니다. 웹후크는 레이블에서 읽지 않습니다.',
  bindingLabel:
    'AAD Pod Identity(aadpodidbinding)는 더 이상 사용되지 않으며 보관되었습니다. 이 워크로드를 워크로드 ID로 마이그레이션하세요.',
  deprecatedResource:
    '{0}은(는) AAD Pod Identity 리소스입니다(2022년 10월 사용 중단, 2023년 9월 보관). 워크로드 ID로 마이그레이션하세요.',
  roleArnInvalid:
    "eks.amazonaws.com/role-arn은 IAM 역할 ARN(arn:aws:iam::123456789012:role/NAME)이어야 합니다. '{0}'은(는) 올바르지 않습니다.",
  'trust.notFound': '이 신뢰 정책은 ServiceAccount {0}/{1}을(를) 신뢰하지만 작업 영역 어디에도 정의되어 있지 않습니다.',
  'trust.notAnnotated':
    '이 신뢰 정책은 ServiceAccount {0}/{1}을(를) 신뢰하지만 eks.amazonaws.com/role-arn 주석이 없습니다.',
  'trust.otherAccount':
    '이 신뢰 정책은 ServiceAccount {0}/{1}을(를) 신뢰하지만 해당 ServiceAccount는 이 공급자의 계정 {3}이 아닌 계정 {2}의 역할로 주석이 달려 있습니다.',
  'trust.aud': "audience 조건은 sts.amazonaws.com이어야 합니다(현재 '{0}').",
  'trust.subMalformed': "sub 조건은 system:serviceaccount:NAMESPACE:NAME 형식이어야 합니다(현재 '{0}').",
  'fix.addLabel': '레이블 azure.workload.identity/use: "true" 추가',
  'fix.annotationToLabel': '레이블 azure.workload.identity/use: "true"(으)로 바꾸기',
  'fix.moveLabel': '레이블을 파드 템플릿의 레이블로 이동',
  'fix.copyLabel': '레이블을 파드 템플릿의 레이블에 추가(셀렉터는 그대로 유지)',
  'fix.setTrue': '값을 "true"로 설정',
  'fix.renameKey': "'{0}'(으)로 이름 변경",
  'fix.setServiceAccount': 'serviceAccountName: {0} 설정',
  'fix.annotate': "ServiceAccount '{0}'에 클라이언트 ID 주석 추가…",
  'fix.moveToServiceAccount': "클라이언트 ID를 ServiceAccount '{0}'(으)로 이동",
  'fix.copyToServiceAccount': "ServiceAccount '{0}'에 이 클라이언트 ID 주석 추가",
  'fix.quote': '값을 따옴표로 감싸기',
  'fix.removeAnnotation': '주석 제거',
  'fix.semicolons': '이름을 세미콜론으로 구분',
  'fix.migrate': '워크로드 ID로 마이그레이션(클라이언트 ID {0})',
  'fix.migrateAsk': '워크로드 ID로 마이그레이션…',
  'noFix.anchor':
    '자동 수정 없음: 변경 내용이 별칭 *{0}이(가) 재사용하는 앵커 노드 &{0}에 적용되어 모든 사용처가 바뀝니다. 직접 수정하세요.',
  'noFix.tag': '자동 수정 없음: 값에 명시적 태그 {0}이(가) 있어 새 값에도 태그가 그대로 남습니다. 직접 수정하세요.',
  'input.clientId': '관리 ID의 클라이언트 ID(GUID, 예: 6f1c2a4e-0000-4000-8000-00000000f901)',
  'input.notGuid': 'GUID가 아닙니다. 8-4-4-4-12 자리의 16진수여야 합니다.',
  'skipped.file': '워크로드 ID 분석이 이 파일을 건너뛰었습니다. 파일이 {0}자로, 파일당 분석 한도인 {1}자를 넘습니다.',
  'skipped.documents': '워크로드 ID 분석이 이 파일에서 각각 {1}자를 넘는 문서 {0}개를 건너뛰었습니다.',
  'skipped.trustWildcards':
    '워크로드 ID 분석이 이 신뢰 정책의 와일드카드 주체 {0}개를 작업 영역의 ServiceAccount와 비교하지 않았습니다. 너무 많습니다.',
  'skipped.fileBytes':
    '워크로드 ID 분석이 이 파일을 읽지 않고 건너뛰었습니다. 파일의 {0}바이트는 파일당 분석 한도인 {1}자를 넘습니다.',
  'lens.ready': '워크로드 ID: 준비됨(클라이언트 {0})',
  'lens.notReady': '워크로드 ID: 준비 안 됨 — {0}',
  'lens.notReadyMore': '워크로드 ID: 준비 안 됨 — {0} (외 {1}개)',
  'lens.line': '{0}행',
  'lens.openServiceAccount': 'ServiceAccount {0}/{1} 열기',
  'lens.labelMissing': '워크로드 ID: 레이블 없음 — 레이블 추가',
  'lens.notEnabled': '워크로드 ID: 사용 안 함 — 레이블 추가',
  'lens.labelMisplaced': '워크로드 ID: 레이블 위치 잘못됨 — 레이블 이동',
  'lens.labelNotTrue': '워크로드 ID: 레이블 값이 "true"가 아님 — 값 수정',
  'lens.defaultServiceAccount': '워크로드 ID: 기본 ServiceAccount — serviceAccountName 설정',
  'lens.serviceAccountNotFound': "워크로드 ID: 네임스페이스 {1}에 ServiceAccount '{0}' 없음",
  'lens.notAnnotated': 'ServiceAccount에 주석 없음 — 클라이언트 ID 추가…',
  'lens.podIdentity': 'AAD Pod Identity(사용 중단) — 워크로드 ID로 마이그레이션',
  'lens.annotated': '워크로드 ID: 클라이언트 {0}',
  'lens.clientIdInvalid': '워크로드 ID: 클라이언트 ID가 GUID가 아님',
  'lens.irsa': 'IRSA: 역할 {0}',
};

const tables: Record<Locale, Record<MessageId, string>> = { en, ko };

export function message(locale: Locale, id: MessageId, ...args: Array<string | number>): string {
  const template = tables[locale][id] ?? en[id];
  return template.replace(/\{(\d+)\}/g, (m, i: string) => {
    const v = args[Number(i)];
    return v === undefined ? m : String(v);
  });
}

export function allMessageIds(): MessageId[] {
  return Object.keys(en) as MessageId[];
}

export function messageTable(locale: Locale): Readonly<Record<MessageId, string>> {
  return tables[locale];
}
