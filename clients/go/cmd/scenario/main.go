// Command scenario runs the shared client scenario (tests/clients/scenario.json) through the Go
// client and prints one canonical-JSON line per step; see tests/clients/README.md.
//
// Usage: scenario ADDRESS SCENARIO_FILE RUN_ID
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/dataaccess/proxy/clients/go/dataaccess"
	"github.com/dataaccess/proxy/clients/go/internal/canonical"
)

const runPlaceholder = "${RUN}"

type step struct {
	Name   string         `json:"name"`
	Call   string         `json:"call"`
	Args   map[string]any `json:"args"`
	Expect any            `json:"expect"`
}

type scenario struct {
	Entity string `json:"entity"`
	Steps  []step `json:"steps"`
}

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: scenario ADDRESS SCENARIO_FILE RUN_ID")
		os.Exit(2)
	}
	ok, err := runAll(os.Args[1], os.Args[2], os.Args[3])
	if err != nil {
		fmt.Fprintln(os.Stderr, "scenario:", err)
		os.Exit(2)
	}
	if !ok {
		os.Exit(1)
	}
}

func runAll(addr, file, runID string) (bool, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return false, err
	}
	var sc scenario
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber() // lossless: args and expectations keep their numbers' exact digits
	if err := dec.Decode(&sc); err != nil {
		return false, fmt.Errorf("%s: %w", file, err)
	}

	client, err := dataaccess.Dial(addr)
	if err != nil {
		return false, err
	}
	defer client.Close()

	allOK := true
	for _, st := range sc.Steps {
		args, _ := replace(any(st.Args), runPlaceholder, runID).(map[string]any)
		entity := sc.Entity
		if e, ok := args["entity"].(string); ok {
			entity = e
		}
		result, callErr := perform(context.Background(), client, entity, st.Call, args)
		if callErr != nil {
			var de *dataaccess.Error
			if errors.As(callErr, &de) {
				result = map[string]any{"error": de.CodeName()}
			} else {
				result = map[string]any{"error": "CLIENT_ERROR"}
			}
		}
		if runID != "" {
			result = replace(result, runID, runPlaceholder)
		}
		got, err := canonical.Marshal(result)
		if err != nil {
			return false, fmt.Errorf("step %q: %w", st.Name, err)
		}
		want, err := canonical.Marshal(st.Expect)
		if err != nil {
			return false, fmt.Errorf("step %q: expect: %w", st.Name, err)
		}
		ok := string(got) == string(want)
		if !ok {
			allOK = false
			fmt.Fprintf(os.Stderr, "step %q differs:\n  expected %s\n  actual   %s\n", st.Name, want, got)
			if callErr != nil {
				fmt.Fprintf(os.Stderr, "  error    %v\n", callErr)
			}
		}
		line, err := canonical.Marshal(map[string]any{"step": st.Name, "ok": ok, "result": result})
		if err != nil {
			return false, err
		}
		fmt.Printf("%s\n", line)
	}
	return allOK, nil
}

// replace substitutes old by repl in every string of v, object keys included.
func replace(v any, old, repl string) any {
	switch x := v.(type) {
	case string:
		return strings.ReplaceAll(x, old, repl)
	case []any:
		out := make([]any, len(x))
		for i, item := range x {
			out[i] = replace(item, old, repl)
		}
		return out
	case []string:
		out := make([]string, len(x))
		for i, s := range x {
			out[i] = strings.ReplaceAll(s, old, repl)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, item := range x {
			out[strings.ReplaceAll(k, old, repl)] = replace(item, old, repl)
		}
		return out
	}
	return v
}
