package org.stamkund.server.platform;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.util.PGobject;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Rows for PostgreSQL's {@code COPY … FROM STDIN} in its binary format, sent in one go on the
 * transaction's connection. COPY inserts many rows without a statement to parse and plan or a
 * parameter to bind for each value: a bulk import's contact rows cost PostgreSQL a third less than
 * as multi-row inserts (docs/performance.md, "Ninth session"). The binary format spares PostgreSQL
 * splitting lines and parsing every uuid, number and time from text ("Twelfth session").
 *
 * <p>Values go in column order, each row ended by {@link #endRow()}; a value's Java type must be
 * its column's: {@link Integer} for {@code int}, {@link Long} for {@code bigint}, {@link Short} for
 * {@code smallint}, {@link String} for {@code text} and {@code json}, a {@link PGobject} of type
 * {@code json} or {@code jsonb}. Errors surface as from any statement: a unique violation is
 * Spring's {@code DuplicateKeyException}.
 *
 * <p>The rows are kept in blocks of {@value #BLOCK} bytes, so that a batch of thousands never needs
 * one array large enough for the garbage collector to allocate it outside the young generation.
 */
public final class CopyRows {

  static final int BLOCK = 1 << 16;
  private static final byte[] HEADER = {
    'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0
  };
  // 2000-01-01T00:00:00Z, where PostgreSQL's times and dates count from
  private static final long EPOCH_SECONDS = 946_684_800L;
  private static final long EPOCH_DAYS = 10_957L;
  private static final VarHandle BIG_ENDIAN_INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle BIG_ENDIAN_LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private final String target;
  private final int columns;
  private final List<byte[]> full = new ArrayList<>();
  private byte[] block = new byte[BLOCK];
  private int at;
  private int rowValues;
  private int rows;

  /**
   * @param target the table and its columns, as in {@code contacts (id, email)}
   */
  public CopyRows(String target) {
    this.target = target;
    int open = target.indexOf('(');
    if (open < 0 || !target.endsWith(")")) {
      throw new IllegalArgumentException("name the columns: " + target);
    }
    int commas = 0;
    for (int i = open; i < target.length(); i++) {
      commas += target.charAt(i) == ',' ? 1 : 0;
    }
    this.columns = commas + 1;
    put(HEADER, 0, HEADER.length);
  }

  /** Any value of the types the project stores: text, numbers, flags, times, bytes, JSON. */
  public CopyRows value(@Nullable Object value) {
    return switch (value) {
      case null -> field(-1);
      case String s -> text(s);
      case UUID id ->
          field(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
      case Boolean flag -> field(1).putByte(flag ? 1 : 0);
      case Long number -> field(8).putLong(number);
      case Integer number -> field(4).putInt(number);
      case Short number -> field(2).putShort(number);
      case Instant time -> field(8).putLong(microseconds(time));
      case java.sql.Timestamp time -> field(8).putLong(microseconds(time.toInstant()));
      case LocalDate day -> field(4).putInt(days(day));
      case java.sql.Date day -> field(4).putInt(days(day.toLocalDate()));
      case byte[] bytes -> field(bytes.length).put(bytes, 0, bytes.length);
      case BigDecimal number -> numeric(number);
      case PGobject object -> json(object);
      default ->
          throw new IllegalArgumentException(
              "no COPY form for " + value.getClass().getSimpleName());
    };
  }

  /** Text, as UTF-8. */
  public CopyRows text(String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    return field(bytes.length).put(bytes, 0, bytes.length);
  }

  public CopyRows endRow() {
    if (rowValues != columns) {
      throw new IllegalStateException(
          "a row of " + target + " needs " + columns + " values, not " + rowValues);
    }
    rowValues = 0;
    rows++;
    return this;
  }

  public int rows() {
    return rows;
  }

  /**
   * Sends the rows on the current transaction's connection.
   *
   * @return how many rows were inserted
   */
  public long into(JdbcTemplate template) {
    if (rows == 0) {
      return 0;
    }
    if (rowValues != 0) {
      throw new IllegalStateException("the last row of " + target + " was not ended");
    }
    Long copied =
        template.execute(
            (ConnectionCallback<Long>)
                connection -> {
                  var copy =
                      connection
                          .unwrap(PGConnection.class)
                          .getCopyAPI()
                          .copyIn("copy " + target + " from stdin (format binary)");
                  try {
                    for (byte[] each : full) {
                      copy.writeToCopy(each, 0, each.length);
                    }
                    copy.writeToCopy(block, 0, at);
                    copy.writeToCopy(new byte[] {-1, -1}, 0, 2);
                    return copy.endCopy();
                  } finally {
                    if (copy.isActive()) {
                      copy.cancelCopy();
                    }
                  }
                });
    return copied == null ? 0 : copied;
  }

  private CopyRows json(PGobject object) {
    String text = object.getValue();
    if (text == null) {
      return field(-1);
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if ("jsonb".equals(object.getType())) {
      // jsonb's binary form: a version, then the text
      return field(bytes.length + 1).putByte(1).put(bytes, 0, bytes.length);
    }
    if ("json".equals(object.getType())) {
      return field(bytes.length).put(bytes, 0, bytes.length);
    }
    throw new IllegalArgumentException("no COPY form for " + object.getType());
  }

  /**
   * A {@code numeric}: its decimal digits in groups of four (base 10,000) aligned on the decimal
   * point, the weight of the first group, the sign and the scale.
   */
  private CopyRows numeric(BigDecimal number) {
    BigDecimal plain = number.scale() < 0 ? number.setScale(0) : number;
    int scale = plain.scale();
    String digits = plain.unscaledValue().abs().toString();
    int integer = digits.length() - scale;
    StringBuilder aligned = new StringBuilder(digits.length() + 8);
    if (integer < 0) {
      aligned.repeat('0', -integer);
      integer = 0;
    }
    int before = (4 - integer % 4) % 4;
    aligned.insert(0, "0".repeat(before)).append(digits).repeat('0', (4 - scale % 4) % 4);
    int groups = aligned.length() / 4;
    field(8 + 2 * groups)
        .putShort((short) groups)
        .putShort((short) ((integer + before) / 4 - 1))
        .putShort((short) (plain.signum() < 0 ? 0x4000 : 0))
        .putShort((short) scale);
    for (int g = 0; g < groups; g++) {
      putShort((short) Integer.parseInt(aligned, 4 * g, 4 * g + 4, 10));
    }
    return this;
  }

  /** A time as PostgreSQL keeps it once written here: rounded to the microsecond. */
  public static Instant stored(Instant time) {
    long micros = microseconds(time);
    return Instant.ofEpochSecond(
        EPOCH_SECONDS + Math.floorDiv(micros, 1_000_000L),
        Math.floorMod(micros, 1_000_000L) * 1000L);
  }

  /** Rounded to the microsecond, as PostgreSQL rounds a time it reads as text. */
  private static long microseconds(Instant time) {
    long micros = (time.getEpochSecond() - EPOCH_SECONDS) * 1_000_000L;
    int nanos = time.getNano();
    return micros + nanos / 1000 + (nanos % 1000 >= 500 ? 1 : 0);
  }

  private static int days(LocalDate day) {
    return Math.toIntExact(day.toEpochDay() - EPOCH_DAYS);
  }

  /** Starts a value of {@code length} bytes (-1 for null), and a row with its first value. */
  private CopyRows field(int length) {
    if (rowValues == 0) {
      putShort((short) columns);
    }
    rowValues++;
    return putInt(length);
  }

  private CopyRows putByte(int value) {
    if (at == BLOCK) {
      next();
    }
    block[at++] = (byte) value;
    return this;
  }

  private CopyRows putShort(short value) {
    return putByte(value >> 8).putByte(value);
  }

  private CopyRows putInt(int value) {
    if (BLOCK - at < 4) {
      return putByte(value >> 24).putByte(value >> 16).putByte(value >> 8).putByte(value);
    }
    BIG_ENDIAN_INT.set(block, at, value);
    at += 4;
    return this;
  }

  private CopyRows putLong(long value) {
    if (BLOCK - at < 8) {
      return putInt((int) (value >> 32)).putInt((int) value);
    }
    BIG_ENDIAN_LONG.set(block, at, value);
    at += 8;
    return this;
  }

  private CopyRows put(byte[] bytes, int from, int length) {
    int off = from;
    int left = length;
    while (left > 0) {
      if (at == BLOCK) {
        next();
      }
      int n = Math.min(left, BLOCK - at);
      System.arraycopy(bytes, off, block, at, n);
      at += n;
      off += n;
      left -= n;
    }
    return this;
  }

  private void next() {
    full.add(block);
    block = new byte[BLOCK];
    at = 0;
  }
}
