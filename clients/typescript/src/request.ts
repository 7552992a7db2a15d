/**
 * From the client's plain-object options to the generated protobuf messages. Every JSON value is
 * written with `stringifyJson`, so bigint and other exact numbers reach the proxy unchanged.
 */
import {
  Operator as ProtoOperator,
  type Filter as ProtoFilter,
  type Precondition as ProtoPrecondition,
} from "./gen/dataaccess/v1/data_access.js";
import { InvalidArgumentError } from "./errors.js";
import { stringifyJson, type JsonValue } from "./json.js";

/** A comparison: `eq ne lt lte gt gte in exists prefix`. */
export type Operator = "eq" | "ne" | "lt" | "lte" | "gt" | "gte" | "in" | "exists" | "prefix";

/** One condition on a dotted field path; a filter is a list of them, all of which must hold. */
export interface Condition {
  /** Dotted field path, e.g. "specifications.camera.main". */
  path: string;
  /** The comparison. */
  op: Operator;
  /** The operand: an array for `in`, a boolean for `exists`. */
  value: JsonValue;
}

/** Sort by a field; the key is always the final tie-breaker. */
export interface Order {
  /** Dotted field path. */
  path: string;
  /** Sort descending instead of ascending. */
  descending?: boolean | undefined;
}

/** A document version: int64 on the wire. Accepted as number or bigint, always returned as bigint. */
export type Version = bigint | number;

const OPERATORS: Record<Operator, ProtoOperator> = {
  eq: ProtoOperator.OPERATOR_EQ,
  ne: ProtoOperator.OPERATOR_NE,
  lt: ProtoOperator.OPERATOR_LT,
  lte: ProtoOperator.OPERATOR_LTE,
  gt: ProtoOperator.OPERATOR_GT,
  gte: ProtoOperator.OPERATOR_GTE,
  in: ProtoOperator.OPERATOR_IN,
  exists: ProtoOperator.OPERATOR_EXISTS,
  prefix: ProtoOperator.OPERATOR_PREFIX,
};

/** UTF-8 JSON bytes of a value, as the proto's `bytes json` fields carry it. */
export function jsonBytes(value: unknown): Buffer {
  return Buffer.from(stringifyJson(value), "utf8");
}

export function toFilter(conditions: readonly Condition[] | undefined): ProtoFilter | undefined {
  if (conditions === undefined || conditions.length === 0) return undefined;
  return {
    all: conditions.map((c) => {
      const op = Object.hasOwn(OPERATORS, c.op) ? OPERATORS[c.op] : undefined;
      if (op === undefined) {
        throw new InvalidArgumentError("INVALID_ARGUMENT", `unknown operator ${JSON.stringify(c.op)}`, {
          metadata: { field: c.path },
        });
      }
      return { path: c.path, op, json: jsonBytes(c.value) };
    }),
  };
}

export function toVersion(v: Version | undefined): bigint {
  if (v === undefined) return 0n;
  if (typeof v === "number" && !Number.isSafeInteger(v)) {
    throw new InvalidArgumentError("INVALID_ARGUMENT", `version ${v} is not a safe integer; pass a bigint`);
  }
  return BigInt(v);
}

export function toPrecondition(p: {
  expectedVersion?: Version | undefined;
  mustNotExist?: boolean | undefined;
  mustExist?: boolean | undefined;
}): ProtoPrecondition | undefined {
  const expectedVersion = toVersion(p.expectedVersion);
  const mustNotExist = p.mustNotExist ?? false;
  const mustExist = p.mustExist ?? false;
  if (expectedVersion === 0n && !mustNotExist && !mustExist) return undefined;
  return { expectedVersion, mustNotExist, mustExist };
}
