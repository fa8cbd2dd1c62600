package org.stamkund.server.articles;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.stamkund.server.Api;
import org.stamkund.server.IntegrationTest;
import tools.jackson.databind.JsonNode;

/** The product data import (XML and CSV) and the article data it gives receipt lines. */
class ArticlesIntegrationTests extends IntegrationTest {

  @Autowired JdbcClient jdbc;

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private Api.Response upload(String body, String contentType) {
    return api.send("POST", "/admin/articles", body, Map.of("Content-Type", contentType));
  }

  private Map<String, @org.jspecify.annotations.Nullable Object> article(String sku) {
    return jdbc.sql("select name, brand, article_group, category from articles where sku = ?")
        .param(sku)
        .query()
        .singleRow();
  }

  private boolean exists(String sku) {
    return jdbc.sql("select exists (select 1 from articles where sku = ?)")
        .param(sku)
        .query(Boolean.class)
        .single();
  }

  @Test
  void anXmlExportImportsItsProductsAndReportsTheRowsItSkipped() {
    String a = unique("shoe");
    String b = unique("sock");
    String xml =
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <products>
          <product><sku>%s</sku><name>Runner</name><brand>Stride</brand>
            <articleGroup>Shoes</articleGroup><category>Running</category></product>
          <product><name>No sku</name></product>
          <article><articleNumber>%s</articleNumber><name>Sock &amp; co</name></article>
        </products>
        """
            .formatted(a, b);
    Api.Response answer = upload(xml, "application/xml");
    assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    assertThat(answer.json().path("imported").asLong()).isEqualTo(2);
    assertThat(answer.json().path("failed").asLong()).isEqualTo(1);
    JsonNode error = answer.json().path("errors").get(0);
    assertThat(error.path("row").asLong()).isEqualTo(2);
    assertThat(error.path("errorCode").asString()).isEqualTo("MissingField");
    assertThat(error.path("field").asString()).isEqualTo("sku");
    assertThat(article(a))
        .containsEntry("name", "Runner")
        .containsEntry("brand", "Stride")
        .containsEntry("article_group", "Shoes")
        .containsEntry("category", "Running");
    assertThat(article(b)).containsEntry("name", "Sock & co");
  }

  @Test
  void aCsvExportWithQuotingImportsAndAReimportReplacesTheLastRowOfASkuWinning() {
    String a = unique("cap");
    String csv =
        "category,sku,name,brand,articleGroup\r\n"
            + "Hats,"
            + a
            + ",\"Cap, \"\"wool\"\"\",Nord,Headwear\r\n"
            + "Hats,"
            + a
            + ",Cap again,Nord,Headwear\r\n";
    Api.Response answer = upload(csv, "text/csv; charset=utf-8");
    assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    assertThat(answer.json().path("imported").asLong()).isEqualTo(2);
    assertThat(article(a)).containsEntry("name", "Cap again").containsEntry("category", "Hats");

    // A quoted line break is read as part of its field, and refused there: names are one line.
    Api.Response quoted =
        upload("sku,name\n" + a + ",\"Cap, \"\"wool\"\"\nline two\"\n", "text/csv");
    assertThat(quoted.status()).as(quoted.toString()).isEqualTo(200);
    assertThat(quoted.json().path("failed").asLong()).isEqualTo(1);
    assertThat(quoted.json().path("errors").get(0).path("field").asString()).isEqualTo("name");
    assertThat(article(a)).containsEntry("name", "Cap again");
  }

  @Test
  void aMalformedDocumentWritesNothing() {
    String a = unique("half");
    StringBuilder xml = new StringBuilder("<products>");
    // More than one batch before the fault: the batches already written roll back too.
    for (int i = 0; i < ArticleImport.BATCH + 10; i++) {
      xml.append("<product><sku>").append(a).append('-').append(i).append("</sku></product>");
    }
    xml.append("<product><sku>broken</product>");
    Api.Response answer = upload(xml.toString(), "application/xml");
    assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
    assertThat(answer.errorCode()).isEqualTo("InvalidXml");
    assertThat(exists(a + "-0")).isFalse();
    assertThat(exists(a + "-" + (ArticleImport.BATCH + 5))).isFalse();
  }

  @Test
  void externalEntitiesAreRefused() {
    String xml =
        """
        <?xml version="1.0"?>
        <!DOCTYPE products [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
        <products><product><sku>xxe-probe</sku><name>&secret;</name></product></products>
        """;
    Api.Response answer = upload(xml, "application/xml");
    assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
    assertThat(answer.text()).doesNotContain("root:");
    assertThat(exists("xxe-probe")).isFalse();
  }

  @Test
  void otherContentTypesAndCsvWithoutASkuColumnAreRefused() {
    Api.Response json = api.post("/admin/articles", Map.of("sku", "x"));
    assertThat(json.status()).isEqualTo(415);
    assertThat(json.errorCode()).isEqualTo("UnsupportedMediaType");
    Api.Response noSku = upload("name,brand\nCap,Nord\n", "text/csv");
    assertThat(noSku.status()).isEqualTo(400);
    assertThat(noSku.json().path("messageDetails").path("field").asString()).isEqualTo("sku");
  }

  @Test
  void purchaseHistoryLinesCarryTheirArticleData() {
    String sku = unique("boot");
    assertThat(
            upload(
                    "sku,name,brand,articleGroup,category\n"
                        + sku
                        + ",Hiking boot,Fjell,Shoes,Outdoor\n",
                    "text/csv")
                .status())
        .isEqualTo(200);
    String email = Api.uniqueEmail();
    Api.Response created =
        api.post("/api/v2/contacts", Map.of("contactType", "Member", "email", email));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String contact = created.json().path("id").asString();
    Map<String, Object> receipt =
        Map.of(
            "contact",
            Map.of("matchKey", email, "matchKeyType", "email"),
            "uniqueReceiptId",
            unique("art-receipt"),
            "receiptNumber",
            "A-1",
            "createdDate",
            OffsetDateTime.now(ZoneOffset.ofHours(1))
                .minusHours(1)
                .truncatedTo(ChronoUnit.SECONDS)
                .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
            "storeExternalId",
            "it-articles-store",
            "currency",
            "SEK",
            "totalGrossPrice",
            1200,
            "paymentMethods",
            List.of(Map.of("type", "card", "value", 1200)),
            "items",
            List.of(
                Map.of(
                    "type",
                    "PURCHASE",
                    "sku",
                    sku,
                    "articleNumber",
                    sku,
                    "articleName",
                    "Boot",
                    "quantity",
                    1,
                    "grossPaidPrice",
                    1200,
                    "taxAmount",
                    240,
                    "taxPercent",
                    25)));
    Api.Response posted = api.post("/api/v2/receipts", receipt);
    assertThat(posted.status()).as(posted.toString()).isEqualTo(202);
    Api.Response history = api.get("/api/v2/contacts/" + contact + "/transactions");
    assertThat(history.status()).as(history.toString()).isEqualTo(200);
    JsonNode line = history.json().path("items").get(0).path("lineItems").get(0);
    assertThat(line.path("sku").asString()).isEqualTo(sku);
    assertThat(line.path("articleName").asString()).isEqualTo("Hiking boot");
    assertThat(line.path("articleGroup").asString()).isEqualTo("Shoes");
    assertThat(line.path("brand").asString()).isEqualTo("Fjell");
    assertThat(line.path("category").asString()).isEqualTo("Outdoor");
  }
}
