/** The client against an in-process fake DataAccess server (grpc-js on a loopback port): no proxy. */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Metadata, Server, ServerCredentials, status, type ServerUnaryCall, type sendUnaryData } from "@grpc/grpc-js";
import {
  DataAccessServiceService,
  Operator,
  type DataAccessServiceServer,
  type UpdateRequest,
} from "../src/gen/dataaccess/v1/data_access.js";
import {
  CancelledError,
  ConflictError,
  DataAccessClient,
  DeadlineExceededError,
  NotFoundError,
  UnavailableError,
} from "../src/index.js";
import { statusDetails } from "./helpers.js";

const calls: Record<string, number> = {};
let lastUpdate: UpdateRequest | undefined;
let lastAuth: string | undefined;
/** Milliseconds left until the deadline of the last `get`, as the server saw it (Infinity: none). */
let lastDeadlineMs: number | undefined;
let server: Server;
let address: string;

function trailers(): Metadata {
  const md = new Metadata();
  md.set("x-dataaccess-rules", "r-42");
  return md;
}

function unavailable<T>(cb: sendUnaryData<T>): void {
  cb({ code: status.UNAVAILABLE, details: "store down" });
}

const impl: DataAccessServiceServer = {
  get(call, cb) {
    const key = call.request.key;
    calls[key] = (calls[key] ?? 0) + 1;
    lastAuth = call.metadata.get("authorization")[0]?.toString();
    lastDeadlineMs = Number(call.getDeadline()) - Date.now();
    if (key === "flaky" && calls[key] < 3) return unavailable(cb);
    if (key === "down") return unavailable(cb);
    if (key === "slow") return; // never answers: the deadline must fire
    if (key === "missing") {
      const md = new Metadata();
      md.set("grpc-status-details-bin", statusDetails(status.NOT_FOUND, "NOT_FOUND", { entity: "item" }));
      md.set("x-dataaccess-rules", "r-42");
      return cb({ code: status.NOT_FOUND, details: "no such document", metadata: md });
    }
    const json = Buffer.from(`{"id":"${key}","big":9007199254740993,"price":"19.99"}`);
    cb(null, { document: { key, json, version: 9223372036854775807n } }, trailers());
  },
  batchGet(call, cb) {
    cb(null, { documents: [], missingKeys: call.request.keys });
  },
  put(call, cb) {
    const key = call.request.key;
    calls[`put:${key}`] = (calls[`put:${key}`] ?? 0) + 1;
    if (key === "down") return unavailable(cb);
    if ((call.request.precondition?.expectedVersion ?? 0n) === 7n) {
      return cb({ code: status.ABORTED, details: "version conflict" });
    }
    cb(null, { document: { key, json: call.request.json, version: 1n } }, trailers());
  },
  update(call: ServerUnaryCall<UpdateRequest, unknown>, cb) {
    lastUpdate = call.request;
    cb(null, { document: { key: call.request.key, json: Buffer.from("{}"), version: 2n } });
  },
  delete(call, cb) {
    const key = call.request.key;
    calls[`delete:${key}`] = (calls[`delete:${key}`] ?? 0) + 1;
    if (key === "down") return unavailable(cb);
    cb(null, { version: 5n });
  },
  query(call, cb) {
    const page = Number(call.request.pageToken || "0");
    const json = Buffer.from("{}");
    cb(null, {
      documents: [{ key: `k${page}`, json, version: 1n }],
      nextPageToken: page < 2 ? String(page + 1) : "",
    });
  },
  search(_call, cb) {
    cb({ code: status.UNIMPLEMENTED, details: "no full-text index" });
  },
};

before(async () => {
  server = new Server();
  server.addService(DataAccessServiceService, impl);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  address = `127.0.0.1:${port}`;
});

after(() => {
  server.forceShutdown();
});

function client(): DataAccessClient {
  return new DataAccessClient(address, { token: "s3cret", retry: { initialBackoffMs: 1, maxBackoffMs: 5 } });
}

test("get returns a lossless document, an int64 version and the rules version", async () => {
  const c = client();
  try {
    const r = await c.get("item", "k1");
    assert.deepEqual(r.doc, { id: "k1", big: 9007199254740993n, price: "19.99" });
    assert.equal(r.version, 9223372036854775807n);
    assert.equal(r.rulesVersion, "r-42");
    assert.equal(lastAuth, "Bearer s3cret");
  } finally {
    c.close();
  }
});

test("UNAVAILABLE is retried on reads", async () => {
  const c = client();
  try {
    const r = await c.get("item", "flaky");
    assert.equal(r.key, "flaky");
    assert.equal(calls["flaky"], 3);
    await assert.rejects(c.get("item", "down"), UnavailableError);
    assert.equal(calls["down"], 4);
  } finally {
    c.close();
  }
});

test("writes are retried only with an expected version", async () => {
  const c = client();
  try {
    await assert.rejects(c.put("item", "down", { a: 1 }), UnavailableError);
    assert.equal(calls["put:down"], 1);
    await assert.rejects(c.put("item", "down", { a: 1 }, { expectedVersion: 3 }), UnavailableError);
    assert.equal(calls["put:down"], 5);
    await assert.rejects(c.delete("item", "down"), UnavailableError);
    assert.equal(calls["delete:down"], 1);
    await assert.rejects(c.delete("item", "down", { expectedVersion: 3n }), UnavailableError);
    assert.equal(calls["delete:down"], 5);
  } finally {
    c.close();
  }
});

test("errors are typed, with ErrorInfo and the rules version", async () => {
  const c = client();
  try {
    const err = await c.get("item", "missing").catch((e: unknown) => e);
    assert.ok(err instanceof NotFoundError);
    assert.equal(err.code, "NOT_FOUND");
    assert.equal(err.message, "no such document");
    assert.equal(err.reason, "NOT_FOUND");
    assert.deepEqual(err.metadata, { entity: "item" });
    assert.equal(err.rulesVersion, "r-42");
    await assert.rejects(c.put("item", "k", {}, { expectedVersion: 7 }), ConflictError);
  } finally {
    c.close();
  }
});

test("only UNAVAILABLE is retried, even on reads", async () => {
  const c = client();
  try {
    const before = calls["missing"] ?? 0;
    await assert.rejects(c.get("item", "missing"), NotFoundError);
    assert.equal(calls["missing"], before + 1);
  } finally {
    c.close();
  }
});

test("every call carries the client's deadline: 5 s by default, else timeoutMs", async () => {
  const byDefault = new DataAccessClient(address);
  const short = new DataAccessClient(address, { timeoutMs: 300 });
  try {
    await byDefault.get("item", "k1");
    assert.ok(lastDeadlineMs! > 4000 && lastDeadlineMs! <= 5000, `default deadline: ${lastDeadlineMs} ms left`);
    await short.get("item", "k1");
    assert.ok(lastDeadlineMs! > 0 && lastDeadlineMs! <= 300, `timeoutMs 300: ${lastDeadlineMs} ms left`);
    await assert.rejects(short.get("item", "slow"), DeadlineExceededError);
  } finally {
    byDefault.close();
    short.close();
  }
});

test("put sends big integers exactly and returns them", async () => {
  const c = client();
  try {
    const r = await c.put("item", "k", { id: 12345678901234567890n, n: 1 });
    assert.deepEqual(r.doc, { id: 12345678901234567890n, n: 1 });
  } finally {
    c.close();
  }
});

test("update encodes set, unset, increment and condition as JSON", async () => {
  const c = client();
  try {
    await c.update("item", "k", {
      set: { title: "x", "a.b": { c: [1] } },
      unset: ["flag"],
      increment: { n: -2, big: 9007199254740993n },
      condition: [{ path: "n", op: "in", value: [1, 2] }],
      expectedVersion: 4,
    });
    const u = lastUpdate!;
    assert.deepEqual(u.set.map((f) => [f.path, f.json.toString()]), [["title", '"x"'], ["a.b", '{"c":[1]}']]);
    assert.deepEqual(u.unset, ["flag"]);
    assert.deepEqual(u.increment.map((f) => [f.path, f.json.toString()]), [["n", "-2"], ["big", "9007199254740993"]]);
    assert.deepEqual(u.condition?.all.map((x) => [x.path, x.op, x.json.toString()]), [["n", Operator.OPERATOR_IN, "[1,2]"]]);
    assert.equal(u.precondition?.expectedVersion, 4n);
  } finally {
    c.close();
  }
});

test("queryPages follows page tokens", async () => {
  const c = client();
  try {
    const keys: string[] = [];
    for await (const page of c.queryPages("item", { limit: 1 })) keys.push(...page.documents.map((d) => d.key));
    assert.deepEqual(keys, ["k0", "k1", "k2"]);
  } finally {
    c.close();
  }
});

test("the deadline and the AbortSignal end a call", async () => {
  const c = client();
  try {
    await assert.rejects(c.get("item", "slow", { timeoutMs: 100 }), DeadlineExceededError);
    const ac = new AbortController();
    const pending = c.get("item", "slow", { signal: ac.signal });
    setTimeout(() => ac.abort(), 20);
    await assert.rejects(pending, CancelledError);
  } finally {
    c.close();
  }
});
