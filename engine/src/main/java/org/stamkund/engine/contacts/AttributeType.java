package org.stamkund.engine.contacts;

import java.util.Locale;
import java.util.Optional;

/** The value type of a custom attribute; wire names are the lower-case forms. */
public enum AttributeType {
  STRING,
  NUMBER,
  DATE,
  BOOLEAN,
  CHOICE;

  /** The wire name, for example {@code choice}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a wire name case-insensitively; {@code singleChoice} is accepted for {@code choice}. */
  public static Optional<AttributeType> fromWire(String raw) {
    String key = raw.strip().toUpperCase(Locale.ROOT).replace("_", "");
    if (key.equals("SINGLECHOICE")) {
      return Optional.of(CHOICE);
    }
    for (AttributeType type : values()) {
      if (type.name().equals(key)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
