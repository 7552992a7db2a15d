package dev.dataaccess.client;

import java.util.Objects;

/**
 * Preconditions on a {@code put} or {@code update}: the write happens only if they hold. Immutable.
 *
 * <p>{@code WriteOptions.expectedVersion(3)} fails with {@link ConflictException} unless the document
 * is at version 3; {@code WriteOptions.mustNotExist()} fails with {@link AlreadyExistsException} if it
 * exists; {@code WriteOptions.mustExist()} fails with {@link NotFoundException} if it does not.
 */
public final class WriteOptions {
  private static final WriteOptions NONE = new WriteOptions(0, false, false);

  private final long expectedVersion;
  private final boolean mustNotExist;
  private final boolean mustExist;

  private WriteOptions(long expectedVersion, boolean mustNotExist, boolean mustExist) {
    if (expectedVersion < 0) {
      throw new IllegalArgumentException("expectedVersion must be >= 0, got " + expectedVersion);
    }
    this.expectedVersion = expectedVersion;
    this.mustNotExist = mustNotExist;
    this.mustExist = mustExist;
  }

  /** @return no precondition: create or replace unconditionally */
  public static WriteOptions none() {
    return NONE;
  }

  /**
   * @param version the version the document must have (from {@link Document#version()})
   * @return a version precondition (optimistic concurrency)
   */
  public static WriteOptions expectedVersion(long version) {
    return new WriteOptions(version, false, false);
  }

  /** @return a precondition that the document does not exist yet (create only) */
  public static WriteOptions mustNotExist() {
    return new WriteOptions(0, true, false);
  }

  /** @return a precondition that the document exists (replace only) */
  public static WriteOptions mustExist() {
    return new WriteOptions(0, false, true);
  }

  /**
   * @param version the version the document must have
   * @return these options plus that version check
   */
  public WriteOptions withExpectedVersion(long version) {
    return new WriteOptions(version, mustNotExist, mustExist);
  }

  /** @return the version the document must have; 0 means no check */
  public long getExpectedVersion() {
    return expectedVersion;
  }

  /** @return whether the write requires that the document does not exist */
  public boolean isMustNotExist() {
    return mustNotExist;
  }

  /** @return whether the write requires that the document exists */
  public boolean isMustExist() {
    return mustExist;
  }

  boolean isEmpty() {
    return expectedVersion == 0 && !mustNotExist && !mustExist;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WriteOptions w && w.expectedVersion == expectedVersion
        && w.mustNotExist == mustNotExist && w.mustExist == mustExist;
  }

  @Override
  public int hashCode() {
    return Objects.hash(expectedVersion, mustNotExist, mustExist);
  }

  @Override
  public String toString() {
    return "WriteOptions{expectedVersion=" + expectedVersion + ", mustNotExist=" + mustNotExist
        + ", mustExist=" + mustExist + "}";
  }
}
