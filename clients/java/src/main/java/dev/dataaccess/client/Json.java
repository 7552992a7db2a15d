package dev.dataaccess.client;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.google.protobuf.ByteString;
import io.grpc.Status;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Documents to and from the JSON bytes on the wire, losslessly: integers decode as {@link Long} (or
 * {@link java.math.BigInteger} beyond 64 bits), fractions as {@link java.math.BigDecimal}, never
 * {@code double}; object key order is kept.
 */
final class Json {
  private final ObjectMapper mapper;
  private final JavaType mapType;

  Json(ObjectMapper mapper) {
    // Copy so that the features documents rely on cannot be switched off by the caller's settings.
    this.mapper = mapper.copy()
        .registerModule(new LosslessModule())
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
        .disable(SerializationFeature.INDENT_OUTPUT);
    this.mapType = this.mapper.getTypeFactory()
        .constructMapType(LinkedHashMap.class, String.class, Object.class);
  }

  /** The mapper {@link DataAccessClient.Builder} starts from; see {@link DataAccessClient#defaultObjectMapper()}. */
  static ObjectMapper defaultMapper() {
    return JsonMapper.builder()
        .addModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .addModule(new LosslessModule())
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .build();
  }

  /** The Java type of untyped documents: {@code LinkedHashMap<String, Object>}. */
  JavaType mapType() {
    return mapType;
  }

  /** The Java type for {@code cls}. */
  JavaType type(Class<?> cls) {
    return mapper.constructType(cls);
  }

  /** The Java type for a generic type reference. */
  JavaType type(TypeReference<?> ref) {
    return mapper.getTypeFactory().constructType(ref);
  }

  /** Encodes a document (a Map or a user object) that must serialize to a JSON object. */
  ByteString encodeDocument(Object document) {
    byte[] bytes = write(document);
    if (bytes.length == 0 || bytes[0] != '{') {
      throw new DocumentMappingException(Status.Code.INVALID_ARGUMENT,
          "a document must be a JSON object, got " + (document == null ? "null" : document.getClass().getName()),
          null);
    }
    return ByteString.copyFrom(bytes);
  }

  /** Encodes any JSON value (a field value, an increment, a condition operand). */
  ByteString encodeValue(Object value) {
    return ByteString.copyFrom(write(value));
  }

  private byte[] write(Object value) {
    try {
      return mapper.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new DocumentMappingException(Status.Code.INVALID_ARGUMENT,
          "cannot encode " + value.getClass().getName() + " as JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** Decodes a document from the wire into {@code type}. */
  <T> T decode(ByteString json, JavaType type) {
    try {
      return mapper.readValue(json.toByteArray(), type);
    } catch (IOException e) {
      throw new DocumentMappingException(Status.Code.INTERNAL,
          "cannot decode a document as " + type.toCanonical() + ": " + e.getMessage(), e);
    }
  }

  /** Decodes a document into an insertion-ordered map. */
  Map<String, Object> decodeMap(ByteString json) {
    return decode(json, mapType);
  }
}
