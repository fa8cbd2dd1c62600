package org.stamkund.server.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** A flat map's JSON is what Jackson writes, byte for byte; anything else is left to Jackson. */
class FlatJsonTests {

  private static final JsonMapper JACKSON = JsonMapper.builder().build();

  @Test
  void flatMapsAreWrittenAsJacksonWritesThem() {
    Random random = new Random(20261203);
    for (int n = 0; n < 5_000; n++) {
      Map<String, Object> map = new LinkedHashMap<>();
      int entries = random.nextInt(7);
      for (int e = 0; e < entries; e++) {
        map.put(text(random), value(random));
      }
      assertThat(FlatJson.text(map)).as("%s", map).isEqualTo(JACKSON.writeValueAsString(map));
    }
  }

  @Test
  void decimalsWithoutAnExponentAreWrittenAsJacksonWritesThem() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("value", new BigDecimal("50.00"));
    map.put("negative", new BigDecimal("-0.5"));
    map.put("whole", BigDecimal.TEN);
    map.put("small", new BigDecimal("0.000001"));

    assertThat(FlatJson.text(map)).isEqualTo(JACKSON.writeValueAsString(map));
    assertThat(FlatJson.text(map)).contains("\"value\":50.00");
  }

  @Test
  void everyCharacterBelowAndAroundTheEscapesIsWrittenAsJacksonWritesIt() {
    Map<String, Object> map = new LinkedHashMap<>();
    for (char c = 0; c < 0x80; c++) {
      map.put("k" + (int) c, "a" + c + "b");
    }
    map.put("unicode", "åäö ø € 𝄞 \u2028\u2029 \ud800 end");
    map.put("quote\"name\\", "\"\\/");

    assertThat(FlatJson.text(map)).isEqualTo(JACKSON.writeValueAsString(map));
  }

  @Test
  void anEmptyMapAndNullsAreWritten() {
    Map<String, Object> nulls = new HashMap<>();
    nulls.put("a", null);

    assertThat(FlatJson.text(Map.of())).isEqualTo("{}");
    assertThat(FlatJson.text(nulls)).isEqualTo("{\"a\":null}");
  }

  @Test
  void otherValuesAreLeftToJackson() {
    assertThat(FlatJson.text(Map.of("amount", new BigDecimal("1.2E+3")))).isNull();
    assertThat(FlatJson.text(Map.of("amount", new BigDecimal("0.00000001")))).isNull();
    assertThat(FlatJson.text(Map.of("ratio", 0.5))).isNull();
    assertThat(FlatJson.text(Map.of("lines", List.of(1, 2)))).isNull();
    assertThat(FlatJson.text(Map.of("nested", Map.of("a", 1)))).isNull();
  }

  private static Object value(Random random) {
    return switch (random.nextInt(7)) {
      case 0 -> random.nextLong();
      case 1 -> random.nextInt();
      case 2 -> random.nextBoolean();
      case 3 -> (short) random.nextInt(Short.MIN_VALUE, Short.MAX_VALUE);
      case 4 -> BigDecimal.valueOf(random.nextLong(-1_000_000, 1_000_000), random.nextInt(0, 5));
      default -> text(random);
    };
  }

  /** Text with now and then a character JSON must escape, or one beyond ASCII. */
  private static String text(Random random) {
    List<Character> chars = new ArrayList<>();
    int length = random.nextInt(24);
    for (int i = 0; i < length; i++) {
      int kind = random.nextInt(10);
      chars.add(
          (char)
              (kind == 0
                  ? random.nextInt(0x20)
                  : kind == 1
                      ? "\"\\/\u007f".charAt(random.nextInt(4))
                      : kind == 2 ? random.nextInt(0x80, 0xFFFF) : random.nextInt(0x20, 0x7f)));
    }
    StringBuilder text = new StringBuilder();
    chars.forEach(text::append);
    return text.toString();
  }
}
