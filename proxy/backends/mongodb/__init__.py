"""MongoDB backend (PyMongo's native async API). `backend` holds the store, `filters` the request →
query/update translation, `codec` the value mapping, `errors` the driver-exception boundary."""
