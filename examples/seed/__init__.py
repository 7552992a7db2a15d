"""The seed's seven services moving off PostgreSQL: schema, rules, data, traffic and `make demo`."""
