package dev.dataaccess.client;

import io.grpc.Status;
import java.util.Map;

/**
 * A call to the DataAccess proxy failed.
 *
 * <p>Each gRPC status code the API documents has its own subclass ({@link NotFoundException},
 * {@link ConflictException}, {@link PreconditionFailedException}, ...), so callers can catch exactly
 * the failures they handle. Every instance carries the gRPC {@link #code() code}, the server's
 * {@link #description() message}, and — when the proxy attached a {@code google.rpc.ErrorInfo} — its
 * {@link #reason() reason} (e.g. {@code VERSION_CONFLICT}), {@link #domain() domain} and
 * {@link #metadata() metadata} (e.g. {@code entity}, {@code backend}, {@code field}).
 *
 * <p>Unchecked, like most modern RPC clients: handle what you can, let the rest propagate.
 */
public class DataAccessException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The gRPC status code. */
  private final Status.Code code;
  /** The server's message. */
  private final String description;
  /** The ErrorInfo reason, or null. */
  private final String reason;
  /** The ErrorInfo domain, or null. */
  private final String domain;
  /** The ErrorInfo metadata. */
  private final Map<String, String> metadata;
  /** The routing-rules version, or null. */
  private final String rulesVersion;

  /**
   * Creates an exception; normally only the client does this.
   *
   * @param code the gRPC status code
   * @param description the server's message, or {@code null}
   * @param reason the ErrorInfo reason, or {@code null} if none was attached
   * @param domain the ErrorInfo domain, or {@code null}
   * @param metadata the ErrorInfo metadata (empty if none)
   * @param rulesVersion the routing-rules version from trailing metadata, or {@code null}
   * @param cause the underlying exception, or {@code null}
   */
  public DataAccessException(Status.Code code, String description, String reason, String domain,
      Map<String, String> metadata, String rulesVersion, Throwable cause) {
    super(format(code, description, reason), cause);
    this.code = code;
    this.description = description == null ? "" : description;
    this.reason = reason;
    this.domain = domain;
    this.metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    this.rulesVersion = rulesVersion;
  }

  private static String format(Status.Code code, String description, String reason) {
    StringBuilder s = new StringBuilder(code.name());
    if (description != null && !description.isEmpty()) {
      s.append(": ").append(description);
    }
    if (reason != null && !reason.isEmpty()) {
      s.append(" [").append(reason).append(']');
    }
    return s.toString();
  }

  /** @return the gRPC status code, e.g. {@link Status.Code#NOT_FOUND} */
  public Status.Code code() {
    return code;
  }

  /** @return the canonical code name, e.g. {@code "NOT_FOUND"} or {@code "ABORTED"} */
  public String codeName() {
    return code.name();
  }

  /** @return the server's message (the gRPC status description); empty if there was none */
  public String description() {
    return description;
  }

  /** @return the {@code google.rpc.ErrorInfo} reason, e.g. {@code "VERSION_CONFLICT"}, or {@code null} */
  public String reason() {
    return reason;
  }

  /** @return the {@code google.rpc.ErrorInfo} domain (normally {@code "dataaccess.dev"}), or {@code null} */
  public String domain() {
    return domain;
  }

  /** @return the {@code google.rpc.ErrorInfo} metadata (e.g. entity, backend, field); never null */
  public Map<String, String> metadata() {
    return metadata;
  }

  /**
   * @return the routing-rules version that served the failed call (trailing metadata
   *     {@code x-dataaccess-rules}), or {@code null} if the proxy did not send one
   */
  public String rulesVersion() {
    return rulesVersion;
  }
}
