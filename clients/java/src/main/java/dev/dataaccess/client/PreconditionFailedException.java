package dev.dataaccess.client;

import io.grpc.Status;
import java.util.Map;

/**
 * An update's condition did not hold (reason {@code CONDITION_FAILED}), or the system is not in a
 * state for the call: gRPC {@code FAILED_PRECONDITION}. Nothing was written.
 */
public class PreconditionFailedException extends DataAccessException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception; normally only the client does this.
   *
   * @param description the server's message
   * @param reason the ErrorInfo reason, or {@code null}
   * @param domain the ErrorInfo domain, or {@code null}
   * @param metadata the ErrorInfo metadata
   * @param rulesVersion the routing-rules version, or {@code null}
   * @param cause the underlying exception, or {@code null}
   */
  public PreconditionFailedException(String description, String reason, String domain, Map<String, String> metadata,
      String rulesVersion, Throwable cause) {
    super(Status.Code.FAILED_PRECONDITION, description, reason, domain, metadata, rulesVersion, cause);
  }
}
