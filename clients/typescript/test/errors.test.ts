import assert from "node:assert/strict";
import { test } from "node:test";
import { Metadata, status } from "@grpc/grpc-js";
import {
  AlreadyExistsError,
  codeName,
  ConflictError,
  DataAccessError,
  fromServiceError,
  InvalidArgumentError,
  NotFoundError,
  PermissionDeniedError,
  PreconditionFailedError,
  UnavailableError,
  UnknownError,
} from "../src/errors.js";
import { statusDetails } from "./helpers.js";

function serviceError(code: number, details: string, metadata = new Metadata()): Error {
  return Object.assign(new Error(`${code} ${status[code]}: ${details}`), { code, details, metadata });
}

test("each code maps to its class and canonical name", () => {
  const cases: [number, new (...a: never[]) => DataAccessError, string][] = [
    [status.NOT_FOUND, NotFoundError, "NOT_FOUND"],
    [status.ALREADY_EXISTS, AlreadyExistsError, "ALREADY_EXISTS"],
    [status.ABORTED, ConflictError, "ABORTED"],
    [status.FAILED_PRECONDITION, PreconditionFailedError, "FAILED_PRECONDITION"],
    [status.INVALID_ARGUMENT, InvalidArgumentError, "INVALID_ARGUMENT"],
    [status.PERMISSION_DENIED, PermissionDeniedError, "PERMISSION_DENIED"],
    [status.UNAVAILABLE, UnavailableError, "UNAVAILABLE"],
  ];
  for (const [code, cls, name] of cases) {
    const err = fromServiceError(serviceError(code, "boom"));
    assert.ok(err instanceof cls, name);
    assert.ok(err instanceof DataAccessError);
    assert.equal(err.code, name);
    assert.equal(err.grpcCode, code);
    assert.equal(err.message, "boom");
    assert.equal(err.name, cls.name);
    assert.deepEqual(err.metadata, {});
    assert.equal(err.reason, undefined);
  }
  for (let code = 1; code <= 16; code++) assert.equal(codeName(code), status[code]);
  assert.equal(codeName(0), "UNKNOWN");
  assert.equal(codeName(99), "UNKNOWN");
});

test("ErrorInfo and the rules version are read from trailers", () => {
  const md = new Metadata();
  md.set("grpc-status-details-bin", statusDetails(status.ABORTED, "VERSION_CONFLICT", { entity: "item", backend: "pg" }));
  md.set("x-dataaccess-rules", "abc123");
  const err = fromServiceError(serviceError(status.ABORTED, "version 7 expected, found 1", md));
  assert.ok(err instanceof ConflictError);
  assert.equal(err.reason, "VERSION_CONFLICT");
  assert.equal(err.domain, "dataaccess.dev");
  assert.deepEqual(err.metadata, { entity: "item", backend: "pg" });
  assert.equal(err.rulesVersion, "abc123");
  assert.ok(err.cause instanceof Error);
});

test("malformed status details keep the code", () => {
  const md = new Metadata();
  md.set("grpc-status-details-bin", Buffer.from([0x1a, 0x05, 0x01]));
  const err = fromServiceError(serviceError(status.NOT_FOUND, "gone", md));
  assert.ok(err instanceof NotFoundError);
  assert.equal(err.reason, undefined);
});

test("anything else becomes UnknownError", () => {
  const err = fromServiceError(new TypeError("bad"));
  assert.ok(err instanceof UnknownError);
  assert.equal(err.code, "UNKNOWN");
  assert.equal(err.message, "bad");
});
