package dataaccess

import (
	"context"
	"errors"
	"net"
	"sync"
	"testing"
	"time"

	dataaccessv1 "github.com/dataaccess/proxy/clients/go/gen/dataaccess/v1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/grpc/test/bufconn"
)

// fake is an in-process DataAccess server that fails the first `unavailable` calls of each
// method with UNAVAILABLE and records what it saw.
type fake struct {
	dataaccessv1.UnimplementedDataAccessServiceServer
	mu          sync.Mutex
	unavailable int
	calls       map[string]int
	auth        []string
	deadline    time.Duration
	query       *dataaccessv1.QueryRequest
	put         *dataaccessv1.PutRequest
}

func (f *fake) enter(ctx context.Context, method string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls[method]++
	md, _ := metadata.FromIncomingContext(ctx)
	f.auth = md.Get("authorization")
	f.deadline = 0
	if d, ok := ctx.Deadline(); ok {
		f.deadline = time.Until(d)
	}
	_ = grpc.SetTrailer(ctx, metadata.Pairs(RulesMetadataKey, "rules-abc"))
	if f.calls[method] <= f.unavailable {
		return status.Error(codes.Unavailable, "store down")
	}
	return nil
}

func doc(key string, version int64) *dataaccessv1.Document {
	return &dataaccessv1.Document{Key: key, Version: version, Json: []byte(`{"id":"` + key + `"}`)}
}

func (f *fake) Get(ctx context.Context, r *dataaccessv1.GetRequest) (*dataaccessv1.GetResponse, error) {
	if err := f.enter(ctx, "Get"); err != nil {
		return nil, err
	}
	if r.Key == "missing" {
		return nil, status.Error(codes.NotFound, "no such key")
	}
	return &dataaccessv1.GetResponse{Document: doc(r.Key, 1)}, nil
}

func (f *fake) Put(ctx context.Context, r *dataaccessv1.PutRequest) (*dataaccessv1.PutResponse, error) {
	if err := f.enter(ctx, "Put"); err != nil {
		return nil, err
	}
	f.mu.Lock()
	f.put = r
	f.mu.Unlock()
	return &dataaccessv1.PutResponse{Document: doc(r.Key, 2)}, nil
}

func (f *fake) Update(ctx context.Context, r *dataaccessv1.UpdateRequest) (*dataaccessv1.UpdateResponse, error) {
	if err := f.enter(ctx, "Update"); err != nil {
		return nil, err
	}
	return &dataaccessv1.UpdateResponse{Document: doc(r.Key, 3)}, nil
}

func (f *fake) Delete(ctx context.Context, r *dataaccessv1.DeleteRequest) (*dataaccessv1.DeleteResponse, error) {
	if err := f.enter(ctx, "Delete"); err != nil {
		return nil, err
	}
	return &dataaccessv1.DeleteResponse{Version: 4}, nil
}

func (f *fake) Query(ctx context.Context, r *dataaccessv1.QueryRequest) (*dataaccessv1.QueryResponse, error) {
	if err := f.enter(ctx, "Query"); err != nil {
		return nil, err
	}
	f.mu.Lock()
	f.query = r
	f.mu.Unlock()
	return &dataaccessv1.QueryResponse{Documents: []*dataaccessv1.Document{doc("a", 1)}, NextPageToken: "t2"}, nil
}

func start(t *testing.T, f *fake, opts ...Option) *Client {
	t.Helper()
	f.calls = map[string]int{}
	lis := bufconn.Listen(1 << 20)
	srv := grpc.NewServer()
	dataaccessv1.RegisterDataAccessServiceServer(srv, f)
	go func() { _ = srv.Serve(lis) }()
	conn, err := grpc.NewClient("passthrough:///bufnet",
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }),
		grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close(); srv.Stop() })
	return New(conn, opts...)
}

func TestTokenDeadlineAndRules(t *testing.T) {
	f := &fake{}
	c := start(t, f, WithToken("s3cret"))
	var rules string
	d, err := c.Get(context.Background(), "item", "k1", Rules(&rules))
	if err != nil {
		t.Fatal(err)
	}
	if d.Key != "k1" || d.Version != 1 || d.Data["id"] != "k1" {
		t.Errorf("document %+v", d)
	}
	if len(f.auth) != 1 || f.auth[0] != "Bearer s3cret" {
		t.Errorf("authorization = %v", f.auth)
	}
	if f.deadline <= 0 || f.deadline > DefaultTimeout {
		t.Errorf("default deadline not applied: %v", f.deadline)
	}
	if rules != "rules-abc" {
		t.Errorf("rules = %q", rules)
	}

	// The caller's own deadline wins; rules arrive on errors too.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	rules = ""
	_, err = c.Get(ctx, "item", "missing", Rules(&rules))
	if !errors.Is(err, ErrNotFound) || rules != "rules-abc" {
		t.Errorf("err %v rules %q", err, rules)
	}
	if f.deadline <= DefaultTimeout {
		t.Errorf("caller deadline replaced: %v", f.deadline)
	}
}

func TestRetriesOnlyIdempotentCalls(t *testing.T) {
	f := &fake{unavailable: 2}
	c := start(t, f)
	ctx := context.Background()
	if _, err := c.Get(ctx, "item", "k"); err != nil || f.calls["Get"] != 3 {
		t.Errorf("Get: err %v after %d calls", err, f.calls["Get"])
	}
	if _, err := c.Update(ctx, "item", "k", Changes{Unset: []string{"x"}}); !errors.Is(err, ErrUnavailable) || f.calls["Update"] != 1 {
		t.Errorf("Update: err %v after %d calls", err, f.calls["Update"])
	}
	if _, err := c.Put(ctx, "item", "k", map[string]any{}); !errors.Is(err, ErrUnavailable) || f.calls["Put"] != 1 {
		t.Errorf("Put without version: err %v after %d calls", err, f.calls["Put"])
	}
	if _, err := c.Delete(ctx, "item", "k"); !errors.Is(err, ErrUnavailable) || f.calls["Delete"] != 1 {
		t.Errorf("Delete without version: err %v after %d calls", err, f.calls["Delete"])
	}
	f.calls = map[string]int{}
	if _, err := c.Put(ctx, "item", "k", map[string]any{"n": 1}, ExpectedVersion(1)); err != nil || f.calls["Put"] != 3 {
		t.Errorf("Put with version: err %v after %d calls", err, f.calls["Put"])
	}
	if p := f.put.GetPrecondition(); p.GetExpectedVersion() != 1 || string(f.put.Json) != `{"n":1}` {
		t.Errorf("put request %v", f.put)
	}
	if v, err := c.Delete(ctx, "item", "k", ExpectedVersion(3)); err != nil || v != 4 || f.calls["Delete"] != 3 {
		t.Errorf("Delete with version: v %d err %v after %d calls", v, err, f.calls["Delete"])
	}
}

func TestOnlyUnavailableIsRetried(t *testing.T) {
	f := &fake{}
	c := start(t, f)
	// A read is retryable, but NOT_FOUND is an answer, not an outage: one attempt only.
	if _, err := c.Get(context.Background(), "item", "missing"); !errors.Is(err, ErrNotFound) || f.calls["Get"] != 1 {
		t.Errorf("err %v after %d calls", err, f.calls["Get"])
	}
}

func TestRetriesDisabled(t *testing.T) {
	f := &fake{unavailable: 1}
	c := start(t, f, WithRetries(0))
	if _, err := c.Get(context.Background(), "item", "k"); !errors.Is(err, ErrUnavailable) || f.calls["Get"] != 1 {
		t.Errorf("err %v after %d calls", err, f.calls["Get"])
	}
}

func TestRetriesGiveUp(t *testing.T) {
	f := &fake{unavailable: 100}
	c := start(t, f, WithRetries(1))
	if _, err := c.Get(context.Background(), "item", "k"); !errors.Is(err, ErrUnavailable) || f.calls["Get"] != 2 {
		t.Errorf("err %v after %d calls", err, f.calls["Get"])
	}
}

func TestQueryRequest(t *testing.T) {
	f := &fake{}
	c := start(t, f)
	page, err := c.Query(context.Background(), "item", Query{
		Filter: []Condition{{Path: "run", Op: Eq, Value: "r1"}}, Order: []Order{{Path: "n", Descending: true}},
		Limit: 2, PageToken: "t1",
	})
	if err != nil {
		t.Fatal(err)
	}
	if page.NextPageToken != "t2" || len(page.Documents) != 1 || page.Documents[0].Key != "a" {
		t.Errorf("page %+v", page)
	}
	q := f.query
	if q.Entity != "item" || q.Limit != 2 || q.PageToken != "t1" || !q.Order[0].Descending ||
		q.Filter.All[0].Op != dataaccessv1.Operator_OPERATOR_EQ || string(q.Filter.All[0].Json) != `"r1"` {
		t.Errorf("query request %v", q)
	}
	if _, err := c.Search(context.Background(), "item", "x", Query{Order: []Order{{Path: "n"}}}); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("Search with order: %v", err)
	}
}
