/**
 * `DataAccessClient`: the idiomatic face of the DataAccess gRPC API.
 *
 * Documents are plain objects, parsed losslessly (see json.ts); versions are `bigint` because they
 * are int64 on the wire. Every call has a deadline (default 5 s, covering retries), is retried with
 * jittered backoff only on UNAVAILABLE and only when repeating it cannot change the outcome, and
 * fails with a typed `DataAccessError`. Results carry the routing-rules version that served them.
 */
import { setTimeout as sleep } from "node:timers/promises";
import {
  credentials as grpcCredentials,
  Metadata,
  type CallOptions as GrpcCallOptions,
  type ChannelCredentials,
  type ChannelOptions,
  type ClientUnaryCall,
  type ServiceError,
  type StatusObject,
} from "@grpc/grpc-js";
import {
  DataAccessServiceClient,
  type BatchGetResponse,
  type DeleteResponse,
  type Document as ProtoDocument,
  type GetResponse,
  type PutResponse,
  type QueryResponse,
  type SearchResponse,
  type UpdateResponse,
} from "./gen/dataaccess/v1/data_access.js";
import { DataAccessError, fromServiceError, makeError, rulesVersion, UnavailableError } from "./errors.js";
import { parseJson, type JsonObject } from "./json.js";
import {
  jsonBytes,
  toFilter,
  toPrecondition,
  toVersion,
  type Condition,
  type Order,
  type Version,
} from "./request.js";

/** How the client connects and behaves; every field is optional. */
export interface ClientOptions {
  /** gRPC channel credentials; overrides `tls`. Default: plaintext (the proxy is a local sidecar). */
  credentials?: ChannelCredentials | undefined;
  /** Use TLS: `true` for the system roots, or PEM buffers for a private CA and/or mTLS. */
  tls?: boolean | { rootCerts?: Buffer | undefined; privateKey?: Buffer | undefined; certChain?: Buffer | undefined } | undefined;
  /** Caller token, sent as `authorization: Bearer TOKEN`; a function is asked on every attempt. */
  token?: string | (() => string | Promise<string>) | undefined;
  /** Default deadline of each call in milliseconds, retries included. Default 5000. */
  timeoutMs?: number | undefined;
  /** Retries of UNAVAILABLE on idempotent calls; `false` disables them. */
  retry?: false | RetryOptions | undefined;
  /** Metadata sent with every call. */
  metadata?: Record<string, string> | undefined;
  /** Raw `@grpc/grpc-js` channel options (keepalive, message sizes, …). */
  channelOptions?: ChannelOptions | undefined;
}

/** Backoff for retries: attempt n waits a random time in [0, min(max, initial·2^(n-1))). */
export interface RetryOptions {
  /** Attempts in all, the first included. Default 4. */
  maxAttempts?: number | undefined;
  /** Default 50 ms. */
  initialBackoffMs?: number | undefined;
  /** Default 1000 ms. */
  maxBackoffMs?: number | undefined;
}

/** Per-call options, accepted by every method. */
export interface CallOptions {
  /** Deadline of this call in milliseconds (overrides the client's `timeoutMs`). */
  timeoutMs?: number | undefined;
  /** Cancels the call (it then fails with CancelledError). */
  signal?: AbortSignal | undefined;
  /** Extra metadata for this call. */
  metadata?: Record<string, string> | undefined;
}

/** What every call returns besides its payload. */
export interface Served {
  /** The routing-rules version that served the call (trailer `x-dataaccess-rules`), if sent. */
  rulesVersion: string | undefined;
}

/** One stored document. `T` is the caller's view of the JSON object; nothing checks it. */
export interface Document<T = JsonObject> {
  key: string;
  /** 1 on first write, +1 on every write, never reused for a key (int64, hence bigint). */
  version: bigint;
  doc: T;
}

export type DocumentResult<T = JsonObject> = Document<T> & Served;

export interface BatchGetResult<T = JsonObject> extends Served {
  /** Documents found, in the order of the requested keys. */
  documents: Document<T>[];
  /** Keys that do not exist. */
  missingKeys: string[];
}

export interface DeleteResult extends Served {
  /** Version recorded for the deletion (the tombstone's); 0n if nothing existed. */
  version: bigint;
}

export interface Page<T = JsonObject> extends Served {
  documents: Document<T>[];
  /** Pass as `pageToken` for the next page; "" when there are no more results. */
  nextPageToken: string;
}

export interface PutOptions extends CallOptions {
  /** Write only if the current version equals this. */
  expectedVersion?: Version | undefined;
  /** Write only if the document does not exist (ALREADY_EXISTS otherwise). */
  mustNotExist?: boolean | undefined;
  /** Write only if the document exists (NOT_FOUND otherwise). */
  mustExist?: boolean | undefined;
}

export interface UpdateOptions extends CallOptions {
  /** Dotted path → new value. */
  set?: Record<string, unknown> | undefined;
  /** Dotted paths to remove. */
  unset?: string[] | undefined;
  /** Dotted path → amount to add (negative to subtract); a string for decimals. */
  increment?: Record<string, number | bigint | string> | undefined;
  /** Apply only if all these hold (PreconditionFailedError otherwise; nothing is written). */
  condition?: Condition[] | undefined;
  /** Apply only if the current version equals this. */
  expectedVersion?: Version | undefined;
}

export interface DeleteOptions extends CallOptions {
  /** Delete only if the current version equals this. */
  expectedVersion?: Version | undefined;
  /** Succeed even if the document does not exist (otherwise NotFoundError). */
  allowMissing?: boolean | undefined;
}

export interface QueryOptions extends CallOptions {
  /** Conditions that must all hold; none matches everything. */
  filter?: Condition[] | undefined;
  /** Sort order; default by key. */
  order?: Order[] | undefined;
  /** Page size; 0 or absent means the server default. */
  limit?: number | undefined;
  /** `nextPageToken` from the previous page. */
  pageToken?: string | undefined;
}

export interface SearchOptions extends CallOptions {
  /** Conditions the matches must also satisfy. */
  filter?: Condition[] | undefined;
  /** Page size; 0 or absent means the server default. */
  limit?: number | undefined;
  /** `nextPageToken` from the previous page. */
  pageToken?: string | undefined;
}

type Callback<Res> = (err: ServiceError | null, res: Res) => void;
type Invoke<Res> = (md: Metadata, opts: Partial<GrpcCallOptions>, cb: Callback<Res>) => ClientUnaryCall;

const DEFAULT_TIMEOUT_MS = 5000;
type Backoff = { [K in keyof RetryOptions]-?: number };
const DEFAULT_RETRY: Backoff = { maxAttempts: 4, initialBackoffMs: 50, maxBackoffMs: 1000 };

/**
 * A client of one DataAccess proxy. Cheap to keep for the life of the process; `close()` at the end.
 *
 * ```ts
 * const client = new DataAccessClient("127.0.0.1:50051");
 * const { version, doc } = await client.get("product", "p-1");
 * ```
 */
export class DataAccessClient {
  private readonly stub: DataAccessServiceClient;
  private readonly timeoutMs: number;
  private readonly retry: Backoff;
  private readonly token: ClientOptions["token"];
  private readonly metadata: Record<string, string>;

  constructor(address: string, options: ClientOptions = {}) {
    this.stub = new DataAccessServiceClient(address, channelCredentials(options), options.channelOptions ?? {});
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const retry: RetryOptions = options.retry === false ? { maxAttempts: 1 } : (options.retry ?? {});
    this.retry = {
      maxAttempts: retry.maxAttempts ?? DEFAULT_RETRY.maxAttempts,
      initialBackoffMs: retry.initialBackoffMs ?? DEFAULT_RETRY.initialBackoffMs,
      maxBackoffMs: retry.maxBackoffMs ?? DEFAULT_RETRY.maxBackoffMs,
    };
    this.token = options.token;
    this.metadata = { ...options.metadata };
  }

  /** Read one document; NotFoundError if it does not exist. */
  async get<T = JsonObject>(entity: string, key: string, options: CallOptions = {}): Promise<DocumentResult<T>> {
    const [res, rules] = await this.call<GetResponse>(options, true, (md, o, cb) =>
      this.stub.get({ entity, key }, md, o, cb),
    );
    return { ...toDocument<T>(res.document), rulesVersion: rules };
  }

  /** Read several documents of one entity; absent keys are listed in `missingKeys`. */
  async batchGet<T = JsonObject>(entity: string, keys: string[], options: CallOptions = {}): Promise<BatchGetResult<T>> {
    const [res, rules] = await this.call<BatchGetResponse>(options, true, (md, o, cb) =>
      this.stub.batchGet({ entity, keys }, md, o, cb),
    );
    return { documents: res.documents.map((d) => toDocument<T>(d)), missingKeys: res.missingKeys, rulesVersion: rules };
  }

  /** Create or replace a whole document; returns it as stored, with its new version. */
  async put<T extends object = JsonObject>(
    entity: string,
    key: string,
    doc: T,
    options: PutOptions = {},
  ): Promise<DocumentResult<T>> {
    const precondition = toPrecondition(options);
    const request = { entity, key, json: jsonBytes(doc), precondition };
    const [res, rules] = await this.call<PutResponse>(options, (precondition?.expectedVersion ?? 0n) !== 0n, (md, o, cb) =>
      this.stub.put(request, md, o, cb),
    );
    return { ...toDocument<T>(res.document), rulesVersion: rules };
  }

  /** Change parts of a document atomically; returns it as stored after the change. */
  async update<T = JsonObject>(entity: string, key: string, options: UpdateOptions): Promise<DocumentResult<T>> {
    const request = {
      entity,
      key,
      set: Object.entries(options.set ?? {}).map(([path, value]) => ({ path, json: jsonBytes(value) })),
      unset: options.unset ?? [],
      increment: Object.entries(options.increment ?? {}).map(([path, value]) => ({ path, json: jsonBytes(value) })),
      condition: toFilter(options.condition),
      precondition: toPrecondition(options),
    };
    // Never retried: even with an expected version, a lost reply would turn into a conflict.
    const [res, rules] = await this.call<UpdateResponse>(options, false, (md, o, cb) => this.stub.update(request, md, o, cb));
    return { ...toDocument<T>(res.document), rulesVersion: rules };
  }

  /** Delete a document; returns the tombstone's version. */
  async delete(entity: string, key: string, options: DeleteOptions = {}): Promise<DeleteResult> {
    const request = {
      entity,
      key,
      expectedVersion: toVersion(options.expectedVersion),
      allowMissing: options.allowMissing ?? false,
    };
    const [res, rules] = await this.call<DeleteResponse>(options, request.expectedVersion !== 0n, (md, o, cb) =>
      this.stub.delete(request, md, o, cb),
    );
    return { version: res.version, rulesVersion: rules };
  }

  /** One page of documents matching a structured filter. See `queryPages` to walk all pages. */
  async query<T = JsonObject>(entity: string, options: QueryOptions = {}): Promise<Page<T>> {
    const request = {
      entity,
      filter: toFilter(options.filter),
      order: (options.order ?? []).map((o) => ({ path: o.path, descending: o.descending ?? false })),
      limit: options.limit ?? 0,
      pageToken: options.pageToken ?? "",
    };
    const [res, rules] = await this.call<QueryResponse>(options, true, (md, o, cb) => this.stub.query(request, md, o, cb));
    return toPage<T>(res.documents, res.nextPageToken, rules);
  }

  /** One page of full-text matches, most relevant first. See `searchPages` to walk all pages. */
  async search<T = JsonObject>(entity: string, text: string, options: SearchOptions = {}): Promise<Page<T>> {
    const request = {
      entity,
      text,
      filter: toFilter(options.filter),
      limit: options.limit ?? 0,
      pageToken: options.pageToken ?? "",
    };
    const [res, rules] = await this.call<SearchResponse>(options, true, (md, o, cb) => this.stub.search(request, md, o, cb));
    return toPage<T>(res.documents, res.nextPageToken, rules);
  }

  /** Every page of a query, following `nextPageToken` (each page is one call with its own deadline). */
  async *queryPages<T = JsonObject>(entity: string, options: QueryOptions = {}): AsyncGenerator<Page<T>> {
    let pageToken = options.pageToken ?? "";
    do {
      const page = await this.query<T>(entity, { ...options, pageToken });
      yield page;
      pageToken = page.nextPageToken;
    } while (pageToken !== "");
  }

  /** Every page of a search, following `nextPageToken`. */
  async *searchPages<T = JsonObject>(entity: string, text: string, options: SearchOptions = {}): AsyncGenerator<Page<T>> {
    let pageToken = options.pageToken ?? "";
    do {
      const page = await this.search<T>(entity, text, { ...options, pageToken });
      yield page;
      pageToken = page.nextPageToken;
    } while (pageToken !== "");
  }

  /** Close the channel; calls in flight fail with CancelledError or UnavailableError. */
  close(): void {
    this.stub.close();
  }

  /** Run one unary call under a single deadline, retrying UNAVAILABLE if `retryable`. */
  private async call<Res>(options: CallOptions, retryable: boolean, invoke: Invoke<Res>): Promise<[Res, string | undefined]> {
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const deadline = Number.isFinite(timeoutMs) ? Date.now() + timeoutMs : Infinity;
    const maxAttempts = retryable ? Math.max(1, this.retry.maxAttempts) : 1;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(invoke, await this.callMetadata(options), deadline, options.signal);
      } catch (err) {
        const error = fromServiceError(err);
        if (!(error instanceof UnavailableError) || attempt >= maxAttempts) throw error;
        const cap = Math.min(this.retry.maxBackoffMs, this.retry.initialBackoffMs * 2 ** (attempt - 1));
        const delay = Math.random() * cap;
        if (Date.now() + delay >= deadline) throw error;
        try {
          await sleep(delay, undefined, options.signal === undefined ? {} : { signal: options.signal });
        } catch {
          throw makeError("CANCELLED", "call cancelled by its AbortSignal", { cause: error });
        }
      }
    }
  }

  private attempt<Res>(
    invoke: Invoke<Res>,
    md: Metadata,
    deadline: number,
    signal: AbortSignal | undefined,
  ): Promise<[Res, string | undefined]> {
    if (signal?.aborted) {
      return Promise.reject(makeError("CANCELLED", "call cancelled by its AbortSignal"));
    }
    return new Promise((resolve, reject) => {
      let outcome: { err: ServiceError | null; res: Res } | undefined;
      const options: Partial<GrpcCallOptions> = Number.isFinite(deadline) ? { deadline } : {};
      const call = invoke(md, options, (err, res) => {
        outcome = { err, res };
      });
      const onAbort = (): void => call.cancel();
      signal?.addEventListener("abort", onAbort, { once: true });
      // grpc-js runs the callback before emitting "status"; the trailers (rules version) come
      // with the status, so the promise settles there.
      call.on("status", (status: StatusObject) => {
        signal?.removeEventListener("abort", onAbort);
        if (outcome === undefined) {
          reject(makeError("INTERNAL", "call ended without a result"));
        } else if (outcome.err !== null) {
          reject(fromServiceError(outcome.err));
        } else {
          resolve([outcome.res, rulesVersion(status.metadata)]);
        }
      });
    });
  }

  private async callMetadata(options: CallOptions): Promise<Metadata> {
    const md = new Metadata();
    for (const [k, v] of Object.entries({ ...this.metadata, ...options.metadata })) md.set(k, v);
    if (this.token !== undefined) {
      const token = typeof this.token === "function" ? await this.token() : this.token;
      md.set("authorization", `Bearer ${token}`);
    }
    return md;
  }
}

function channelCredentials(options: ClientOptions): ChannelCredentials {
  if (options.credentials !== undefined) return options.credentials;
  const tls = options.tls;
  if (tls === undefined || tls === false) return grpcCredentials.createInsecure();
  if (tls === true) return grpcCredentials.createSsl();
  return grpcCredentials.createSsl(tls.rootCerts ?? null, tls.privateKey ?? null, tls.certChain ?? null);
}

function toDocument<T>(d: ProtoDocument | undefined): Document<T> {
  if (d === undefined) throw makeError("INTERNAL", "response carried no document");
  let doc: T;
  try {
    doc = parseJson(d.json) as T;
  } catch (err) {
    throw makeError("DATA_LOSS", `document ${d.key} is not valid UTF-8 JSON`, { cause: err });
  }
  return { key: d.key, version: d.version, doc };
}

function toPage<T>(documents: ProtoDocument[], nextPageToken: string, rulesVersion: string | undefined): Page<T> {
  return { documents: documents.map((d) => toDocument<T>(d)), nextPageToken, rulesVersion };
}

export { DataAccessError };
