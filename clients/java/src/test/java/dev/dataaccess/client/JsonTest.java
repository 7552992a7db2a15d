package dev.dataaccess.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  private final Json json = new Json(Json.defaultMapper());

  private static ByteString utf8(String s) {
    return ByteString.copyFrom(s, StandardCharsets.UTF_8);
  }

  @Test
  void decodesNumbersLosslessly() {
    Map<String, Object> m = json.decodeMap(utf8(
        "{\"big\":9007199254740993,\"n\":1,\"huge\":123456789012345678901234567890,\"f\":19.5}"));
    assertEquals(9007199254740993L, m.get("big"));
    assertEquals(1L, m.get("n"));
    assertEquals(new BigInteger("123456789012345678901234567890"), m.get("huge"));
    assertEquals(new BigDecimal("19.5"), m.get("f"));
  }

  @Test
  void decodesNestedValuesLosslessly() {
    Map<String, Object> m = json.decodeMap(utf8(
        "{\"a\":[1,{\"b\":[18446744073709551616,{}]},null,true,\"s\"],\"e\":{},\"l\":[]}"));
    assertEquals(Arrays.asList(1L, Map.of("b", List.of(new BigInteger("18446744073709551616"), Map.of())), null,
        true, "s"), m.get("a"));
    assertEquals(Map.of(), m.get("e"));
    assertEquals(List.of(), m.get("l"));
  }

  @Test
  void keepsKeyOrderAndUnicode() {
    Map<String, Object> m = json.decodeMap(utf8("{\"z\":\"Köln 🌍\",\"a\":[]}"));
    assertEquals(List.of("z", "a"), List.copyOf(m.keySet()));
    assertEquals("Köln 🌍", m.get("z"));
  }

  @Test
  void encodesDocumentsExactly() {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("big", 9007199254740993L);
    doc.put("price", "19.99");
    doc.put("x", new BigDecimal("12345678901234567890.01"));
    doc.put("t", "ü");
    assertEquals("{\"big\":9007199254740993,\"price\":\"19.99\",\"x\":12345678901234567890.01,\"t\":\"ü\"}",
        json.encodeDocument(doc).toStringUtf8());
  }

  @Test
  void rejectsNonObjectDocuments() {
    DocumentMappingException e = assertThrows(DocumentMappingException.class, () -> json.encodeDocument(List.of(1)));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.code());
    assertThrows(DocumentMappingException.class, () -> json.encodeDocument(null));
    assertThrows(DocumentMappingException.class, () -> json.encodeDocument("text"));
  }

  /** A user class, as a typed entity would use. */
  public record Item(String id, String title, long big, String price, Instant createdAt) {}

  @Test
  void mapsToUserClassesIgnoringUnknownFields() {
    Item item = json.decode(utf8("{\"id\":\"k1\",\"title\":\"t\",\"big\":9007199254740993,\"price\":\"19.99\","
        + "\"createdAt\":\"2024-05-01T08:00:00.5Z\",\"extra\":{\"a\":1}}"), json.type(Item.class));
    assertEquals(new Item("k1", "t", 9007199254740993L, "19.99", Instant.parse("2024-05-01T08:00:00.5Z")), item);
    assertEquals("{\"id\":\"k1\",\"title\":\"t\",\"big\":9007199254740993,\"price\":\"19.99\","
        + "\"createdAt\":\"2024-05-01T08:00:00.500Z\"}", json.encodeDocument(item).toStringUtf8());
  }

  @Test
  void reportsDocumentsThatDoNotFitTheClass() {
    DocumentMappingException e = assertThrows(DocumentMappingException.class,
        () -> json.decode(utf8("{\"big\":\"not a number\"}"), json.type(Item.class)));
    assertEquals(Status.Code.INTERNAL, e.code());
  }
}
