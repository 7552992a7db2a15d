package dev.dataaccess.client;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * A structured query: every {@link Condition} must hold; results are sorted by {@link Order}s (then by
 * key) and paged.
 *
 * <pre>{@code
 * Query q = Query.builder().where(Condition.eq("category", "phone")).orderBy(Order.desc("price")).limit(50).build();
 * Page<Map<String, Object>> page = client.query("product", q);
 * while (page.hasNextPage()) page = client.query("product", q.withPageToken(page.nextPageToken()));
 * }</pre>
 *
 * @param filter conditions, all of which must hold; empty matches every document
 * @param order sort order; empty sorts by key
 * @param limit page size; 0 means the server default
 * @param pageToken token from the previous page of the same query; empty for the first page
 */
public record Query(List<Condition> filter, List<Order> order, int limit, String pageToken) {
  /**
   * Validates and copies the components.
   *
   * @param filter conditions, all of which must hold; empty matches every document
   * @param order sort order; empty sorts by key
   * @param limit page size; 0 means the server default
   * @param pageToken token from the previous page of the same query; empty for the first page
   */
  public Query {
    filter = List.copyOf(filter);
    order = List.copyOf(order);
    pageToken = pageToken == null ? "" : pageToken;
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0, got " + limit);
    }
  }

  /** @return a builder for a query that matches everything, sorted by key */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * @param token the previous page's {@link Page#nextPageToken()}
   * @return this query, asking for the page after the one that returned {@code token}
   */
  public Query withPageToken(String token) {
    return new Query(filter, order, limit, token);
  }

  /** Builds a {@link Query}. */
  public static final class Builder {
    private final List<Condition> filter = new ArrayList<>();
    private final List<Order> order = new ArrayList<>();
    private int limit;
    private String pageToken = "";

    private Builder() {}

    /**
     * @param conditions conditions to add to the filter (all must hold)
     * @return this builder
     */
    public Builder where(Condition... conditions) {
      return where(Arrays.asList(conditions));
    }

    /**
     * @param conditions conditions to add to the filter (all must hold)
     * @return this builder
     */
    public Builder where(Collection<Condition> conditions) {
      conditions.forEach(c -> filter.add(Objects.requireNonNull(c)));
      return this;
    }

    /**
     * @param orders sort keys to add, most significant first
     * @return this builder
     */
    public Builder orderBy(Order... orders) {
      for (Order o : orders) {
        order.add(Objects.requireNonNull(o));
      }
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
     * @param pageToken token from a previous page of the same query
     * @return this builder
     */
    public Builder pageToken(String pageToken) {
      this.pageToken = pageToken;
      return this;
    }

    /** @return the query */
    public Query build() {
      return new Query(filter, order, limit, pageToken);
    }
  }
}
