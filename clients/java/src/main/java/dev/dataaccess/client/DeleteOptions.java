package dev.dataaccess.client;

import java.util.Objects;

/** Options of a {@code delete}: an expected version, and whether a missing document is an error. Immutable. */
public final class DeleteOptions {
  private static final DeleteOptions NONE = new DeleteOptions(0, false);

  private final long expectedVersion;
  private final boolean allowMissing;

  private DeleteOptions(long expectedVersion, boolean allowMissing) {
    if (expectedVersion < 0) {
      throw new IllegalArgumentException("expectedVersion must be >= 0, got " + expectedVersion);
    }
    this.expectedVersion = expectedVersion;
    this.allowMissing = allowMissing;
  }

  /** @return an unconditional delete that fails with {@link NotFoundException} if there is nothing to delete */
  public static DeleteOptions none() {
    return NONE;
  }

  /**
   * @param version the version the document must have ({@link ConflictException} otherwise)
   * @return a version-checked delete
   */
  public static DeleteOptions expectedVersion(long version) {
    return new DeleteOptions(version, false);
  }

  /** @return a delete that succeeds (version 0) when the document does not exist */
  public static DeleteOptions allowMissing() {
    return new DeleteOptions(0, true);
  }

  /** @return these options, also succeeding when the document does not exist */
  public DeleteOptions withAllowMissing() {
    return new DeleteOptions(expectedVersion, true);
  }

  /** @return the version the document must have; 0 means no check */
  public long getExpectedVersion() {
    return expectedVersion;
  }

  /** @return whether a missing document is not an error */
  public boolean isAllowMissing() {
    return allowMissing;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeleteOptions d && d.expectedVersion == expectedVersion && d.allowMissing == allowMissing;
  }

  @Override
  public int hashCode() {
    return Objects.hash(expectedVersion, allowMissing);
  }

  @Override
  public String toString() {
    return "DeleteOptions{expectedVersion=" + expectedVersion + ", allowMissing=" + allowMissing + "}";
  }
}
