package dataaccess

import (
	"encoding/json"
	"errors"
	"testing"

	dataaccessv1 "github.com/dataaccess/proxy/clients/go/gen/dataaccess/v1"
)

func TestDocumentDecodesLosslessly(t *testing.T) {
	raw := `{"id":"k1","big":9007199254740993,"price":"12345678901234567890.01","nested":{"a":[1,{"c":"d"}]}}`
	doc, err := fromProto(&dataaccessv1.Document{Key: "k1", Version: 4, Json: []byte(raw)})
	if err != nil {
		t.Fatal(err)
	}
	if doc.Key != "k1" || doc.Version != 4 || string(doc.JSON) != raw {
		t.Errorf("bad document %+v", doc)
	}
	if doc.Data["big"] != json.Number("9007199254740993") {
		t.Errorf("big = %#v", doc.Data["big"])
	}
	if doc.Data["price"] != "12345678901234567890.01" {
		t.Errorf("price = %#v", doc.Data["price"])
	}

	type item struct {
		ID    string `json:"id"`
		Big   int64  `json:"big"`
		Price string `json:"price"`
	}
	it, err := Decode[item](doc)
	if err != nil {
		t.Fatal(err)
	}
	if it.Big != 9007199254740993 || it.ID != "k1" || it.Price != "12345678901234567890.01" {
		t.Errorf("Decode = %+v", it)
	}
	if _, err := Decode[item](nil); err == nil {
		t.Error("Decode(nil) must fail")
	}
}

func TestDocumentRejectsNonObject(t *testing.T) {
	for _, raw := range []string{`[1]`, `"x"`, `{"a":1} {}`, `{`} {
		if _, err := fromProto(&dataaccessv1.Document{Key: "k", Json: []byte(raw)}); err == nil {
			t.Errorf("%s: want error", raw)
		}
	}
}

func TestMarshal(t *testing.T) {
	got, err := marshal(map[string]any{"b": json.Number("9007199254740993"), "a": "<ü>"})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"a":"<ü>","b":9007199254740993}`; string(got) != want {
		t.Errorf("got %s want %s", got, want)
	}
	if got, _ := marshal(json.RawMessage(`{"x": 1}`)); string(got) != `{"x": 1}` {
		t.Errorf("raw JSON must pass through, got %s", got)
	}
	for _, bad := range []any{[]byte(`{`), json.RawMessage(`nope`), make(chan int)} {
		if _, err := marshal(bad); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("marshal(%T) = %v, want ErrInvalidArgument", bad, err)
		}
	}
}

func TestChangesAreDeterministic(t *testing.T) {
	ch := Changes{
		Set:       map[string]any{"z": 1, "a.b": "x", "m": []any{true}},
		Increment: map[string]any{"n": 5, "price": "-1.50"},
		Condition: []Condition{{Path: "n", Op: Gte, Value: 1}, {Path: "tags", Op: In, Value: []string{"a"}}},
	}
	set, inc, cond, err := changesToProto(ch)
	if err != nil {
		t.Fatal(err)
	}
	if set[0].Path != "a.b" || string(set[0].Json) != `"x"` || set[1].Path != "m" || set[2].Path != "z" {
		t.Errorf("set not sorted: %v", set)
	}
	if inc[0].Path != "n" || string(inc[0].Json) != "5" || string(inc[1].Json) != `"-1.50"` {
		t.Errorf("increment: %v", inc)
	}
	if cond.All[0].Op != dataaccessv1.Operator_OPERATOR_GTE || string(cond.All[1].Json) != `["a"]` {
		t.Errorf("condition: %v", cond)
	}
	if _, _, _, err := changesToProto(Changes{Condition: []Condition{{Path: "n", Op: "like"}}}); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("unknown op: %v", err)
	}
	if f, err := filterToProto(nil); f != nil || err != nil {
		t.Errorf("empty filter must be nil, got %v %v", f, err)
	}
}
