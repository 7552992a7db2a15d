/** Shared by the tests. */
import { BinaryWriter } from "@bufbuild/protobuf/wire";

/** A google.rpc.Status with one unrelated detail and one ErrorInfo, as a server would encode it. */
export function statusDetails(code: number, reason: string, metadata: Record<string, string>): Buffer {
  const info = new BinaryWriter().uint32(10).string(reason).uint32(18).string("dataaccess.dev");
  for (const [k, v] of Object.entries(metadata)) {
    info.uint32(26).bytes(new BinaryWriter().uint32(10).string(k).uint32(18).string(v).finish());
  }
  const any = (typeUrl: string, value: Uint8Array): Uint8Array =>
    new BinaryWriter().uint32(10).string(typeUrl).uint32(18).bytes(value).finish();
  const st = new BinaryWriter()
    .uint32(8).int32(code)
    .uint32(18).string("message")
    .uint32(26).bytes(any("type.googleapis.com/google.rpc.RetryInfo", Uint8Array.of(1, 2, 3)))
    .uint32(26).bytes(any("type.googleapis.com/google.rpc.ErrorInfo", info.finish()));
  return Buffer.from(st.finish());
}
