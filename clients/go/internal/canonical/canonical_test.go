package canonical

import (
	"encoding/json"
	"testing"
)

func TestMarshalParsed(t *testing.T) {
	cases := []struct{ in, want string }{
		{`{"b":1,"a":[true,false,null],"ä":{},"Z":[]}`, `{"Z":[],"a":[true,false,null],"b":1,"ä":{}}`},
		{`9007199254740993`, `9007199254740993`},
		{`-12345678901234567890123`, `-12345678901234567890123`},
		{`"Grüße 🌍 — \u00fc"`, `"Grüße 🌍 — ü"`},
		{`"q\"b\\s\/n\nt\tr\rx\u0001\u001f\u007f"`, `"q\"b\\s/n\nt\tr\u000dx\u0001\u001f` + "\x7f" + `"`},
		{`"\u2028<>&"`, "\"\u2028<>&\""},
		// Code point order: U+FFFF sorts before U+1F30D, as UTF-8 bytes do (UTF-16 order would not).
		{`{"🌍":1,"\uffff":2,"a":3}`, `{"a":3,"` + "\uffff" + `":2,"🌍":1}`},
		{` { "x" : { "b" : "1" , "a" : 2 } } `, `{"x":{"a":2,"b":"1"}}`},
	}
	for _, c := range cases {
		v, err := Parse([]byte(c.in))
		if err != nil {
			t.Fatalf("Parse(%s): %v", c.in, err)
		}
		got, err := Marshal(v)
		if err != nil {
			t.Fatalf("Marshal(%s): %v", c.in, err)
		}
		if string(got) != c.want {
			t.Errorf("canonical(%s)\n got %s\nwant %s", c.in, got, c.want)
		}
	}
}

func TestMarshalGoValues(t *testing.T) {
	v := map[string]any{"pages": 3, "keys": []string{"k2", "k1"}, "n": int64(-7), "f": float64(2),
		"num": json.Number("10")}
	got, err := Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"f":2,"keys":["k2","k1"],"n":-7,"num":10,"pages":3}`; string(got) != want {
		t.Errorf("got %s want %s", got, want)
	}
	for _, bad := range []any{1.5, struct{}{}, json.Number("x")} {
		if _, err := Marshal(bad); err == nil {
			t.Errorf("Marshal(%#v) should fail", bad)
		}
	}
}

func TestParseRejectsTrailingData(t *testing.T) {
	if _, err := Parse([]byte(`{} {}`)); err == nil {
		t.Error("want error for two values")
	}
}
