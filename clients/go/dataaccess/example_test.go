package dataaccess_test

import (
	"context"
	"errors"
	"log"

	"github.com/dataaccess/proxy/clients/go/dataaccess"
)

// Product is an application type that documents decode into.
type Product struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Price string `json:"price"` // decimal fields travel as strings
	Stock int64  `json:"stock"`
}

func Example() {
	ctx := context.Background()
	c, err := dataaccess.Dial("127.0.0.1:50051", dataaccess.WithToken("TOKEN"))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	doc, err := c.Put(ctx, "product", "p1", Product{Name: "Phone", Price: "19.99", Stock: 3},
		dataaccess.MustNotExist())
	if errors.Is(err, dataaccess.ErrAlreadyExists) {
		doc, err = c.Get(ctx, "product", "p1")
	}
	if err != nil {
		log.Fatal(err)
	}
	// Take one item from stock, only if there is one and nobody wrote in between.
	doc, err = c.Update(ctx, "product", "p1", dataaccess.Changes{
		Increment: map[string]any{"stock": -1},
		Condition: []dataaccess.Condition{{Path: "stock", Op: dataaccess.Gte, Value: 1}},
	}, dataaccess.ExpectedVersion(doc.Version))
	switch {
	case errors.Is(err, dataaccess.ErrPreconditionFailed):
		log.Print("sold out")
	case errors.Is(err, dataaccess.ErrConflict):
		log.Print("changed meanwhile; re-read and try again")
	case err != nil:
		log.Fatal(err)
	}
	p, err := dataaccess.Decode[Product](doc)
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("%s: %d left at %s", p.Name, p.Stock, p.Price)
}

func ExampleClient_Query() {
	ctx := context.Background()
	c, err := dataaccess.Dial("127.0.0.1:50051")
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	q := dataaccess.Query{
		Filter: []dataaccess.Condition{{Path: "stock", Op: dataaccess.Gt, Value: 0}},
		Order:  []dataaccess.Order{{Path: "price", Descending: true}},
		Limit:  100,
	}
	for {
		page, err := c.Query(ctx, "product", q)
		if err != nil {
			log.Fatal(err)
		}
		for _, d := range page.Documents {
			log.Print(d.Key, d.Data["name"])
		}
		if page.NextPageToken == "" {
			break
		}
		q.PageToken = page.NextPageToken
	}
}
