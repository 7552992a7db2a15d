package dev.dataaccess.client;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A partial change to one document, applied atomically: set fields, remove fields, add to numeric
 * fields — only if every condition holds ({@link PreconditionFailedException} otherwise, and nothing
 * is written) and the preconditions are met.
 *
 * <pre>{@code
 * Update u = Update.builder().increment("stock", -1).where(Condition.gte("stock", 1)).build();
 * }</pre>
 *
 * @param set dotted path to new value (any JSON-encodable value)
 * @param unset dotted paths to remove
 * @param increment dotted path to amount to add (a number, or a decimal string such as {@code "0.10"})
 * @param condition conditions on the current document, all of which must hold
 * @param options version / existence preconditions
 */
public record Update(Map<String, Object> set, List<String> unset, Map<String, Object> increment,
    List<Condition> condition, WriteOptions options) {
  /**
   * Validates and copies the components (maps keep their order; values may be null).
   *
   * @param set dotted path to new value (any JSON-encodable value)
   * @param unset dotted paths to remove
   * @param increment dotted path to amount to add (a number, or a decimal string such as
   *     {@code "0.10"})
   * @param condition conditions on the current document, all of which must hold
   * @param options version / existence preconditions
   */
  public Update {
    set = Collections.unmodifiableMap(new LinkedHashMap<>(set));
    unset = List.copyOf(unset);
    increment = Collections.unmodifiableMap(new LinkedHashMap<>(increment));
    condition = List.copyOf(condition);
    options = options == null ? WriteOptions.none() : options;
  }

  /** @return a builder for an update that changes nothing */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds an {@link Update}. */
  public static final class Builder {
    private final Map<String, Object> set = new LinkedHashMap<>();
    private final List<String> unset = new ArrayList<>();
    private final Map<String, Object> increment = new LinkedHashMap<>();
    private final List<Condition> condition = new ArrayList<>();
    private WriteOptions options = WriteOptions.none();

    private Builder() {}

    /**
     * @param path dotted field path
     * @param value new value (any JSON-encodable value, including maps and lists)
     * @return this builder
     */
    public Builder set(String path, Object value) {
      set.put(Objects.requireNonNull(path), value);
      return this;
    }

    /**
     * @param paths dotted field paths to remove
     * @return this builder
     */
    public Builder unset(String... paths) {
      for (String p : paths) {
        unset.add(Objects.requireNonNull(p));
      }
      return this;
    }

    /**
     * @param path dotted path of a numeric field
     * @param amount amount to add (negative to subtract)
     * @return this builder
     */
    public Builder increment(String path, Number amount) {
      increment.put(Objects.requireNonNull(path), Objects.requireNonNull(amount));
      return this;
    }

    /**
     * @param path dotted path of a decimal field
     * @param amount decimal amount as a string, e.g. {@code "-0.10"}
     * @return this builder
     */
    public Builder increment(String path, String amount) {
      increment.put(Objects.requireNonNull(path), Objects.requireNonNull(amount));
      return this;
    }

    /**
     * @param conditions conditions on the current document (all must hold)
     * @return this builder
     */
    public Builder where(Condition... conditions) {
      return where(Arrays.asList(conditions));
    }

    /**
     * @param conditions conditions on the current document (all must hold)
     * @return this builder
     */
    public Builder where(Collection<Condition> conditions) {
      conditions.forEach(c -> condition.add(Objects.requireNonNull(c)));
      return this;
    }

    /**
     * @param version the version the document must have
     * @return this builder
     */
    public Builder expectedVersion(long version) {
      options = options.withExpectedVersion(version);
      return this;
    }

    /**
     * @param options version / existence preconditions (replaces earlier ones)
     * @return this builder
     */
    public Builder options(WriteOptions options) {
      this.options = Objects.requireNonNull(options);
      return this;
    }

    /** @return the update */
    public Update build() {
      return new Update(set, unset, increment, condition, options);
    }
  }
}
