package dev.dataaccess.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dataaccess.client.DataAccessClient;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {
  private final ObjectMapper mapper = DataAccessClient.defaultObjectMapper();

  private String canonical(String json) throws Exception {
    return CanonicalJson.write(mapper.readValue(json, Object.class));
  }

  @Test
  void sortsKeysAndDropsWhitespace() throws Exception {
    assertEquals("{\"a\":[1,{\"b\":null,\"c\":true}],\"z\":{}}",
        canonical(" { \"z\" : { } , \"a\" : [ 1 , { \"c\" : true , \"b\" : null } ] } "));
  }

  @Test
  void sortsKeysByCodePointNotUtf16Unit() {
    // U+FB01 sorts before U+1F600 by code point, after it by UTF-16 unit (0xD83D < 0xFB01).
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("\uD83D\uDE00", 1L);
    m.put("\uFB01", 2L);
    m.put("a", 3L);
    assertEquals("{\"a\":3,\"\uFB01\":2,\"\uD83D\uDE00\":1}", CanonicalJson.write(m));
    List<String> keys = new ArrayList<>(List.of("b", "\uD83D\uDE00", "\uFB01", "ab", "a"));
    keys.sort(CanonicalJson::compareCodePoints);
    assertEquals(List.of("a", "ab", "b", "\uFB01", "\uD83D\uDE00"), keys);
  }

  @Test
  void escapesOnlyQuoteBackslashAndControls() {
    assertEquals("\"q\\\"b\\\\n\\nt\\tr\\u000d\\u0001\\u001f/<>&\u007f\"",
        CanonicalJson.write("q\"b\\n\nt\tr\r\u0001\u001f/<>&\u007f"));
  }

  @Test
  void writesNonAsciiRaw() throws Exception {
    String escaped = "\"Gr\\u00fc\u00dfe aus K\u00f6ln \uD83C\uDF0D \u2014 ünïcödé\"";
    assertEquals("\"Grüße aus Köln 🌍 — ünïcödé\"", canonical(escaped));
  }

  @Test
  void keepsIntegersExact() throws Exception {
    assertEquals("[9007199254740993,-9223372036854775808,123456789012345678901234567890,0]",
        canonical("[9007199254740993,-9223372036854775808,123456789012345678901234567890,0]"));
    assertEquals("18446744073709551616", CanonicalJson.write(BigInteger.TWO.pow(64)));
  }

  @Test
  void equalDocumentsInAnyKeyOrderAreEqual() throws Exception {
    assertEquals(canonical("{\"x\":1,\"y\":[\"a\"]}"), canonical("{\"y\":[\"a\"],\"x\":1}"));
    assertTrue(!canonical("{\"x\":1}").equals(canonical("{\"x\":\"1\"}")));
  }

  @Test
  void writesEmptyContainersAndScalars() {
    assertEquals("[{},[],null,false,\"\"]", CanonicalJson.write(Arrays.asList(Map.of(), List.of(), null, false, "")));
  }
}
