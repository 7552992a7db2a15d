package dev.dataaccess.client;

/**
 * One stored document: its key, its version and its content.
 *
 * @param <T> the content type: {@code Map<String, Object>} for untyped access, or a user class
 * @param key the document's key
 * @param version 1 on first write, +1 on every write, never reused for a key; pass it back as
 *     {@link WriteOptions#expectedVersion(long)} for optimistic concurrency
 * @param value the content, decoded losslessly (integers as {@code Long} or {@code BigInteger},
 *     fractions as {@code BigDecimal}, decimals and timestamps as strings)
 * @param rulesVersion the routing-rules version that served the call ({@code x-dataaccess-rules}),
 *     or {@code null} if the proxy sent none
 */
public record Document<T>(String key, long version, T value, String rulesVersion) {}
