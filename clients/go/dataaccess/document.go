package dataaccess

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"

	dataaccessv1 "github.com/dataaccess/proxy/clients/go/gen/dataaccess/v1"
)

// Document is one stored JSON object with its key and version.
type Document struct {
	// Key is the document's key (the value of the entity's key field).
	Key string
	// Version is 1 on first write and grows by one on every write; never reused for a key.
	Version int64
	// Data is the document decoded losslessly: numbers are json.Number (so int64 values above 2^53
	// keep every digit), decimals and timestamps are strings, objects are map[string]any.
	Data map[string]any
	// JSON is the document exactly as the proxy sent it.
	JSON json.RawMessage
}

// Decode unmarshals a document's JSON into a T, e.g. a struct with json tags.
//
// Give int64 fields an int64 type (not float64) to keep large values exact, and decimal fields a
// string or a decimal type that unmarshals from a JSON string.
func Decode[T any](doc *Document) (T, error) {
	var v T
	if doc == nil {
		return v, fmt.Errorf("dataaccess: decode: nil document")
	}
	if err := json.Unmarshal(doc.JSON, &v); err != nil {
		return v, fmt.Errorf("dataaccess: decode %q: %w", doc.Key, err)
	}
	return v, nil
}

// Op is a comparison operator in a Condition.
type Op string

// The comparison operators.
const (
	// Eq: the field equals the value.
	Eq Op = "eq"
	// Ne: the field differs from the value, or is absent.
	Ne Op = "ne"
	// Lt: the field is less than the value.
	Lt Op = "lt"
	// Lte: the field is less than or equal to the value.
	Lte Op = "lte"
	// Gt: the field is greater than the value.
	Gt Op = "gt"
	// Gte: the field is greater than or equal to the value.
	Gte Op = "gte"
	// In: the field equals one of the values; Value is a slice.
	In Op = "in"
	// Exists: the field is present (Value true) or absent (Value false).
	Exists Op = "exists"
	// Prefix: the string field starts with the value.
	Prefix Op = "prefix"
)

var opToProto = map[Op]dataaccessv1.Operator{
	Eq: dataaccessv1.Operator_OPERATOR_EQ, Ne: dataaccessv1.Operator_OPERATOR_NE,
	Lt: dataaccessv1.Operator_OPERATOR_LT, Lte: dataaccessv1.Operator_OPERATOR_LTE,
	Gt: dataaccessv1.Operator_OPERATOR_GT, Gte: dataaccessv1.Operator_OPERATOR_GTE,
	In: dataaccessv1.Operator_OPERATOR_IN, Exists: dataaccessv1.Operator_OPERATOR_EXISTS,
	Prefix: dataaccessv1.Operator_OPERATOR_PREFIX,
}

// Condition is one comparison of a dotted field path with a value. A filter is a []Condition, all
// of which must hold.
type Condition struct {
	// Path is the dotted field path, e.g. "specifications.camera.main".
	Path string
	// Op is the comparison.
	Op Op
	// Value is the operand, marshalled as JSON: a slice for In, a bool for Exists.
	Value any
}

// Order sorts query results by a field; the key is always the final tie-breaker.
type Order struct {
	// Path is the dotted field path.
	Path string
	// Descending sorts descending instead of ascending.
	Descending bool
}

// Query selects one page of documents. For Search, Order must be empty (results are by relevance).
type Query struct {
	// Filter holds conditions that must all hold; empty matches every document.
	Filter []Condition
	// Order is the sort order; empty sorts by key.
	Order []Order
	// Limit is the page size; 0 means the server's default.
	Limit int32
	// PageToken is the previous page's NextPageToken; empty for the first page.
	PageToken string
}

// Page is one page of Query or Search results.
type Page struct {
	// Documents are the page's documents, in order.
	Documents []*Document
	// NextPageToken fetches the next page; empty when there are no more results.
	NextPageToken string
}

// Batch is the result of BatchGet.
type Batch struct {
	// Documents are the documents found, in the order of the requested keys.
	Documents []*Document
	// Missing are the requested keys that do not exist.
	Missing []string
}

// Changes is a partial update applied atomically by Client.Update.
type Changes struct {
	// Set maps dotted field paths to new values (marshalled as JSON).
	Set map[string]any
	// Unset lists dotted field paths to remove.
	Unset []string
	// Increment maps dotted paths of numeric fields to amounts to add: a number, or a decimal
	// string such as "-1.50".
	Increment map[string]any
	// Condition must hold for the current document, or the update fails with
	// ErrPreconditionFailed and nothing is written.
	Condition []Condition
}

// marshal encodes v as compact JSON without HTML escaping. []byte and json.RawMessage are taken as
// already-encoded JSON and must be valid.
func marshal(v any) ([]byte, error) {
	switch raw := v.(type) {
	case json.RawMessage:
		if !json.Valid(raw) {
			return nil, invalid("invalid JSON")
		}
		return raw, nil
	case []byte:
		if !json.Valid(raw) {
			return nil, invalid("invalid JSON")
		}
		return raw, nil
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, invalid("cannot encode as JSON: %v", err)
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// decodeObject parses a JSON object losslessly (json.Number for numbers).
func decodeObject(data []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, fmt.Errorf("trailing data after JSON object")
	}
	return m, nil
}

func fromProto(d *dataaccessv1.Document) (*Document, error) {
	if d == nil {
		return nil, fmt.Errorf("dataaccess: response carries no document")
	}
	data, err := decodeObject(d.GetJson())
	if err != nil {
		return nil, fmt.Errorf("dataaccess: document %q is not a JSON object: %w", d.GetKey(), err)
	}
	return &Document{Key: d.GetKey(), Version: d.GetVersion(), Data: data, JSON: d.GetJson()}, nil
}

func fromProtos(ds []*dataaccessv1.Document) ([]*Document, error) {
	out := make([]*Document, 0, len(ds))
	for _, d := range ds {
		doc, err := fromProto(d)
		if err != nil {
			return nil, err
		}
		out = append(out, doc)
	}
	return out, nil
}

func filterToProto(conds []Condition) (*dataaccessv1.Filter, error) {
	if len(conds) == 0 {
		return nil, nil
	}
	f := &dataaccessv1.Filter{}
	for _, c := range conds {
		op, ok := opToProto[c.Op]
		if !ok {
			return nil, invalid("condition on %q: unknown operator %q", c.Path, c.Op)
		}
		value, err := marshal(c.Value)
		if err != nil {
			return nil, err
		}
		f.All = append(f.All, &dataaccessv1.Condition{Path: c.Path, Op: op, Json: value})
	}
	return f, nil
}

func ordersToProto(orders []Order) []*dataaccessv1.Order {
	out := make([]*dataaccessv1.Order, 0, len(orders))
	for _, o := range orders {
		out = append(out, &dataaccessv1.Order{Path: o.Path, Descending: o.Descending})
	}
	return out
}

// sortedPaths returns m's keys in order, so requests built from maps are deterministic.
func sortedPaths(m map[string]any) []string {
	paths := make([]string, 0, len(m))
	for p := range m {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	return paths
}

func changesToProto(ch Changes) (set []*dataaccessv1.FieldValue, inc []*dataaccessv1.Increment,
	cond *dataaccessv1.Filter, err error) {
	for _, p := range sortedPaths(ch.Set) {
		value, err := marshal(ch.Set[p])
		if err != nil {
			return nil, nil, nil, err
		}
		set = append(set, &dataaccessv1.FieldValue{Path: p, Json: value})
	}
	for _, p := range sortedPaths(ch.Increment) {
		value, err := marshal(ch.Increment[p])
		if err != nil {
			return nil, nil, nil, err
		}
		inc = append(inc, &dataaccessv1.Increment{Path: p, Json: value})
	}
	cond, err = filterToProto(ch.Condition)
	return set, inc, cond, err
}
