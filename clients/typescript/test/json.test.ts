import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { canonicalJson, LosslessNumber, parseJson, stringifyJson } from "../src/json.js";

test("safe integers parse as number, larger ones as bigint", () => {
  const doc = parseJson('{"n":1,"max":9007199254740991,"big":9007199254740993,"neg":-123456789012345678901234567890}');
  assert.deepEqual(doc, { n: 1, max: 9007199254740991, big: 9007199254740993n, neg: -123456789012345678901234567890n });
});

test("round trip is exact", () => {
  const text =
    '{"big":9007199254740993,"id":-9223372036854775808,"price":"19.99","f":19.5,"tiny":1e-400,' +
    '"pi":3.14159265358979323846264338327950288,"s":"Grüße 🌍","a":[1,{"b":null}],"t":true}';
  const doc = parseJson(text);
  assert.equal(stringifyJson(doc), text);
  assert.ok((doc as Record<string, unknown>)["pi"] instanceof LosslessNumber);
});

test("parses UTF-8 bytes and rejects invalid UTF-8", () => {
  assert.deepEqual(parseJson(Buffer.from('{"k":"ünï"}', "utf8")), { k: "ünï" });
  assert.throws(() => parseJson(Uint8Array.of(0x22, 0xff, 0x22)));
});

test("a __proto__ key stays an ordinary key", () => {
  const doc = parseJson('{"__proto__":{"polluted":1}}') as Record<string, unknown>;
  assert.deepEqual(Object.keys(doc), ["__proto__"]);
  assert.equal(({} as Record<string, unknown>)["polluted"], undefined);
});

test("canonical JSON sorts keys by code point and writes exact integers", () => {
  // U+FF5E sorts before U+1F30D by code point, though not by UTF-16 unit.
  const value = { "🌍": 1, "～": 2, b: [3n, 4, "x"], a: { d: null, c: true }, big: 2n ** 70n, f: false };
  assert.equal(
    canonicalJson(value),
    '{"a":{"c":true,"d":null},"b":[3,4,"x"],"big":1180591620717411303424,"f":false,"～":2,"🌍":1}',
  );
});

test("canonical JSON escapes only quote, backslash and controls", () => {
  assert.equal(canonicalJson('a"b\\c\nd\te\r\u0001\u001f/<é🌍\u007f'), '"a\\"b\\\\c\\nd\\te\\u000d\\u0001\\u001f/<é🌍\u007f"');
});

test("canonical JSON normalizes integral numbers and skips undefined", () => {
  assert.equal(canonicalJson({ a: -0, b: 1e21, c: new LosslessNumber("12"), d: undefined, e: [undefined] }), '{"a":0,"b":1000000000000000000000,"c":12,"e":[null]}');
  assert.throws(() => canonicalJson(Number.NaN));
});

test("the scenario's expectations survive parse and canonical write", () => {
  const url = new URL("../../../../tests/clients/scenario.json", import.meta.url);
  const scenario = parseJson(readFileSync(url)) as { steps: { expect: Record<string, unknown> }[] };
  const create = scenario.steps[0]?.expect as { doc: Record<string, unknown> };
  assert.equal(create.doc["big"], 9007199254740993n);
  assert.match(canonicalJson(create), /"big":9007199254740993,/);
  assert.match(canonicalJson(create), /"title":"Grüße aus Köln 🌍 — ünïcödé"/);
});
