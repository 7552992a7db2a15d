package dev.dataaccess.client;

import java.util.Objects;

/**
 * Sorts query results by a field; the key is always the final tie-breaker.
 *
 * @param path dotted field path
 * @param descending sort descending instead of ascending
 */
public record Order(String path, boolean descending) {
  /**
   * Validates the components.
   *
   * @param path dotted field path
   * @param descending sort descending instead of ascending
   */
  public Order {
    Objects.requireNonNull(path, "path");
  }

  /**
   * @param path field path
   * @return ascending order on {@code path}
   */
  public static Order asc(String path) {
    return new Order(path, false);
  }

  /**
   * @param path field path
   * @return descending order on {@code path}
   */
  public static Order desc(String path) {
    return new Order(path, true);
  }
}
