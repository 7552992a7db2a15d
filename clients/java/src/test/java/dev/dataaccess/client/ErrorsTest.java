package dev.dataaccess.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ErrorsTest {
  static StatusRuntimeException withInfo(Status.Code code, String message, String reason, Map<String, String> md,
      String rules) {
    com.google.rpc.Status status = com.google.rpc.Status.newBuilder().setCode(code.value()).setMessage(message)
        .addDetails(Any.pack(ErrorInfo.newBuilder().setReason(reason).setDomain("dataaccess.dev")
            .putAllMetadata(md).build()))
        .build();
    Metadata trailers = new Metadata();
    if (rules != null) {
      trailers.put(Errors.RULES_KEY, rules);
    }
    return StatusProto.toStatusRuntimeException(status, trailers);
  }

  @Test
  void mapsVersionConflictWithErrorInfo() {
    DataAccessException e = Errors.translate(withInfo(Status.Code.ABORTED, "version 3 expected, found 4",
        "VERSION_CONFLICT", Map.of("entity", "product", "backend", "pg"), "r-1a2b"));
    assertInstanceOf(ConflictException.class, e);
    assertEquals(Status.Code.ABORTED, e.code());
    assertEquals("ABORTED", e.codeName());
    assertEquals("version 3 expected, found 4", e.description());
    assertEquals("VERSION_CONFLICT", e.reason());
    assertEquals("dataaccess.dev", e.domain());
    assertEquals(Map.of("entity", "product", "backend", "pg"), e.metadata());
    assertEquals("r-1a2b", e.rulesVersion());
    assertEquals("ABORTED: version 3 expected, found 4 [VERSION_CONFLICT]", e.getMessage());
  }

  @Test
  void mapsInvalidArgumentWithField() {
    DataAccessException e = Errors.translate(withInfo(Status.Code.INVALID_ARGUMENT, "price must be a decimal string",
        "INVALID_FIELD", Map.of("field", "price"), null));
    assertInstanceOf(InvalidArgumentException.class, e);
    assertEquals("price", e.metadata().get("field"));
    assertNull(e.rulesVersion());
  }

  @Test
  void worksWithoutDetails() {
    StatusRuntimeException cause = Status.NOT_FOUND.withDescription("no such key").asRuntimeException();
    DataAccessException e = Errors.translate(cause);
    assertInstanceOf(NotFoundException.class, e);
    assertEquals("no such key", e.description());
    assertNull(e.reason());
    assertTrue(e.metadata().isEmpty());
    assertSame(cause, e.getCause());
  }

  @ParameterizedTest
  @EnumSource(Status.Code.class)
  void everyCodeKeepsItsCode(Status.Code code) {
    if (code == Status.Code.OK) {
      return;
    }
    DataAccessException e = Errors.translate(Status.fromCode(code).asRuntimeException());
    assertEquals(code, e.code());
    assertEquals(code.name(), e.codeName());
    Class<?> expected = switch (code) {
      case NOT_FOUND -> NotFoundException.class;
      case ALREADY_EXISTS -> AlreadyExistsException.class;
      case ABORTED -> ConflictException.class;
      case FAILED_PRECONDITION -> PreconditionFailedException.class;
      case INVALID_ARGUMENT -> InvalidArgumentException.class;
      case PERMISSION_DENIED -> PermissionDeniedException.class;
      case UNAUTHENTICATED -> UnauthenticatedException.class;
      case UNAVAILABLE -> UnavailableException.class;
      case DEADLINE_EXCEEDED -> DeadlineExceededException.class;
      case RESOURCE_EXHAUSTED -> ResourceExhaustedException.class;
      case UNIMPLEMENTED -> UnimplementedException.class;
      case INTERNAL -> InternalException.class;
      case CANCELLED -> CancelledException.class;
      default -> DataAccessException.class;
    };
    assertEquals(expected, e.getClass());
  }

  @Test
  void nonGrpcFailureIsUnknown() {
    DataAccessException e = Errors.translate(new IllegalStateException("boom"));
    assertEquals(Status.Code.UNKNOWN, e.code());
  }
}
