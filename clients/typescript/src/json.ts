/**
 * Documents as plain objects, parsed and written without losing a digit.
 *
 * `JSON.parse` turns every number into a double, so an int64 id above 2^53 silently changes. Here
 * integers in the safe range become `number`, larger ones `bigint`; a fraction that a double cannot
 * hold exactly stays a `LosslessNumber` (its original text). Writing goes back through the same
 * library, so what was read is written unchanged. Decimals (money) travel as JSON strings anyway.
 */
import { isInteger, isSafeNumber, LosslessNumber, parse, stringify } from "lossless-json";

export { LosslessNumber };

/** A JSON value as this client reads it. */
export type JsonValue = null | boolean | number | bigint | string | LosslessNumber | JsonValue[] | JsonObject;

/** A JSON object as this client reads it. */
export interface JsonObject {
  [key: string]: JsonValue;
}

const decoder = new TextDecoder("utf-8", { fatal: true });
const encoder = new TextEncoder();

function parseNumber(text: string): number | bigint | LosslessNumber {
  if (isInteger(text)) {
    const n = Number(text);
    return Number.isSafeInteger(n) ? n : BigInt(text);
  }
  return isSafeNumber(text) ? Number(text) : new LosslessNumber(text);
}

/** Parse JSON text (or UTF-8 bytes) losslessly: safe integers as number, others as bigint. */
export function parseJson(input: string | Uint8Array): JsonValue {
  const text = typeof input === "string" ? input : decoder.decode(input);
  return parse(text, null, parseNumber) as JsonValue;
}

/** Write a value as compact JSON; bigint and LosslessNumber are written as their exact digits. */
export function stringifyJson(value: unknown): string {
  const text = stringify(value);
  if (text === undefined) {
    throw new TypeError("value cannot be written as JSON");
  }
  return text;
}

/** `stringifyJson` as UTF-8 bytes, the form documents take on the wire. */
export function encodeJson(value: unknown): Uint8Array {
  return encoder.encode(stringifyJson(value));
}

/**
 * Canonical JSON, as defined by tests/clients/README.md: object keys sorted by Unicode code point,
 * no whitespace, only `"`, `\` and control characters escaped (`\n`, `\t`, others as `\u00xx`),
 * non-ASCII as raw UTF-8, integers (number, bigint or integral LosslessNumber) as exact digits.
 * Two values are equal for the client scenario when their canonical texts are equal.
 */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  writeCanonical(value, out);
  return out.join("");
}

function writeCanonical(value: unknown, out: string[]): void {
  if (value === null) {
    out.push("null");
  } else if (typeof value === "boolean") {
    out.push(value ? "true" : "false");
  } else if (typeof value === "string") {
    out.push(quote(value));
  } else if (typeof value === "bigint") {
    out.push(value.toString());
  } else if (typeof value === "number") {
    if (!Number.isFinite(value)) {
      throw new TypeError(`${value} is not a JSON number`);
    }
    out.push(Number.isInteger(value) ? BigInt(value).toString() : String(value));
  } else if (value instanceof LosslessNumber) {
    out.push(isInteger(value.value) ? BigInt(value.value).toString() : value.value);
  } else if (Array.isArray(value)) {
    out.push("[");
    value.forEach((item: unknown, i) => {
      if (i > 0) out.push(",");
      writeCanonical(item === undefined ? null : item, out);
    });
    out.push("]");
  } else if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => compareCodePoints(a, b));
    out.push("{");
    entries.forEach(([k, v], i) => {
      if (i > 0) out.push(",");
      out.push(quote(k), ":");
      writeCanonical(v, out);
    });
    out.push("}");
  } else {
    throw new TypeError(`${typeof value} cannot be written as JSON`);
  }
}

/** Order strings by Unicode code point (JS `<` compares UTF-16 units, which differs past U+FFFF). */
export function compareCodePoints(a: string, b: string): number {
  const x = a[Symbol.iterator]();
  const y = b[Symbol.iterator]();
  for (;;) {
    const p = x.next();
    const q = y.next();
    if (p.done || q.done) return (p.done ? 0 : 1) - (q.done ? 0 : 1);
    const d = (p.value.codePointAt(0) ?? 0) - (q.value.codePointAt(0) ?? 0);
    if (d !== 0) return d;
  }
}

// Every character that needs no escape, as one run; the replacer handles the rest.
const NEEDS_ESCAPE = /["\\\u0000-\u001f]/g;

function quote(s: string): string {
  return `"${s.replace(NEEDS_ESCAPE, escapeChar)}"`;
}

function escapeChar(c: string): string {
  switch (c) {
    case '"':
      return '\\"';
    case "\\":
      return "\\\\";
    case "\n":
      return "\\n";
    case "\t":
      return "\\t";
    default:
      return `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
  }
}
