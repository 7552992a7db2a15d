package dev.dataaccess.client;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * A full-text search over the entity's text fields, best matches first (ties by key), optionally
 * narrowed by a structured filter.
 *
 * @param text plain text; no operator syntax is interpreted
 * @param filter conditions the matches must also satisfy
 * @param limit page size; 0 means the server default
 * @param pageToken token from the previous page of the same search; empty for the first page
 */
public record Search(String text, List<Condition> filter, int limit, String pageToken) {
  /**
   * Validates and copies the components.
   *
   * @param text plain text; no operator syntax is interpreted
   * @param filter conditions the matches must also satisfy
   * @param limit page size; 0 means the server default
   * @param pageToken token from the previous page of the same search; empty for the first page
   */
  public Search {
    Objects.requireNonNull(text, "text");
    filter = List.copyOf(filter);
    pageToken = pageToken == null ? "" : pageToken;
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0, got " + limit);
    }
  }

  /**
   * @param text the text to search for
   * @return a builder for a search for {@code text}
   */
  public static Builder builder(String text) {
    return new Builder(text);
  }

  /**
   * @param token the previous page's {@link Page#nextPageToken()}
   * @return this search, asking for the page after the one that returned {@code token}
   */
  public Search withPageToken(String token) {
    return new Search(text, filter, limit, token);
  }

  /** Builds a {@link Search}. */
  public static final class Builder {
    private final String text;
    private final List<Condition> filter = new ArrayList<>();
    private int limit;
    private String pageToken = "";

    private Builder(String text) {
      this.text = text;
    }

    /**
     * @param conditions conditions the matches must also satisfy
     * @return this builder
     */
    public Builder where(Condition... conditions) {
      return where(Arrays.asList(conditions));
    }

    /**
     * @param conditions conditions the matches must also satisfy
     * @return this builder
     */
    public Builder where(Collection<Condition> conditions) {
      conditions.forEach(c -> filter.add(Objects.requireNonNull(c)));
      return this;
    }

    /**
     * @param limit page size; 0 for the server default
     * @return this builder
     */
    public Builder limit(int limit) {
      this.limit = limit;
      return this;
    }

    /**
     * @param pageToken token from a previous page of the same search
     * @return this builder
     */
    public Builder pageToken(String pageToken) {
      this.pageToken = pageToken;
      return this;
    }

    /** @return the search */
    public Search build() {
      return new Search(text, filter, limit, pageToken);
    }
  }
}
