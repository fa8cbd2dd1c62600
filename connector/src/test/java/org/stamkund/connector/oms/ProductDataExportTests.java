package org.stamkund.connector.oms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProductDataExportTests {

  @Test
  void writesEachProductWithTheFieldsItHasEscaped() {
    String xml =
        ProductDataExport.toXml(
            List.of(
                new ProductDataExport.Product("RSX-1", "Sock & <co>", "Nord", "Socks", null),
                new ProductDataExport.Product("RSX-2", null, null, null, "Running")));
    assertThat(xml)
        .startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?><products>")
        .contains(
            "<product><sku>RSX-1</sku><name>Sock &amp; &lt;co&gt;</name><brand>Nord</brand>"
                + "<articleGroup>Socks</articleGroup></product>")
        .contains("<product><sku>RSX-2</sku><category>Running</category></product>")
        .endsWith("</products>");
  }

  @Test
  void aProductNeedsItsSkuAndTheUploadIsSentAsXml() {
    assertThatThrownBy(() -> new ProductDataExport.Product(" ", "x", null, null, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(ProductDataExport.request("<products/>").headers())
        .containsEntry("Content-Type", "application/xml");
    assertThat(ProductDataExport.request("<products/>").path()).isEqualTo("/admin/articles");
  }
}
