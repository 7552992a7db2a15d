"""Examples built on the DataAccess proxy."""
