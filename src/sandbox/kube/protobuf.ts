import { badRequest, KubeStatusError } from './status';

/**
 * Just enough of the Kubernetes protobuf wire encoding to read a TokenRequest: client-go's
 * typed clients (kubectl create token) send `application/vnd.kubernetes.protobuf` for built-in
 * kinds. Format: the magic `k8s\0`, then a runtime.Unknown {typeMeta=1, raw=2, ...} whose raw
 * bytes are the message (k8s.io/apimachinery pkg/runtime/serializer/protobuf;
 * k8s.io/api authentication/v1 generated.proto).
 */
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

export const PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';

interface Field {
  no: number;
  wire: number;
  value: bigint | Buffer;
}

function readVarint(buf: Buffer, pos: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    if (pos >= buf.length) throw new Error('truncated varint');
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
      if (end > buf.length) throw new Error('truncated field');
      out.push({ no, wire, value: buf.subarray(p2, end) });
      pos = end;
    } else if (wire === 1) {
      out.push({ no, wire, value: buf.subarray(pos, pos + 8) });
      pos += 8;
    } else if (wire === 5) {
      out.push({ no, wire, value: buf.subarray(pos, pos + 4) });
      pos += 4;
    } else {
      throw new Error(`unsupported wire type ${wire}`);
    }
  }
  return out;
}

const str = (f: Field): string => (f.value as Buffer).toString('utf8');

export function isProtobuf(contentType: string | undefined): boolean {
  return !!contentType && contentType.toLowerCase().startsWith(PROTOBUF_CONTENT_TYPE);
}

/** Decodes a protobuf TokenRequest into its JSON shape (metadata name/namespace, spec). */
export function decodeTokenRequest(body: Buffer): Record<string, unknown> {
  try {
    if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC)) {
      throw new Error('provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]');
    }
    const unknown = fields(body.subarray(4));
    const typeMeta = unknown.find((f) => f.no === 1);
    let apiVersion = '';
    let kind = '';
    if (typeMeta) {
      for (const f of fields(typeMeta.value as Buffer)) {
        if (f.no === 1) apiVersion = str(f);
        if (f.no === 2) kind = str(f);
      }
    }
    const raw = unknown.find((f) => f.no === 2);
    const message = raw ? fields(raw.value as Buffer) : [];
    const spec: Record<string, unknown> = {};
    const metadata: Record<string, unknown> = {};
    for (const f of message) {
      if (f.no === 1) {
        for (const m of fields(f.value as Buffer)) {
          if (m.no === 1) metadata.name = str(m);
          if (m.no === 3) metadata.namespace = str(m);
        }
      }
      if (f.no !== 2) continue;
      for (const s of fields(f.value as Buffer)) {
        if (s.no === 1) ((spec.audiences ??= []) as string[]).push(str(s));
        if (s.no === 4) spec.expirationSeconds = Number(BigInt.asIntN(64, s.value as bigint));
        if (s.no === 3) {
          const ref: Record<string, string> = {};
          for (const r of fields(s.value as Buffer)) {
            ref[['', 'kind', 'apiVersion', 'name', 'uid'][r.no] ?? `f${r.no}`] = str(r);
          }
          spec.boundObjectRef = ref;
        }
      }
    }
    return { apiVersion, kind, metadata, spec };
  } catch (e) {
    if (KubeStatusError.is(e)) throw e;
    throw badRequest(`TokenRequest in version "v1" cannot be handled as a TokenRequest: ${(e as Error).message}`);
  }
}
