package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/dataaccess/proxy/clients/go/dataaccess"
)

// perform makes one scenario call through the client and shapes its result as README.md says.
func perform(ctx context.Context, c *dataaccess.Client, entity, call string, args map[string]any) (any, error) {
	key, _ := args["key"].(string)
	switch call {
	case "get":
		doc, err := c.Get(ctx, entity, key)
		if err != nil {
			return nil, err
		}
		return docResult(doc), nil
	case "put":
		opts, err := preconditions(args)
		if err != nil {
			return nil, err
		}
		doc, err := c.Put(ctx, entity, key, args["doc"], opts...)
		if err != nil {
			return nil, err
		}
		return docResult(doc), nil
	case "update":
		return update(ctx, c, entity, key, args)
	case "delete":
		opts, err := preconditions(args)
		if err != nil {
			return nil, err
		}
		version, err := c.Delete(ctx, entity, key, opts...)
		if err != nil {
			return nil, err
		}
		return map[string]any{"version": version}, nil
	case "batchGet":
		keys, err := stringList(args["keys"])
		if err != nil {
			return nil, err
		}
		batch, err := c.BatchGet(ctx, entity, keys)
		if err != nil {
			return nil, err
		}
		found := []string{}
		for _, d := range batch.Documents {
			found = append(found, d.Key)
		}
		return map[string]any{"keys": found, "missing": append([]string{}, batch.Missing...)}, nil
	case "query", "search":
		q, err := query(args)
		if err != nil {
			return nil, err
		}
		text, _ := args["text"].(string)
		return pages(func(token string) (*dataaccess.Page, error) {
			q.PageToken = token
			if call == "search" {
				return c.Search(ctx, entity, text, q)
			}
			return c.Query(ctx, entity, q)
		})
	}
	return nil, fmt.Errorf("unknown call %q", call)
}

func docResult(doc *dataaccess.Document) map[string]any {
	return map[string]any{"version": doc.Version, "doc": doc.Data}
}

// pages follows next-page tokens until the last page and returns every key and the call count.
func pages(fetch func(token string) (*dataaccess.Page, error)) (any, error) {
	keys, calls, token := []string{}, 0, ""
	for {
		page, err := fetch(token)
		if err != nil {
			return nil, err
		}
		calls++
		for _, d := range page.Documents {
			keys = append(keys, d.Key)
		}
		if token = page.NextPageToken; token == "" {
			return map[string]any{"keys": keys, "pages": calls}, nil
		}
		if calls >= 1000 {
			return nil, fmt.Errorf("more than %d pages", calls)
		}
	}
}

func update(ctx context.Context, c *dataaccess.Client, entity, key string, args map[string]any) (any, error) {
	var ch dataaccess.Changes
	var err error
	if set, ok := args["set"].(map[string]any); ok {
		ch.Set = set
	}
	if inc, ok := args["increment"].(map[string]any); ok {
		ch.Increment = inc
	}
	if ch.Unset, err = stringList(args["unset"]); err != nil {
		return nil, err
	}
	if ch.Condition, err = conditions(args["condition"]); err != nil {
		return nil, err
	}
	opts, err := preconditions(args)
	if err != nil {
		return nil, err
	}
	doc, err := c.Update(ctx, entity, key, ch, opts...)
	if err != nil {
		return nil, err
	}
	return docResult(doc), nil
}

func preconditions(args map[string]any) ([]dataaccess.CallOption, error) {
	var opts []dataaccess.CallOption
	if v, ok := args["expectedVersion"]; ok {
		n, ok := v.(json.Number)
		if !ok {
			return nil, fmt.Errorf("expectedVersion: not a number: %v", v)
		}
		version, err := n.Int64()
		if err != nil {
			return nil, fmt.Errorf("expectedVersion: %w", err)
		}
		opts = append(opts, dataaccess.ExpectedVersion(version))
	}
	if b, _ := args["mustNotExist"].(bool); b {
		opts = append(opts, dataaccess.MustNotExist())
	}
	return opts, nil
}

func query(args map[string]any) (dataaccess.Query, error) {
	var q dataaccess.Query
	var err error
	if q.Filter, err = conditions(args["filter"]); err != nil {
		return q, err
	}
	if orders, ok := args["order"].([]any); ok {
		for _, o := range orders {
			m, _ := o.(map[string]any)
			path, _ := m["path"].(string)
			desc, _ := m["descending"].(bool)
			q.Order = append(q.Order, dataaccess.Order{Path: path, Descending: desc})
		}
	}
	if v, ok := args["limit"].(json.Number); ok {
		limit, err := v.Int64()
		if err != nil {
			return q, fmt.Errorf("limit: %w", err)
		}
		q.Limit = int32(limit)
	}
	return q, nil
}

func conditions(v any) ([]dataaccess.Condition, error) {
	if v == nil {
		return nil, nil
	}
	list, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("conditions: not a list: %v", v)
	}
	var out []dataaccess.Condition
	for _, item := range list {
		m, ok := item.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("condition: not an object: %v", item)
		}
		path, _ := m["path"].(string)
		op, _ := m["op"].(string)
		out = append(out, dataaccess.Condition{Path: path, Op: dataaccess.Op(op), Value: m["value"]})
	}
	return out, nil
}

func stringList(v any) ([]string, error) {
	if v == nil {
		return nil, nil
	}
	list, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("not a list of strings: %v", v)
	}
	out := make([]string, 0, len(list))
	for _, item := range list {
		s, ok := item.(string)
		if !ok {
			return nil, fmt.Errorf("not a string: %v", item)
		}
		out = append(out, s)
	}
	return out, nil
}
