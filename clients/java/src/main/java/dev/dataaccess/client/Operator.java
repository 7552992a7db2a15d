package dev.dataaccess.client;

import java.util.Locale;

/** How a {@link Condition} compares a field with its value. */
public enum Operator {
  /** Field equals value. */
  EQ,
  /** Field differs from value (or is absent). */
  NE,
  /** Field is less than value. */
  LT,
  /** Field is less than or equal to value. */
  LTE,
  /** Field is greater than value. */
  GT,
  /** Field is greater than or equal to value. */
  GTE,
  /** Field equals one of the values in a collection. */
  IN,
  /** Field is present (value {@code true}) or absent (value {@code false}). */
  EXISTS,
  /** String field starts with the value. */
  PREFIX;

  /**
   * Parses a short name as used in configs and the client scenario.
   *
   * @param name {@code eq ne lt lte gt gte in exists prefix}, in any case
   * @return the operator
   * @throws IllegalArgumentException if the name is unknown
   */
  public static Operator fromName(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }

  dev.dataaccess.v1.Operator toProto() {
    switch (this) {
      case EQ: return dev.dataaccess.v1.Operator.OPERATOR_EQ;
      case NE: return dev.dataaccess.v1.Operator.OPERATOR_NE;
      case LT: return dev.dataaccess.v1.Operator.OPERATOR_LT;
      case LTE: return dev.dataaccess.v1.Operator.OPERATOR_LTE;
      case GT: return dev.dataaccess.v1.Operator.OPERATOR_GT;
      case GTE: return dev.dataaccess.v1.Operator.OPERATOR_GTE;
      case IN: return dev.dataaccess.v1.Operator.OPERATOR_IN;
      case EXISTS: return dev.dataaccess.v1.Operator.OPERATOR_EXISTS;
      case PREFIX: return dev.dataaccess.v1.Operator.OPERATOR_PREFIX;
      default: throw new AssertionError(this);
    }
  }
}
