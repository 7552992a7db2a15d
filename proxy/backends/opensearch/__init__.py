"""OpenSearch backend (opensearch-py's AsyncOpenSearch). `backend` holds the store and the versioning
and refresh choices, `mapping` the index layout, `codec` the exact JSON and the query projection,
`filters` the request → query DSL translation, `errors` the driver-exception boundary."""
