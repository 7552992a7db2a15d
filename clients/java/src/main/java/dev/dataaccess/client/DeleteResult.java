package dev.dataaccess.client;

/**
 * The outcome of a {@code delete}.
 *
 * @param version the version recorded for the deletion (the tombstone's); a later re-create gets a
 *     higher one; 0 if nothing existed and {@link DeleteOptions#allowMissing()} was given
 * @param rulesVersion the routing-rules version that served the call, or {@code null}
 */
public record DeleteResult(long version, String rulesVersion) {}
