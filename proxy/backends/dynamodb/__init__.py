"""DynamoDB backend (aioboto3); see `proxy.backends.dynamodb.backend` for the layout and its reasons."""
