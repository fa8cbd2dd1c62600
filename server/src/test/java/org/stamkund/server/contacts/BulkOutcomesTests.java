package org.stamkund.server.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The batch's outcomes as kept: read back by Jackson as they were. */
class BulkOutcomesTests {

  private static final JsonMapper JACKSON = JsonMapper.builder().build();

  @Test
  void outcomesAreKeptWithoutEmptyFieldsAndReadBackWithNullsInTheirPlace() {
    Random random = new Random(12);
    List<BulkImport.RowOutcome> outcomes = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      outcomes.add(
          random.nextInt(4) == 0
              ? new BulkImport.RowOutcome(
                  i,
                  "Failed",
                  null,
                  "InvalidEmail",
                  "email",
                  "not an e-mail: \"a\\b\"\n\t\u0001 Åsa")
              : new BulkImport.RowOutcome(
                  i,
                  random.nextBoolean() ? "Created" : "Updated",
                  UUID.randomUUID(),
                  null,
                  null,
                  null));
    }

    String stored = BulkImport.stored(outcomes);

    assertThat(stored).doesNotContain("null");
    assertThat(JACKSON.readValue(stored, new TypeReference<List<BulkImport.RowOutcome>>() {}))
        .containsExactlyElementsOf(outcomes);
  }

  @Test
  void noOutcomesAreAnEmptyArray() {
    assertThat(BulkImport.stored(List.of())).isEqualTo("[]");
  }
}
