/**
 * The shared client scenario (tests/clients/README.md) run with this client library.
 * Usage: node dist/scenario/run.js ADDRESS SCENARIO_FILE RUN_ID
 * Prints one canonical-JSON line per step; exits 0 iff every result equals its `expect`.
 */
import { readFileSync } from "node:fs";
import {
  canonicalJson,
  DataAccessClient,
  DataAccessError,
  LosslessNumber,
  parseJson,
  type Condition,
  type JsonObject,
  type JsonValue,
  type Order,
} from "../src/index.js";

const PLACEHOLDER = "${RUN}";

interface Step {
  name: string;
  call: string;
  args: JsonObject;
  expect: JsonValue;
}

/** Replace `from` by `to` in every string of a value, object keys included. */
function substitute(value: JsonValue, from: string, to: string): JsonValue {
  if (typeof value === "string") return value.split(from).join(to);
  if (Array.isArray(value)) return value.map((v) => substitute(v, from, to));
  if (value !== null && typeof value === "object" && !(value instanceof LosslessNumber)) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k.split(from).join(to), substitute(v, from, to)]),
    ) as JsonObject;
  }
  return value;
}

function str(args: JsonObject, name: string): string {
  const v = args[name];
  if (typeof v !== "string") throw new TypeError(`args.${name} must be a string`);
  return v;
}

function opt<T>(args: JsonObject, name: string): T | undefined {
  return args[name] === undefined ? undefined : (args[name] as unknown as T);
}

function versionOf(args: JsonObject): bigint | number | undefined {
  return opt<bigint | number>(args, "expectedVersion");
}

async function run(client: DataAccessClient, entity: string, call: string, args: JsonObject): Promise<JsonValue> {
  switch (call) {
    case "get": {
      const r = await client.get(entity, str(args, "key"));
      return { version: r.version, doc: r.doc };
    }
    case "put": {
      const r = await client.put(entity, str(args, "key"), args["doc"] as JsonObject, {
        expectedVersion: versionOf(args),
        mustNotExist: opt<boolean>(args, "mustNotExist"),
      });
      return { version: r.version, doc: r.doc };
    }
    case "update": {
      const r = await client.update(entity, str(args, "key"), {
        set: opt<JsonObject>(args, "set"),
        unset: opt<string[]>(args, "unset"),
        increment: opt<Record<string, number | bigint | string>>(args, "increment"),
        condition: opt<Condition[]>(args, "condition"),
        expectedVersion: versionOf(args),
      });
      return { version: r.version, doc: r.doc };
    }
    case "delete": {
      const r = await client.delete(entity, str(args, "key"), { expectedVersion: versionOf(args) });
      return { version: r.version };
    }
    case "batchGet": {
      const r = await client.batchGet(entity, opt<string[]>(args, "keys") ?? []);
      return { keys: r.documents.map((d) => d.key), missing: r.missingKeys };
    }
    case "query":
    case "search": {
      const filter = opt<Condition[]>(args, "filter");
      const limit = opt<number>(args, "limit");
      const pages =
        call === "query"
          ? client.queryPages(entity, { filter, limit, order: opt<Order[]>(args, "order") })
          : client.searchPages(entity, str(args, "text"), { filter, limit });
      const keys: string[] = [];
      let count = 0;
      for await (const page of pages) {
        count++;
        keys.push(...page.documents.map((d) => d.key));
      }
      return { keys, pages: count };
    }
    default:
      throw new TypeError(`unknown call ${JSON.stringify(call)}`);
  }
}

async function main(argv: string[]): Promise<number> {
  if (argv.length !== 3) {
    process.stderr.write("usage: run-scenario ADDRESS SCENARIO_FILE RUN_ID\n");
    return 2;
  }
  const [address, file, runId] = argv as [string, string, string];
  const scenario = parseJson(readFileSync(file)) as unknown as { entity: string; steps: Step[] };
  const client = new DataAccessClient(address);
  let allOk = true;
  try {
    for (const step of scenario.steps) {
      const args = substitute(step.args, PLACEHOLDER, runId) as JsonObject;
      const entity = typeof args["entity"] === "string" ? args["entity"] : scenario.entity;
      let result: JsonValue;
      try {
        result = await run(client, entity, step.call, args);
      } catch (err) {
        if (err instanceof DataAccessError) {
          const reason = err.reason === undefined ? "" : ` (reason ${err.reason})`;
          process.stderr.write(`${step.name}: ${err.name} ${err.code}${reason}: ${err.message}\n`);
          result = { error: err.code };
        } else {
          // A bug in this runner or the library, not an outcome of the call: report it, go on.
          process.stderr.write(`${step.name}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
          result = { exception: err instanceof Error ? err.message : String(err) };
        }
      }
      result = substitute(result, runId, PLACEHOLDER);
      const ok = canonicalJson(result) === canonicalJson(step.expect);
      allOk &&= ok;
      process.stdout.write(`${canonicalJson({ step: step.name, ok, result })}\n`);
    }
  } finally {
    client.close();
  }
  return allOk ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`run-scenario: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
