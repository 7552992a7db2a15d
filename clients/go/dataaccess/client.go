// Package dataaccess is the Go client of the DataAccess proxy: a sidecar that serves one gRPC API
// for every entity, whichever store (PostgreSQL, MongoDB, DynamoDB, OpenSearch) holds it right now.
//
// Documents are JSON objects. They come back decoded losslessly as map[string]any (numbers are
// json.Number, so int64 values above 2^53 keep every digit; decimals and timestamps are strings),
// or into your own type with Decode. Failed calls return an *Error that matches the Err* sentinels
// with errors.Is.
//
//	c, err := dataaccess.Dial("127.0.0.1:50051")
//	if err != nil { ... }
//	defer c.Close()
//	doc, err := c.Put(ctx, "product", "p1", map[string]any{"name": "Phone", "price": "19.99"},
//		dataaccess.MustNotExist())
//	doc, err = c.Get(ctx, "product", "p1")
//	if errors.Is(err, dataaccess.ErrNotFound) { ... }
package dataaccess

import (
	"context"
	"crypto/tls"
	"math/rand/v2"
	"time"

	dataaccessv1 "github.com/dataaccess/proxy/clients/go/gen/dataaccess/v1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// RulesMetadataKey is the trailing metadata key that carries the routing-rules version that served
// a call; read it with the Rules call option.
const RulesMetadataKey = "x-dataaccess-rules"

// Defaults for the client options.
const (
	// DefaultTimeout bounds a call (retries included) whose context has no deadline.
	DefaultTimeout = 5 * time.Second
	// DefaultRetries is how many times a retryable call is retried after UNAVAILABLE.
	DefaultRetries = 2
	// retryBackoff is the first backoff; it doubles per retry, with jitter, up to retryBackoffMax.
	retryBackoff    = 50 * time.Millisecond
	retryBackoffMax = time.Second
)

// Client calls the DataAccess API. It is safe for concurrent use; make one per proxy address.
type Client struct {
	conn  *grpc.ClientConn // closed by Close only when Dial created it
	owned bool
	rpc   dataaccessv1.DataAccessServiceClient
	opts  options
}

type options struct {
	timeout  time.Duration
	retries  int
	token    string
	creds    credentials.TransportCredentials
	dialOpts []grpc.DialOption
}

// Option configures a Client.
type Option func(*options)

// WithTLS makes Dial use TLS with cfg (nil means the system roots and default settings). Without
// it (or WithTransportCredentials) Dial connects in plaintext, as to a sidecar on loopback.
func WithTLS(cfg *tls.Config) Option {
	if cfg == nil {
		cfg = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	return WithTransportCredentials(credentials.NewTLS(cfg))
}

// WithTransportCredentials makes Dial use the given transport credentials (e.g. mTLS).
func WithTransportCredentials(creds credentials.TransportCredentials) Option {
	return func(o *options) { o.creds = creds }
}

// WithToken sends "authorization: Bearer TOKEN" metadata on every call.
func WithToken(token string) Option {
	return func(o *options) { o.token = token }
}

// WithTimeout sets the deadline given to calls whose context has none (default DefaultTimeout);
// 0 leaves such calls unbounded.
func WithTimeout(d time.Duration) Option {
	return func(o *options) { o.timeout = d }
}

// WithRetries sets how many times a call is retried after UNAVAILABLE (default DefaultRetries;
// 0 disables retries). Only idempotent calls are retried: Get, BatchGet, Query, Search, and Put
// and Delete that carry an ExpectedVersion. Update never is.
func WithRetries(n int) Option {
	return func(o *options) { o.retries = max(n, 0) }
}

// WithDialOptions passes extra options to grpc.NewClient in Dial (interceptors, keepalive, ...).
func WithDialOptions(opts ...grpc.DialOption) Option {
	return func(o *options) { o.dialOpts = append(o.dialOpts, opts...) }
}

func newOptions(opts []Option) options {
	o := options{timeout: DefaultTimeout, retries: DefaultRetries}
	for _, apply := range opts {
		apply(&o)
	}
	return o
}

// Dial creates a Client for the proxy at addr ("host:port"). The connection is made lazily and
// re-made as needed, so Dial succeeds even while the proxy is still starting; Close releases it.
func Dial(addr string, opts ...Option) (*Client, error) {
	o := newOptions(opts)
	creds := o.creds
	if creds == nil {
		creds = insecure.NewCredentials()
	}
	dialOpts := append([]grpc.DialOption{grpc.WithTransportCredentials(creds)}, o.dialOpts...)
	conn, err := grpc.NewClient(addr, dialOpts...)
	if err != nil {
		return nil, err
	}
	return &Client{conn: conn, owned: true, rpc: dataaccessv1.NewDataAccessServiceClient(conn), opts: o}, nil
}

// New creates a Client on a connection the caller owns (and closes). The TLS, transport
// credentials and dial options are ignored; the others apply.
func New(conn grpc.ClientConnInterface, opts ...Option) *Client {
	return &Client{rpc: dataaccessv1.NewDataAccessServiceClient(conn), opts: newOptions(opts)}
}

// Close closes the connection if Dial created it; otherwise it does nothing.
func (c *Client) Close() error {
	if c.owned && c.conn != nil {
		return c.conn.Close()
	}
	return nil
}

// call runs one RPC through fn with the default deadline, the token, retries after UNAVAILABLE
// when retryable, and the rules trailer; it returns an *Error or nil.
func (c *Client) call(ctx context.Context, retryable bool, co *callOptions,
	fn func(ctx context.Context, opts ...grpc.CallOption) error) error {
	if _, ok := ctx.Deadline(); !ok && c.opts.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.opts.timeout)
		defer cancel()
	}
	if c.opts.token != "" {
		ctx = metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+c.opts.token)
	}
	retries := 0
	if retryable {
		retries = c.opts.retries
	}
	backoff := retryBackoff
	for attempt := 0; ; attempt++ {
		var trailer metadata.MD
		err := fn(ctx, grpc.Trailer(&trailer))
		if co.rules != nil {
			if v := trailer.Get(RulesMetadataKey); len(v) > 0 {
				*co.rules = v[len(v)-1]
			}
		}
		if err == nil || attempt >= retries || status.Code(err) != codes.Unavailable {
			return toError(err)
		}
		// Full jitter in [backoff/2, backoff): retries from many clients do not line up.
		wait := backoff/2 + rand.N(backoff/2)
		select {
		case <-ctx.Done():
			return toError(err)
		case <-time.After(wait):
		}
		backoff = min(2*backoff, retryBackoffMax)
	}
}

// Get returns the document with key, or ErrNotFound.
func (c *Client) Get(ctx context.Context, entity, key string, opts ...CallOption) (*Document, error) {
	co, err := collect(opts, "Get", 0)
	if err != nil {
		return nil, err
	}
	req := &dataaccessv1.GetRequest{Entity: entity, Key: key}
	var resp *dataaccessv1.GetResponse
	err = c.call(ctx, true, co, func(ctx context.Context, o ...grpc.CallOption) (err error) {
		resp, err = c.rpc.Get(ctx, req, o...)
		return err
	})
	if err != nil {
		return nil, err
	}
	return fromProto(resp.GetDocument())
}

// BatchGet returns the documents that exist among keys, in the order of keys, and the missing keys.
func (c *Client) BatchGet(ctx context.Context, entity string, keys []string, opts ...CallOption) (*Batch, error) {
	co, err := collect(opts, "BatchGet", 0)
	if err != nil {
		return nil, err
	}
	req := &dataaccessv1.BatchGetRequest{Entity: entity, Keys: keys}
	var resp *dataaccessv1.BatchGetResponse
	err = c.call(ctx, true, co, func(ctx context.Context, o ...grpc.CallOption) (err error) {
		resp, err = c.rpc.BatchGet(ctx, req, o...)
		return err
	})
	if err != nil {
		return nil, err
	}
	docs, err := fromProtos(resp.GetDocuments())
	if err != nil {
		return nil, err
	}
	return &Batch{Documents: docs, Missing: resp.GetMissingKeys()}, nil
}

// Put creates or replaces the whole document at key and returns it as stored, with its new version.
// doc is marshalled as JSON (a struct, a map, or already-encoded []byte / json.RawMessage); if it
// carries the key field, the value must equal key. Options: ExpectedVersion (else ErrConflict),
// MustNotExist (else ErrAlreadyExists), MustExist (else ErrNotFound), Rules.
func (c *Client) Put(ctx context.Context, entity, key string, doc any, opts ...CallOption) (*Document, error) {
	co, err := collect(opts, "Put", usePrecondition)
	if err != nil {
		return nil, err
	}
	body, err := marshal(doc)
	if err != nil {
		return nil, err
	}
	req := &dataaccessv1.PutRequest{Entity: entity, Key: key, Json: body, Precondition: co.precondition()}
	var resp *dataaccessv1.PutResponse
	err = c.call(ctx, co.expectedVersion > 0, co, func(ctx context.Context, o ...grpc.CallOption) (err error) {
		resp, err = c.rpc.Put(ctx, req, o...)
		return err
	})
	if err != nil {
		return nil, err
	}
	return fromProto(resp.GetDocument())
}

// Update applies changes to the document at key in one atomic step and returns it as stored. If
// changes.Condition does not hold, it fails with ErrPreconditionFailed and writes nothing. Options:
// ExpectedVersion, MustNotExist, MustExist, Rules. Update is never retried.
func (c *Client) Update(ctx context.Context, entity, key string, changes Changes, opts ...CallOption) (*Document, error) {
	co, err := collect(opts, "Update", usePrecondition)
	if err != nil {
		return nil, err
	}
	set, inc, cond, err := changesToProto(changes)
	if err != nil {
		return nil, err
	}
	req := &dataaccessv1.UpdateRequest{
		Entity: entity, Key: key, Set: set, Unset: changes.Unset, Increment: inc, Condition: cond,
		Precondition: co.precondition(),
	}
	var resp *dataaccessv1.UpdateResponse
	err = c.call(ctx, false, co, func(ctx context.Context, o ...grpc.CallOption) (err error) {
		resp, err = c.rpc.Update(ctx, req, o...)
		return err
	})
	if err != nil {
		return nil, err
	}
	return fromProto(resp.GetDocument())
}

// Delete removes the document at key and returns the version recorded for the deletion (0 if
// nothing existed and AllowMissing was given). Options: ExpectedVersion, AllowMissing, Rules.
func (c *Client) Delete(ctx context.Context, entity, key string, opts ...CallOption) (int64, error) {
	co, err := collect(opts, "Delete", useExpectedVersion|useAllowMissing)
	if err != nil {
		return 0, err
	}
	req := &dataaccessv1.DeleteRequest{
		Entity: entity, Key: key, ExpectedVersion: co.expectedVersion, AllowMissing: co.allowMissing,
	}
	var resp *dataaccessv1.DeleteResponse
	err = c.call(ctx, co.expectedVersion > 0, co, func(ctx context.Context, o ...grpc.CallOption) (err error) {
		resp, err = c.rpc.Delete(ctx, req, o...)
		return err
	})
	if err != nil {
		return 0, err
	}
	return resp.GetVersion(), nil
}

// Query returns one page of the documents that match q.Filter, sorted by q.Order then key. Pass
// the returned NextPageToken as q.PageToken (with the rest of q unchanged) for the next page.
func (c *Client) Query(ctx context.Context, entity string, q Query, opts ...CallOption) (*Page, error) {
	co, err := collect(opts, "Query", 0)
	if err != nil {
		return nil, err
	}
	filter, err := filterToProto(q.Filter)
	if err != nil {
		return nil, err
	}
	req := &dataaccessv1.QueryRequest{
		Entity: entity, Filter: filter, Order: ordersToProto(q.Order), Limit: q.Limit, PageToken: q.PageToken,
	}
	var resp *dataaccessv1.QueryResponse
	err = c.call(ctx, true, co, func(ctx context.Context, o ...grpc.CallOption) (err error) {
		resp, err = c.rpc.Query(ctx, req, o...)
		return err
	})
	if err != nil {
		return nil, err
	}
	docs, err := fromProtos(resp.GetDocuments())
	if err != nil {
		return nil, err
	}
	return &Page{Documents: docs, NextPageToken: resp.GetNextPageToken()}, nil
}

// Search returns one page of the documents whose text fields match text (plain words, no operator
// syntax), best first, restricted by q.Filter; q.Order must be empty. Page like Query.
func (c *Client) Search(ctx context.Context, entity, text string, q Query, opts ...CallOption) (*Page, error) {
	co, err := collect(opts, "Search", 0)
	if err != nil {
		return nil, err
	}
	if len(q.Order) > 0 {
		return nil, invalid("Search: results are ordered by relevance; Query.Order must be empty")
	}
	filter, err := filterToProto(q.Filter)
	if err != nil {
		return nil, err
	}
	req := &dataaccessv1.SearchRequest{Entity: entity, Text: text, Filter: filter, Limit: q.Limit, PageToken: q.PageToken}
	var resp *dataaccessv1.SearchResponse
	err = c.call(ctx, true, co, func(ctx context.Context, o ...grpc.CallOption) (err error) {
		resp, err = c.rpc.Search(ctx, req, o...)
		return err
	})
	if err != nil {
		return nil, err
	}
	docs, err := fromProtos(resp.GetDocuments())
	if err != nil {
		return nil, err
	}
	return &Page{Documents: docs, NextPageToken: resp.GetNextPageToken()}, nil
}
