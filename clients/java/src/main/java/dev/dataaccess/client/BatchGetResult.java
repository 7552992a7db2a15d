package dev.dataaccess.client;

import java.util.List;

/**
 * What a {@code batchGet} found.
 *
 * @param <T> the content type
 * @param documents the documents that exist, in the order of the requested keys
 * @param missingKeys the requested keys that do not exist
 * @param rulesVersion the routing-rules version that served the call, or {@code null}
 */
public record BatchGetResult<T>(List<Document<T>> documents, List<String> missingKeys, String rulesVersion) {
  /**
   * Copies the lists.
   *
   * @param documents the documents that exist, in the order of the requested keys
   * @param missingKeys the requested keys that do not exist
   * @param rulesVersion the routing-rules version that served the call, or {@code null}
   */
  public BatchGetResult {
    documents = List.copyOf(documents);
    missingKeys = List.copyOf(missingKeys);
  }
}
