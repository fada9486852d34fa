import { KubeStatusError } from './status';

/**
 * Just enough of the Kubernetes protobuf encoding to read what kubectl's typed clients send:
 * `kubectl create token`, `create namespace`, `create serviceaccount` and `auth can-i` post
 * `application/vnd.kubernetes.protobuf`. Format: the magic `k8s\0`, then a runtime.Unknown
 * {typeMeta=1 {apiVersion=1, kind=2}, raw=2, contentEncoding=3, contentType=4} whose raw bytes
 * are the message (k8s.io/apimachinery pkg/runtime/serializer/protobuf). Field numbers are
 * those of k8s.io/api core/v1 and authentication/v1 generated.proto and
 * k8s.io/apimachinery pkg/apis/meta/v1 generated.proto.
 */
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

export const PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';

type Scalar = 'string' | 'int' | 'bool';
interface FieldSpec {
  name: string;
  type: Scalar | 'map' | Schema;
  repeated?: boolean;
}
type Schema = Record<number, FieldSpec>;

const OBJECT_META: Schema = {
  1: { name: 'name', type: 'string' },
  2: { name: 'generateName', type: 'string' },
  3: { name: 'namespace', type: 'string' },
  5: { name: 'uid', type: 'string' },
  6: { name: 'resourceVersion', type: 'string' },
  11: { name: 'labels', type: 'map' },
  12: { name: 'annotations', type: 'map' },
  14: { name: 'finalizers', type: 'string', repeated: true },
};
const OBJECT_REFERENCE: Schema = {
  1: { name: 'kind', type: 'string' },
  2: { name: 'namespace', type: 'string' },
  3: { name: 'name', type: 'string' },
  4: { name: 'uid', type: 'string' },
  5: { name: 'apiVersion', type: 'string' },
  6: { name: 'resourceVersion', type: 'string' },
  7: { name: 'fieldPath', type: 'string' },
};
const BOUND_OBJECT_REFERENCE: Schema = {
  1: { name: 'kind', type: 'string' },
  2: { name: 'apiVersion', type: 'string' },
  3: { name: 'name', type: 'string' },
  4: { name: 'uid', type: 'string' },
};

const KINDS: Record<string, Schema> = {
  TokenRequest: {
    1: { name: 'metadata', type: OBJECT_META },
    2: {
      name: 'spec',
      type: {
        1: { name: 'audiences', type: 'string', repeated: true },
        3: { name: 'boundObjectRef', type: BOUND_OBJECT_REFERENCE },
        4: { name: 'expirationSeconds', type: 'int' },
      },
    },
  },
  ServiceAccount: {
    1: { name: 'metadata', type: OBJECT_META },
    2: { name: 'secrets', type: OBJECT_REFERENCE, repeated: true },
    3: { name: 'imagePullSecrets', type: { 1: { name: 'name', type: 'string' } }, repeated: true },
    4: { name: 'automountServiceAccountToken', type: 'bool' },
  },
  Namespace: {
    1: { name: 'metadata', type: OBJECT_META },
    2: { name: 'spec', type: { 1: { name: 'finalizers', type: 'string', repeated: true } } },
  },
  // Access reviews are always allowed; their content is not needed.
  SelfSubjectAccessReview: {},
  SelfSubjectRulesReview: {},
  SelfSubjectReview: {},
};

interface Field {
  no: number;
  wire: number;
  value: bigint | Buffer;
}

function readVarint(buf: Buffer, pos: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    if (pos >= buf.length) throw new Error('unexpected EOF');
    const b = buf[pos++] as number;
    result |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) return [result, pos];
    shift += 7n;
  }
}

function fields(buf: Buffer): Field[] {
  const out: Field[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const [tag, p1] = readVarint(buf, pos);
    pos = p1;
    const no = Number(tag >> 3n);
    const wire = Number(tag & 7n);
    if (wire === 0) {
      const [v, p2] = readVarint(buf, pos);
      out.push({ no, wire, value: v });
      pos = p2;
    } else if (wire === 2) {
      const [len, p2] = readVarint(buf, pos);
      const end = p2 + Number(len);
      if (end > buf.length) throw new Error('unexpected EOF');
      out.push({ no, wire, value: buf.subarray(p2, end) });
      pos = end;
    } else if (wire === 1 || wire === 5) {
      const size = wire === 1 ? 8 : 4;
      out.push({ no, wire, value: buf.subarray(pos, pos + size) });
      pos += size;
    } else {
      throw new Error(`illegal wireType ${wire}`);
    }
  }
  return out;
}

function decodeMessage(schema: Schema, buf: Buffer): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields(buf)) {
    const spec = schema[f.no];
    if (!spec) continue; // a field the sandbox does not use
    let value: unknown;
    if (spec.type === 'string') value = (f.value as Buffer).toString('utf8');
    else if (spec.type === 'int') value = Number(BigInt.asIntN(64, f.value as bigint));
    else if (spec.type === 'bool') value = f.value !== 0n;
    else if (spec.type === 'map') {
      const entry = decodeMessage(
        { 1: { name: 'key', type: 'string' }, 2: { name: 'value', type: 'string' } },
        f.value as Buffer,
      );
      const map = (out[spec.name] ??= {}) as Record<string, unknown>;
      map[String(entry.key ?? '')] = entry.value ?? '';
      continue;
    } else value = decodeMessage(spec.type, f.value as Buffer);
    if (spec.repeated) ((out[spec.name] ??= []) as unknown[]).push(value);
    else out[spec.name] = value;
  }
  return out;
}

export function isProtobuf(contentType: string | undefined): boolean {
  return !!contentType && contentType.toLowerCase().startsWith(PROTOBUF_CONTENT_TYPE);
}

/**
 * Decodes a protobuf request body into its JSON shape. `expectedKind` names the kind the URL
 * implies; a kind the sandbox has no table for is refused with 415, which is what a server
 * without protobuf support for it would answer.
 */
export function decodeProtobuf(body: Buffer, expectedKind: string): Record<string, unknown> {
  const schema = KINDS[expectedKind];
  if (!schema) {
    throw new KubeStatusError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (the sandbox reads protobuf only for ${Object.keys(KINDS).join(', ')})`,
    );
  }
  try {
    if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC)) {
      throw new Error('provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]');
    }
    const envelope = fields(body.subarray(4));
    const typeMetaField = envelope.find((f) => f.no === 1);
    const typeMeta = typeMetaField
      ? decodeMessage(
          { 1: { name: 'apiVersion', type: 'string' }, 2: { name: 'kind', type: 'string' } },
          typeMetaField.value as Buffer,
        )
      : {};
    const raw = envelope.find((f) => f.no === 2);
    const message = raw ? decodeMessage(schema, raw.value as Buffer) : {};
    return { apiVersion: typeMeta.apiVersion, kind: typeMeta.kind, ...message };
  } catch (e) {
    if (KubeStatusError.is(e)) throw e;
    throw new KubeStatusError(
      400,
      'BadRequest',
      `${expectedKind} in version "v1" cannot be handled as a ${expectedKind}: ${(e as Error).message}`,
    );
  }
}
