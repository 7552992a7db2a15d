package dev.dataaccess.client;

import java.util.List;

/**
 * One page of {@code query} or {@code search} results.
 *
 * @param <T> the content type
 * @param documents the matching documents, in result order
 * @param nextPageToken pass to {@link Query#withPageToken(String)} / {@link Search#withPageToken(String)}
 *     for the next page; empty when there are no more results
 * @param rulesVersion the routing-rules version that served the call, or {@code null}
 */
public record Page<T>(List<Document<T>> documents, String nextPageToken, String rulesVersion) {
  /**
   * Copies the list.
   *
   * @param documents the matching documents, in result order
   * @param nextPageToken pass to {@link Query#withPageToken(String)} / {@link
   *     Search#withPageToken(String)} for the next page; empty when there are no more results
   * @param rulesVersion the routing-rules version that served the call, or {@code null}
   */
  public Page {
    documents = List.copyOf(documents);
    nextPageToken = nextPageToken == null ? "" : nextPageToken;
  }

  /** @return whether another page follows this one */
  public boolean hasNextPage() {
    return !nextPageToken.isEmpty();
  }
}
