package org.stamkund.server.articles;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.stamkund.server.platform.ApiException;

/**
 * Imports a product data export, read as a stream (a catalogue never sits in memory whole), in
 * batches of {@value #BATCH} and one transaction: a document that turns out malformed halfway
 * writes nothing. Rows that are wrong on their own (no sku, a value too long) are reported and
 * skipped; the others are imported.
 *
 * <p>XML: {@code <products><product><sku/><name/><brand/><articleGroup/><category/></product>…}
 * ({@code <articles>}/{@code <article>} and {@code <articleNumber>} are read too). CSV: a header
 * row naming the columns {@code sku, name, brand, articleGroup, category} in any order, RFC 4180
 * quoting.
 */
@Service
class ArticleImport {

  static final int BATCH = 1000;
  static final int MAX_ERRORS = 100;
  private static final int MAX_SKU = 200;
  private static final int MAX_VALUE = 500;

  /** What an import did. */
  record Result(long imported, long failed, List<Map<String, Object>> errors) {}

  private final ArticleCatalog catalog;
  private final TransactionTemplate transactions;

  ArticleImport(ArticleCatalog catalog, TransactionTemplate transactions) {
    this.catalog = catalog;
    this.transactions = transactions;
  }

  Result importXml(InputStream body) {
    return run(sink -> readXml(body, sink));
  }

  Result importCsv(InputStream body) {
    return run(sink -> readCsv(new InputStreamReader(body, StandardCharsets.UTF_8), sink));
  }

  /** Collects rows, checks each, writes them in batches; the last of a repeated sku wins. */
  private final class Sink {
    final Map<String, Article> batch = new LinkedHashMap<>();
    final List<Map<String, Object>> errors = new ArrayList<>();
    long imported;
    long failed;

    void row(long row, Map<String, String> values) {
      String sku = values.getOrDefault("sku", "").strip();
      String problem = null;
      String field = "sku";
      if (sku.isEmpty()) {
        problem = "MissingField";
      } else if (sku.length() > MAX_SKU || !printable(sku)) {
        problem = "InvalidValue";
      } else {
        for (String name : List.of("name", "brand", "articleGroup", "category")) {
          String value = values.get(name);
          if (value != null && (value.length() > MAX_VALUE || !printable(value))) {
            problem = "InvalidValue";
            field = name;
            break;
          }
        }
      }
      if (problem != null) {
        failed++;
        if (errors.size() < MAX_ERRORS) {
          errors.add(Map.of("row", row, "errorCode", problem, "field", field));
        }
        return;
      }
      batch.put(
          sku,
          new Article(
              sku,
              blankToNull(values.get("name")),
              blankToNull(values.get("brand")),
              blankToNull(values.get("articleGroup")),
              blankToNull(values.get("category"))));
      imported++;
      if (batch.size() >= BATCH) {
        flush();
      }
    }

    void flush() {
      catalog.upsert(List.copyOf(batch.values()));
      batch.clear();
    }
  }

  private Result run(Consumer<Sink> reader) {
    Result result =
        transactions.execute(
            tx -> {
              Sink sink = new Sink();
              reader.accept(sink);
              sink.flush();
              return new Result(sink.imported, sink.failed, List.copyOf(sink.errors));
            });
    return java.util.Objects.requireNonNull(result);
  }

  private static void readXml(InputStream body, Sink sink) {
    XMLInputFactory factory = XMLInputFactory.newFactory();
    // No DTDs and no external entities: an upload must not make the server read files or URLs.
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    try {
      XMLStreamReader xml = factory.createXMLStreamReader(body);
      long row = 0;
      Map<String, String> values = null;
      while (xml.hasNext()) {
        int event = xml.next();
        if (event != XMLStreamConstants.START_ELEMENT) {
          if (event == XMLStreamConstants.END_ELEMENT && values != null && isProduct(xml)) {
            sink.row(row, values);
            values = null;
          }
          continue;
        }
        String name = xml.getLocalName();
        if (isProduct(xml)) {
          row++;
          values = new LinkedHashMap<>();
        } else if (values != null) {
          String key = fieldOf(name);
          String text = xml.getElementText();
          if (key != null) {
            values.put(key, text);
          }
        }
      }
    } catch (XMLStreamException e) {
      var at = e.getLocation();
      throw new ApiException(
          HttpStatus.BAD_REQUEST,
          "InvalidXml",
          "body: not well-formed XML"
              + (at == null
                  ? ""
                  : " at line " + at.getLineNumber() + ", column " + at.getColumnNumber()),
          Map.of("field", "body"));
    }
  }

  private static boolean isProduct(XMLStreamReader xml) {
    String name = xml.getLocalName().toLowerCase(Locale.ROOT);
    return name.equals("product") || name.equals("article");
  }

  private static @Nullable String fieldOf(String element) {
    return switch (element.toLowerCase(Locale.ROOT)) {
      case "sku", "articlenumber", "articlenr" -> "sku";
      case "name", "title" -> "name";
      case "brand" -> "brand";
      case "articlegroup", "group" -> "articleGroup";
      case "category" -> "category";
      default -> null;
    };
  }

  private static void readCsv(Reader body, Sink sink) {
    CsvRows rows = new CsvRows(body);
    List<String> header = rows.next();
    if (header == null) {
      throw ApiException.badField("MissingField", "body", "a CSV header row is required");
    }
    List<@Nullable String> columns = new ArrayList<>();
    for (String h : header) {
      columns.add(fieldOf(h.strip()));
    }
    if (!columns.contains("sku")) {
      throw ApiException.badField("MissingField", "sku", "the CSV header must name a sku column");
    }
    long row = 0;
    for (List<String> cells = rows.next(); cells != null; cells = rows.next()) {
      row++;
      if (cells.size() == 1 && cells.getFirst().isBlank()) {
        continue;
      }
      Map<String, String> values = new LinkedHashMap<>();
      for (int i = 0; i < cells.size() && i < columns.size(); i++) {
        String column = columns.get(i);
        if (column != null) {
          values.put(column, cells.get(i));
        }
      }
      sink.row(row, values);
    }
  }

  /** RFC 4180 rows: quoted fields may hold commas, doubled quotes and line breaks. */
  private static final class CsvRows {
    private final Reader in;
    private boolean done;

    CsvRows(Reader in) {
      this.in = new java.io.BufferedReader(in, 64 * 1024);
    }

    @Nullable List<String> next() {
      if (done) {
        return null;
      }
      try {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        while (true) {
          int c = in.read();
          if (c == -1) {
            done = true;
            if (quoted) {
              throw ApiException.badField("InvalidCsv", "body", "a quoted field is not closed");
            }
            if (!any && cells.isEmpty()) {
              return null;
            }
            cells.add(cell.toString());
            return cells;
          }
          any = true;
          if (quoted) {
            if (c == '"') {
              in.mark(1);
              int next = in.read();
              if (next == '"') {
                cell.append('"');
              } else {
                quoted = false;
                if (next != -1) {
                  in.reset();
                }
              }
            } else {
              cell.append((char) c);
            }
          } else if (c == '"' && cell.isEmpty()) {
            quoted = true;
          } else if (c == ',') {
            cells.add(cell.toString());
            cell.setLength(0);
          } else if (c == '\n') {
            cells.add(stripCr(cell));
            return cells;
          } else {
            cell.append((char) c);
          }
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    private static String stripCr(StringBuilder cell) {
      int n = cell.length();
      return n > 0 && cell.charAt(n - 1) == '\r' ? cell.substring(0, n - 1) : cell.toString();
    }
  }

  private static boolean printable(String value) {
    return value.chars().noneMatch(c -> c < 0x20 && c != '\t');
  }

  private static @Nullable String blankToNull(@Nullable String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}
