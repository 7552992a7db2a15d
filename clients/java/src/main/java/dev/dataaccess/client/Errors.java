package dev.dataaccess.client;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.Map;

/** The one place gRPC failures become {@link DataAccessException}s (errors translated at the boundary). */
final class Errors {
  /** Trailing-metadata key carrying the routing-rules version that served a call. */
  static final Metadata.Key<String> RULES_KEY =
      Metadata.Key.of("x-dataaccess-rules", Metadata.ASCII_STRING_MARSHALLER);

  private Errors() {}

  /**
   * Translates a failed call into the typed exception for its status code.
   *
   * @param error what the stub threw (a {@link StatusRuntimeException} or {@link StatusException})
   * @return the typed exception; never null
   */
  static DataAccessException translate(Throwable error) {
    Status status = Status.fromThrowable(error);
    Metadata trailers = Status.trailersFromThrowable(error);
    String rules = trailers == null ? null : trailers.get(RULES_KEY);
    String reason = null;
    String domain = null;
    Map<String, String> metadata = Map.of();
    com.google.rpc.Status details = StatusProto.fromThrowable(error);
    if (details != null) {
      for (Any any : details.getDetailsList()) {
        if (any.is(ErrorInfo.class)) {
          try {
            ErrorInfo info = any.unpack(ErrorInfo.class);
            reason = info.getReason();
            domain = info.getDomain();
            metadata = info.getMetadataMap();
          } catch (InvalidProtocolBufferException ignored) {
            // A malformed detail must not hide the status itself; report the code and message.
          }
          break;
        }
      }
    }
    return of(status.getCode(), status.getDescription(), reason, domain, metadata, rules, error);
  }

  /** Builds the subclass of {@link DataAccessException} that belongs to {@code code}. */
  static DataAccessException of(Status.Code code, String description, String reason, String domain,
      Map<String, String> metadata, String rules, Throwable cause) {
    switch (code) {
      case NOT_FOUND:
        return new NotFoundException(description, reason, domain, metadata, rules, cause);
      case ALREADY_EXISTS:
        return new AlreadyExistsException(description, reason, domain, metadata, rules, cause);
      case ABORTED:
        return new ConflictException(description, reason, domain, metadata, rules, cause);
      case FAILED_PRECONDITION:
        return new PreconditionFailedException(description, reason, domain, metadata, rules, cause);
      case INVALID_ARGUMENT:
        return new InvalidArgumentException(description, reason, domain, metadata, rules, cause);
      case PERMISSION_DENIED:
        return new PermissionDeniedException(description, reason, domain, metadata, rules, cause);
      case UNAUTHENTICATED:
        return new UnauthenticatedException(description, reason, domain, metadata, rules, cause);
      case UNAVAILABLE:
        return new UnavailableException(description, reason, domain, metadata, rules, cause);
      case DEADLINE_EXCEEDED:
        return new DeadlineExceededException(description, reason, domain, metadata, rules, cause);
      case RESOURCE_EXHAUSTED:
        return new ResourceExhaustedException(description, reason, domain, metadata, rules, cause);
      case UNIMPLEMENTED:
        return new UnimplementedException(description, reason, domain, metadata, rules, cause);
      case INTERNAL:
        return new InternalException(description, reason, domain, metadata, rules, cause);
      case CANCELLED:
        return new CancelledException(description, reason, domain, metadata, rules, cause);
      default:
        return new DataAccessException(code, description, reason, domain, metadata, rules, cause);
    }
  }
}
