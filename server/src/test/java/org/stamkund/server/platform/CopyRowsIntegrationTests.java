package org.stamkund.server.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PGobject;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import org.stamkund.server.IntegrationTest;

/** COPY rows against the real database: every value comes back as it was sent. */
class CopyRowsIntegrationTests extends IntegrationTest {

  @Autowired JdbcTemplate template;
  @Autowired JdbcClient jdbc;
  @Autowired TransactionTemplate transactions;

  private String table = "";

  @BeforeEach
  void table() {
    table = "copy_rows_" + System.nanoTime();
    jdbc.sql(
            "create table "
                + table
                + " (n int primary key, t text, id uuid, flag boolean, big bigint, small smallint,"
                + " at timestamptz, day date, bytes bytea, doc json, meta jsonb)")
        .update();
  }

  @AfterEach
  void drop() {
    jdbc.sql("drop table " + table).update();
  }

  private static PGobject json(String type, String text) {
    PGobject object = new PGobject();
    object.setType(type);
    try {
      object.setValue(text);
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
    return object;
  }

  private CopyRows rows() {
    return new CopyRows(table + " (n, t, id, flag, big, small, at, day, bytes, doc, meta)");
  }

  @Test
  void textWithTheFormatsOwnSeparatorsAndEscapesComesBackUnchanged() {
    List<String> texts =
        List.of(
            "tab\there",
            "line\nend",
            "carriage\rreturn",
            "back\\slash",
            "\\N",
            "\\x41",
            "ends with a backslash\\",
            "Åsa Öberg 北京 🎉",
            "",
            "\\.");
    CopyRows rows = rows();
    for (int i = 0; i < texts.size(); i++) {
      rows.value(i).text(texts.get(i));
      Arrays.asList(null, null, null, null, null, null, null, null, null).forEach(rows::value);
      rows.endRow();
    }

    long copied = transactions.execute(tx -> rows.into(template));

    assertThat(copied).isEqualTo(texts.size());
    assertThat(jdbc.sql("select t from " + table + " order by n").query(String.class).list())
        .containsExactlyElementsOf(texts);
  }

  @Test
  void eachTypeAndNullArriveAsTheirColumnsValues() {
    UUID id = UUID.randomUUID();
    Instant at = Instant.parse("2026-12-03T12:34:56.123456Z");
    byte[] bytes = {0, 1, (byte) 0xfe, (byte) 0xff, '\\'};
    PGobject doc = json("json", "{\"a\":\"tab\\there \\\\ \\\"q\\\"\"}");
    PGobject meta = json("jsonb", "{\"b\": [1, \"Åsa\"]}");
    CopyRows rows = rows();
    rows.value(1)
        .value("x")
        .value(id)
        .value(true)
        .value(Long.MAX_VALUE)
        .value((short) 5)
        .value(Timestamp.from(at))
        .value(LocalDate.of(1999, 12, 31))
        .value(bytes)
        .value(doc)
        .value(meta)
        .endRow();
    rows.value(2).value(null).value(null).value(false).value(null).value(null).value(at);
    rows.value(java.sql.Date.valueOf(LocalDate.of(2000, 2, 29))).value(null).value(null);
    rows.value(null).endRow();

    transactions.executeWithoutResult(tx -> rows.into(template));

    Map<String, @Nullable Object> first =
        jdbc.sql("select * from " + table + " where n = 1").query().singleRow();
    assertThat(first.get("t")).isEqualTo("x");
    assertThat(first.get("id")).isEqualTo(id);
    assertThat(first.get("flag")).isEqualTo(true);
    assertThat(first.get("big")).isEqualTo(Long.MAX_VALUE);
    assertThat(first.get("small")).isEqualTo(5);
    assertThat(first.get("at")).isEqualTo(Timestamp.from(at));
    assertThat(String.valueOf(first.get("day"))).isEqualTo("1999-12-31");
    assertThat((byte[]) first.get("bytes")).containsExactly(bytes);
    assertThat(
            jdbc.sql("select doc->>'a' from " + table + " where n = 1")
                .query(String.class)
                .single())
        .isEqualTo("tab\there \\ \"q\"");
    Map<String, @Nullable Object> second =
        jdbc.sql("select * from " + table + " where n = 2").query().singleRow();
    assertThat(second.get("t")).isNull();
    assertThat(second.get("id")).isNull();
    assertThat(second.get("flag")).isEqualTo(false);
    assertThat(second.get("at")).isEqualTo(Timestamp.from(at));
    assertThat(String.valueOf(second.get("day"))).isEqualTo("2000-02-29");
    assertThat(second.get("bytes")).isNull();
    assertThat(
            jdbc.sql("select meta->'b'->>1 from " + table + " where n = 1")
                .query(String.class)
                .single())
        .isEqualTo("Åsa");
    assertThat(second.get("meta")).isNull();
  }

  @Test
  void timesAndDaysBeforeAndAfterPostgresqlsEpochArriveAsTheirTextWouldRoundedToTheMicrosecond() {
    List<Instant> times =
        List.of(
            Instant.parse("1969-07-20T20:17:40.0000006Z"),
            Instant.parse("1999-12-31T23:59:59.999999499Z"),
            Instant.parse("2000-01-01T00:00:00Z"),
            Instant.parse("2026-12-03T12:34:56.123456789Z"));
    List<LocalDate> days =
        List.of(
            LocalDate.of(1900, 3, 1),
            LocalDate.of(1999, 12, 31),
            LocalDate.of(2000, 1, 1),
            LocalDate.of(2096, 2, 29));
    CopyRows rows = rows();
    for (int i = 0; i < times.size(); i++) {
      rows.value(i).value(times.get(i).toString()).value(null).value(null).value(null);
      rows.value(null).value(times.get(i)).value(days.get(i)).value(null).value(null);
      rows.value(null).endRow();
    }

    transactions.executeWithoutResult(tx -> rows.into(template));

    assertThat(
            jdbc.sql("select count(*) from " + table + " where at = t::timestamptz")
                .query(Long.class)
                .single())
        .isEqualTo(times.size());
    assertThat(
            jdbc.sql(
                    "select to_char(at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') from "
                        + table
                        + " order by n")
                .query(String.class)
                .list())
        .containsExactly(
            "1969-07-20 20:17:40.000001",
            "1999-12-31 23:59:59.999999",
            "2000-01-01 00:00:00.000000",
            "2026-12-03 12:34:56.123457");
    assertThat(
            jdbc.sql("select at from " + table + " order by n")
                .query((rs, n) -> rs.getTimestamp(1).toInstant())
                .list())
        .as("what stored() says PostgreSQL keeps")
        .containsExactlyElementsOf(times.stream().map(CopyRows::stored).toList());
    assertThat(
            jdbc.sql("select day::text from " + table + " order by n").query(String.class).list())
        .containsExactly("1900-03-01", "1999-12-31", "2000-01-01", "2096-02-29");
  }

  @Test
  void decimalsOfEverySignScaleAndSizeArriveAsTheirTextWould() {
    String numbers = table + "_n";
    jdbc.sql("create table " + numbers + " (n int, t text, d numeric)").update();
    try {
      java.util.Random random = new java.util.Random(7);
      List<java.math.BigDecimal> values = new java.util.ArrayList<>();
      for (String fixed :
          List.of(
              "0",
              "0.00",
              "-0.5",
              "1",
              "10000",
              "9999.9999",
              "0.0001",
              "0.00001",
              "12.5",
              "-1500.00",
              "123456789012345678901234567890.123456789",
              "1E+3",
              "1.5E-7")) {
        values.add(new java.math.BigDecimal(fixed));
      }
      for (int i = 0; i < 2_000; i++) {
        java.math.BigInteger unscaled = new java.math.BigInteger(random.nextInt(1, 120), random);
        values.add(
            new java.math.BigDecimal(
                random.nextBoolean() ? unscaled : unscaled.negate(), random.nextInt(-3, 25)));
      }
      CopyRows rows = new CopyRows(numbers + " (n, t, d)");
      for (int i = 0; i < values.size(); i++) {
        rows.value(i).value(values.get(i).toString()).value(values.get(i)).endRow();
      }

      transactions.executeWithoutResult(tx -> rows.into(template));

      assertThat(
              jdbc.sql(
                      "select count(*) from "
                          + numbers
                          + " where d = t::numeric and d::text = t::numeric::text")
                  .query(Long.class)
                  .single())
          .isEqualTo(values.size());
    } finally {
      jdbc.sql("drop table " + numbers).update();
    }
  }

  @Test
  void rowsFarLargerThanABlockArriveWhole() {
    String longText = "å".repeat(CopyRows.BLOCK) + "end";
    CopyRows rows = rows();
    int count = 3 * CopyRows.BLOCK / 40;
    for (int n = 0; n < count; n++) {
      rows.value(n).value(n % 1000 == 0 ? longText : "row " + n).value(new UUID(n, -n));
      Arrays.asList(null, null, null, null, null, null, null, null).forEach(rows::value);
      rows.endRow();
    }

    Long copied = transactions.execute(tx -> rows.into(template));

    assertThat(copied).isEqualTo(count);
    List<Map<String, @Nullable Object>> read =
        jdbc.sql("select n, t, id from " + table + " order by n").query().listOfRows();
    assertThat(read).hasSize(count);
    for (int n = 0; n < count; n++) {
      assertThat(read.get(n).get("t")).isEqualTo(n % 1000 == 0 ? longText : "row " + n);
      assertThat(read.get(n).get("id")).isEqualTo(new UUID(n, -n));
    }
  }

  @Test
  void aRowWithTooFewOrTooManyValuesIsRefusedWhenItEnds() {
    CopyRows rows = rows();
    rows.value(1).value("x");
    assertThatThrownBy(rows::endRow)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("needs 11 values, not 2");
  }

  @Test
  void aRowWhoseKeyIsTakenFailsTheCopyAsADuplicateAndWritesNothing() {
    jdbc.sql("insert into " + table + " (n) values (2)").update();
    CopyRows rows = rows();
    for (int n = 1; n <= 3; n++) {
      rows.value(n);
      Arrays.asList(null, null, null, null, null, null, null, null, null, null)
          .forEach(rows::value);
      rows.endRow();
    }

    assertThatThrownBy(() -> transactions.executeWithoutResult(tx -> rows.into(template)))
        .isInstanceOf(DuplicateKeyException.class);
    assertThat(jdbc.sql("select n from " + table).query(Integer.class).list()).containsExactly(2);
  }

  @Test
  void aValueOfATypeWithoutACopyFormIsRefusedBeforeAnythingIsSent() {
    assertThatThrownBy(() -> rows().value(new Object()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Object");
  }

  @Test
  void noRowsSendsNothing() {
    assertThat(rows().into(template)).isZero();
  }
}
