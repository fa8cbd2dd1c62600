package org.stamkund.connector.oms;

import java.io.StringWriter;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.jspecify.annotations.Nullable;
import org.stamkund.connector.ApiRequest;

/**
 * The shop's product data export (seed 001, receipt enrichment): its articles as the XML the engine
 * imports at {@code POST /admin/articles}, so receipt lines, which carry little more than a sku,
 * gain article group, brand and category there. Recommended once a day; the whole catalogue each
 * time (an article left out keeps its last data).
 */
public final class ProductDataExport {

  /** One article of the catalogue; only the sku is required. */
  public record Product(
      String sku,
      @Nullable String name,
      @Nullable String brand,
      @Nullable String articleGroup,
      @Nullable String category) {

    public Product {
      if (sku.isBlank()) {
        throw new IllegalArgumentException("a product needs its sku");
      }
    }
  }

  private ProductDataExport() {}

  /** The catalogue as {@code <products><product><sku/>…</product></products>}. */
  public static String toXml(Iterable<Product> products) {
    StringWriter out = new StringWriter();
    try {
      XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
      xml.writeStartDocument("UTF-8", "1.0");
      xml.writeStartElement("products");
      for (Product p : products) {
        xml.writeStartElement("product");
        element(xml, "sku", p.sku());
        element(xml, "name", p.name());
        element(xml, "brand", p.brand());
        element(xml, "articleGroup", p.articleGroup());
        element(xml, "category", p.category());
        xml.writeEndElement();
      }
      xml.writeEndElement();
      xml.writeEndDocument();
      xml.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException("the product export could not be written", e);
    }
    return out.toString();
  }

  /** The upload of an export: send it with a client whose key has the {@code admin} scope. */
  public static ApiRequest request(String xml) {
    return new ApiRequest(
        "importArticles",
        "POST",
        "/admin/articles",
        Map.of(),
        Map.of("Content-Type", "application/xml"),
        xml);
  }

  private static void element(XMLStreamWriter xml, String name, @Nullable String value)
      throws XMLStreamException {
    if (value != null) {
      xml.writeStartElement(name);
      xml.writeCharacters(value);
      xml.writeEndElement();
    }
  }
}
