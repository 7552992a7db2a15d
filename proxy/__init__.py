"""DataAccess proxy: one gRPC API in front of PostgreSQL, MongoDB, DynamoDB and OpenSearch that walks
each entity from its old store to its new one without application changes."""

__version__ = "0.1.0"
