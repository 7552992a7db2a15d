package main

import (
	"encoding/json"
	"testing"

	"github.com/dataaccess/proxy/clients/go/internal/canonical"
)

func TestReplaceReachesEveryString(t *testing.T) {
	in := map[string]any{"key": "${RUN}-k1", "n": json.Number("1"),
		"doc": map[string]any{"${RUN}": []any{"a ${RUN} b", true}}, "keys": []string{"${RUN}-k2"}}
	got, err := canonical.Marshal(replace(in, "${RUN}", "r1"))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"doc":{"r1":["a r1 b",true]},"key":"r1-k1","keys":["r1-k2"],"n":1}`
	if string(got) != want {
		t.Errorf("got %s want %s", got, want)
	}
}
