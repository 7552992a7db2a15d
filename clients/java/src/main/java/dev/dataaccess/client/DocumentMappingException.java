package dev.dataaccess.client;

import io.grpc.Status;
import java.util.Map;

/**
 * A document could not be converted between JSON and the requested Java type: the value given to a
 * write is not a JSON object, or a stored document does not fit the class it is read into. Raised by
 * the client itself (nothing was sent, or the call succeeded but its result could not be decoded);
 * {@link #code()} is {@code INVALID_ARGUMENT} for the former and {@code INTERNAL} for the latter.
 */
public class DocumentMappingException extends DataAccessException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param code {@code INVALID_ARGUMENT} (encoding a request) or {@code INTERNAL} (decoding a result)
   * @param description what could not be converted
   * @param cause the JSON library's exception, or {@code null}
   */
  public DocumentMappingException(Status.Code code, String description, Throwable cause) {
    super(code, description, "DOCUMENT_MAPPING", null, Map.of(), null, cause);
  }
}
