package dev.dataaccess.client;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes untyped JSON values ({@code Object}, map and list elements) without losing precision:
 * integers as {@code Long}, or {@code BigInteger} beyond 64 bits (Jackson's USE_LONG_FOR_INTS fails
 * there instead); fractions as {@code BigDecimal}; objects as insertion-ordered {@code LinkedHashMap}.
 */
final class LosslessModule extends SimpleModule {
  private static final long serialVersionUID = 1L;

  LosslessModule() {
    super("dataaccess-lossless");
    addDeserializer(Object.class, new Untyped());
  }

  private static final class Untyped extends StdDeserializer<Object> {
    private static final long serialVersionUID = 1L;

    Untyped() {
      super(Object.class);
    }

    @Override
    public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonToken t = p.currentToken();
      switch (t) {
        case START_OBJECT:
        case FIELD_NAME:
        case END_OBJECT:
          return object(p, ctxt);
        case START_ARRAY: {
          List<Object> list = new ArrayList<>();
          while (p.nextToken() != JsonToken.END_ARRAY) {
            list.add(deserialize(p, ctxt));
          }
          return list;
        }
        case VALUE_STRING:
          return p.getText();
        case VALUE_NUMBER_INT:
          return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? p.getBigIntegerValue() : p.getLongValue();
        case VALUE_NUMBER_FLOAT:
          return p.getDecimalValue();
        case VALUE_TRUE:
          return Boolean.TRUE;
        case VALUE_FALSE:
          return Boolean.FALSE;
        case VALUE_NULL:
          return null;
        case VALUE_EMBEDDED_OBJECT:
          return p.getEmbeddedObject();
        default:
          return ctxt.handleUnexpectedToken(Object.class, p);
      }
    }

    @Override
    public Object getNullValue(DeserializationContext ctxt) {
      return null;
    }

    /** Reads an object; the parser is at START_OBJECT, or at its first FIELD_NAME / END_OBJECT. */
    private Map<String, Object> object(JsonParser p, DeserializationContext ctxt) throws IOException {
      Map<String, Object> map = new LinkedHashMap<>();
      JsonToken t = p.currentToken() == JsonToken.START_OBJECT ? p.nextToken() : p.currentToken();
      for (; t == JsonToken.FIELD_NAME; t = p.nextToken()) {
        String name = p.currentName();
        p.nextToken();
        map.put(name, deserialize(p, ctxt));
      }
      return map;
    }
  }
}
