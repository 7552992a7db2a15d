/**
 * Typed errors: one class per gRPC status code, all extending `DataAccessError`.
 *
 * The proxy follows the Google API design guide: ABORTED is a version conflict, FAILED_PRECONDITION a
 * false update condition, and `google.rpc.ErrorInfo` (reason, domain, metadata such as entity,
 * backend, field) rides in the `grpc-status-details-bin` trailer. All of it is translated here, in
 * one place, so no `@grpc/grpc-js` error reaches a caller.
 */
import { BinaryReader } from "@bufbuild/protobuf/wire";
import { Metadata, status as Status, type ServiceError } from "@grpc/grpc-js";

/** Canonical gRPC status code names. */
export type ErrorCode =
  | "CANCELLED"
  | "UNKNOWN"
  | "INVALID_ARGUMENT"
  | "DEADLINE_EXCEEDED"
  | "NOT_FOUND"
  | "ALREADY_EXISTS"
  | "PERMISSION_DENIED"
  | "RESOURCE_EXHAUSTED"
  | "FAILED_PRECONDITION"
  | "ABORTED"
  | "OUT_OF_RANGE"
  | "UNIMPLEMENTED"
  | "INTERNAL"
  | "UNAVAILABLE"
  | "DATA_LOSS"
  | "UNAUTHENTICATED";

/** The trailer that carries the routing-rules version which served a call. */
export const RULES_TRAILER = "x-dataaccess-rules";
const DETAILS_TRAILER = "grpc-status-details-bin";
const ERROR_INFO_TYPE = "type.googleapis.com/google.rpc.ErrorInfo";

/** Fields every DataAccessError carries besides `code` and `message`. */
export interface ErrorDetails {
  /** `google.rpc.ErrorInfo.reason`, e.g. "VERSION_CONFLICT", "CONDITION_FAILED". */
  reason?: string | undefined;
  /** `google.rpc.ErrorInfo.domain`, "dataaccess.dev" for errors from the proxy. */
  domain?: string | undefined;
  /** `google.rpc.ErrorInfo.metadata`, e.g. `{entity: "product", field: "price"}`. */
  metadata?: Record<string, string> | undefined;
  /** Routing-rules version from the `x-dataaccess-rules` trailer, if the proxy sent one. */
  rulesVersion?: string | undefined;
  /** The underlying error. */
  cause?: unknown;
}

/** Any failed call. `code` is the canonical gRPC code name; `grpcCode` its number. */
export class DataAccessError extends Error {
  readonly code: ErrorCode;
  readonly grpcCode: number;
  readonly reason: string | undefined;
  readonly domain: string | undefined;
  readonly metadata: Readonly<Record<string, string>>;
  readonly rulesVersion: string | undefined;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.code = code;
    this.grpcCode = Status[code];
    this.reason = details.reason;
    this.domain = details.domain;
    this.metadata = details.metadata ?? {};
    this.rulesVersion = details.rulesVersion;
  }
}

/** CANCELLED: the caller cancelled (e.g. its AbortSignal fired). */
export class CancelledError extends DataAccessError {}
/** UNKNOWN. */
export class UnknownError extends DataAccessError {}
/** INVALID_ARGUMENT: bad entity, key, document, path or filter; `metadata.field` names it. */
export class InvalidArgumentError extends DataAccessError {}
/** DEADLINE_EXCEEDED: the call's deadline passed. */
export class DeadlineExceededError extends DataAccessError {}
/** NOT_FOUND: the document does not exist. */
export class NotFoundError extends DataAccessError {}
/** ALREADY_EXISTS: `mustNotExist` was set and the document exists. */
export class AlreadyExistsError extends DataAccessError {}
/** PERMISSION_DENIED: the caller is not allowed for this entity. */
export class PermissionDeniedError extends DataAccessError {}
/** RESOURCE_EXHAUSTED: a size or rate limit. */
export class ResourceExhaustedError extends DataAccessError {}
/** FAILED_PRECONDITION: an update's condition was false (reason CONDITION_FAILED); nothing written. */
export class PreconditionFailedError extends DataAccessError {}
/** ABORTED: the expected version did not match (reason VERSION_CONFLICT); re-read and retry. */
export class ConflictError extends DataAccessError {}
/** OUT_OF_RANGE. */
export class OutOfRangeError extends DataAccessError {}
/** UNIMPLEMENTED: the entity's store lacks the capability (e.g. full-text search). */
export class UnimplementedError extends DataAccessError {}
/** INTERNAL. */
export class InternalError extends DataAccessError {}
/** UNAVAILABLE: the proxy or a store is unreachable; safe to retry idempotent calls. */
export class UnavailableError extends DataAccessError {}
/** DATA_LOSS. */
export class DataLossError extends DataAccessError {}
/** UNAUTHENTICATED: missing or invalid caller token. */
export class UnauthenticatedError extends DataAccessError {}

type ErrorClass = new (code: ErrorCode, message: string, details?: ErrorDetails) => DataAccessError;

const CLASSES: Record<ErrorCode, ErrorClass> = {
  CANCELLED: CancelledError,
  UNKNOWN: UnknownError,
  INVALID_ARGUMENT: InvalidArgumentError,
  DEADLINE_EXCEEDED: DeadlineExceededError,
  NOT_FOUND: NotFoundError,
  ALREADY_EXISTS: AlreadyExistsError,
  PERMISSION_DENIED: PermissionDeniedError,
  RESOURCE_EXHAUSTED: ResourceExhaustedError,
  FAILED_PRECONDITION: PreconditionFailedError,
  ABORTED: ConflictError,
  OUT_OF_RANGE: OutOfRangeError,
  UNIMPLEMENTED: UnimplementedError,
  INTERNAL: InternalError,
  UNAVAILABLE: UnavailableError,
  DATA_LOSS: DataLossError,
  UNAUTHENTICATED: UnauthenticatedError,
};

/** The canonical name of a numeric gRPC code (unknown numbers map to "UNKNOWN"). */
export function codeName(code: number): ErrorCode {
  const name = Status[code];
  return name !== undefined && name !== "OK" && name in CLASSES ? (name as ErrorCode) : "UNKNOWN";
}

/** Build the typed error for a code name. */
export function makeError(code: ErrorCode, message: string, details: ErrorDetails = {}): DataAccessError {
  return new CLASSES[code](code, message, details);
}

/** Translate a `@grpc/grpc-js` error (or anything thrown around a call) into a DataAccessError. */
export function fromServiceError(err: unknown): DataAccessError {
  if (err instanceof DataAccessError) return err;
  if (!isServiceError(err)) {
    const message = err instanceof Error ? err.message : String(err);
    return makeError("UNKNOWN", message, { cause: err });
  }
  const info = errorInfo(err.metadata);
  return makeError(codeName(err.code), err.details || err.message, {
    ...info,
    rulesVersion: rulesVersion(err.metadata),
    cause: err,
  });
}

function isServiceError(err: unknown): err is ServiceError {
  return err instanceof Error && typeof (err as Partial<ServiceError>).code === "number" && "details" in err;
}

/** The `x-dataaccess-rules` value in trailing metadata, if any. */
export function rulesVersion(metadata: Metadata | undefined): string | undefined {
  const value = metadata?.get(RULES_TRAILER)[0];
  return value === undefined ? undefined : value.toString();
}

/** The first google.rpc.ErrorInfo in `grpc-status-details-bin`, or {} if absent or unreadable. */
export function errorInfo(metadata: Metadata | undefined): Pick<ErrorDetails, "reason" | "domain" | "metadata"> {
  const raw = metadata?.get(DETAILS_TRAILER)[0];
  if (raw === undefined || typeof raw === "string") return {};
  try {
    return decodeStatusErrorInfo(raw);
  } catch {
    return {}; // malformed details must not hide the status code itself
  }
}

// google.rpc.Status {int32 code = 1; string message = 2; repeated google.protobuf.Any details = 3}
// google.protobuf.Any {string type_url = 1; bytes value = 2}
// google.rpc.ErrorInfo {string reason = 1; string domain = 2; map<string, string> metadata = 3}
// Three tiny messages, read with the protobuf runtime's wire reader rather than generated from
// googleapis, which this repository does not vendor.
function decodeStatusErrorInfo(bytes: Uint8Array): Pick<ErrorDetails, "reason" | "domain" | "metadata"> {
  const status = new BinaryReader(bytes);
  while (status.pos < status.len) {
    const [field, wire] = status.tag();
    if (field !== 3) {
      status.skip(wire, field);
      continue;
    }
    const any = new BinaryReader(status.bytes());
    let typeUrl = "";
    let value: Uint8Array | undefined;
    while (any.pos < any.len) {
      const [f, w] = any.tag();
      if (f === 1) typeUrl = any.string();
      else if (f === 2) value = any.bytes();
      else any.skip(w, f);
    }
    if (typeUrl === ERROR_INFO_TYPE && value !== undefined) return decodeErrorInfo(value);
  }
  return {};
}

function decodeErrorInfo(bytes: Uint8Array): Pick<ErrorDetails, "reason" | "domain" | "metadata"> {
  const r = new BinaryReader(bytes);
  let reason = "";
  let domain = "";
  const entries: [string, string][] = [];
  while (r.pos < r.len) {
    const [field, wire] = r.tag();
    if (field === 1) reason = r.string();
    else if (field === 2) domain = r.string();
    else if (field === 3) {
      const entry = new BinaryReader(r.bytes());
      let key = "";
      let val = "";
      while (entry.pos < entry.len) {
        const [f, w] = entry.tag();
        if (f === 1) key = entry.string();
        else if (f === 2) val = entry.string();
        else entry.skip(w, f);
      }
      entries.push([key, val]);
    } else r.skip(wire, field);
  }
  return { reason, domain, metadata: Object.fromEntries(entries) };
}
