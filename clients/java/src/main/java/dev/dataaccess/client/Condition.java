package dev.dataaccess.client;

import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * One comparison on a dotted field path, e.g. {@code Condition.gte("stock.count", 1)}. A filter is a
 * list of conditions that must all hold.
 *
 * @param path dotted field path, e.g. {@code "specifications.camera.main"}
 * @param op the comparison
 * @param value the operand: any JSON-encodable value (a collection for {@link Operator#IN}, a boolean
 *     for {@link Operator#EXISTS}); decimals as strings ({@code "19.99"})
 */
public record Condition(String path, Operator op, Object value) {
  /**
   * Validates the components.
   *
   * @param path dotted field path, e.g. {@code "specifications.camera.main"}
   * @param op the comparison
   * @param value the operand: any JSON-encodable value (a collection for {@link Operator#IN}, a
   *     boolean for {@link Operator#EXISTS}); decimals as strings ({@code "19.99"})
   */
  public Condition {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(op, "op");
  }

  /**
   * @param path field path
   * @param value operand
   * @return {@code path == value}
   */
  public static Condition eq(String path, Object value) {
    return new Condition(path, Operator.EQ, value);
  }

  /**
   * @param path field path
   * @param value operand
   * @return {@code path != value} (or absent)
   */
  public static Condition ne(String path, Object value) {
    return new Condition(path, Operator.NE, value);
  }

  /**
   * @param path field path
   * @param value operand
   * @return {@code path < value}
   */
  public static Condition lt(String path, Object value) {
    return new Condition(path, Operator.LT, value);
  }

  /**
   * @param path field path
   * @param value operand
   * @return {@code path <= value}
   */
  public static Condition lte(String path, Object value) {
    return new Condition(path, Operator.LTE, value);
  }

  /**
   * @param path field path
   * @param value operand
   * @return {@code path > value}
   */
  public static Condition gt(String path, Object value) {
    return new Condition(path, Operator.GT, value);
  }

  /**
   * @param path field path
   * @param value operand
   * @return {@code path >= value}
   */
  public static Condition gte(String path, Object value) {
    return new Condition(path, Operator.GTE, value);
  }

  /**
   * @param path field path
   * @param values allowed values
   * @return {@code path} equals one of {@code values}
   */
  public static Condition in(String path, Collection<?> values) {
    return new Condition(path, Operator.IN, List.copyOf(values));
  }

  /**
   * @param path field path
   * @param present whether the field must exist
   * @return the presence check
   */
  public static Condition exists(String path, boolean present) {
    return new Condition(path, Operator.EXISTS, present);
  }

  /**
   * @param path field path
   * @param prefix string prefix
   * @return {@code path} starts with {@code prefix}
   */
  public static Condition prefix(String path, String prefix) {
    return new Condition(path, Operator.PREFIX, prefix);
  }
}
