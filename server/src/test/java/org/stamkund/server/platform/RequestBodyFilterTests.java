package org.stamkund.server.platform;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

/** A request read as JSON takes its parameters from the query string alone, decoded. */
class RequestBodyFilterTests {

  private final RequestBodyFilter filter =
      new RequestBodyFilter(
          new StamkundProperties(
              Path.of("data"),
              null,
              ZoneId.of("Europe/Stockholm"),
              "46",
              2_097_152,
              33_554_432,
              1_073_741_824,
              "memberNumber",
              2,
              64,
              8),
          JsonMapper.builder().build());

  @Test
  void queryParametersAreSplitDecodedAndKeptInOrderWithTheirRepeats() throws Exception {
    HttpServletRequest passed =
        passedOn("a=1&email=saga%40example.se&a=2&&flag&empty=&eq=x=y&plus=a+b&bad=%zz&%61=3&");

    assertThat(passed.getParameterMap().keySet())
        .containsExactly("a", "email", "flag", "empty", "eq", "plus", "bad");
    assertThat(passed.getParameterValues("a")).containsExactly("1", "2", "3");
    assertThat(passed.getParameter("email")).isEqualTo("saga@example.se");
    assertThat(passed.getParameterValues("flag")).containsExactly("");
    assertThat(passed.getParameterValues("empty")).containsExactly("");
    assertThat(passed.getParameter("eq")).isEqualTo("x=y");
    assertThat(passed.getParameter("plus")).isEqualTo("a b");
    assertThat(passed.getParameter("bad")).as("not valid: kept as sent").isEqualTo("%zz");
    assertThat(passed.getParameterValues("missing")).isNull();
  }

  @Test
  void noQueryStringMeansNoParameters() throws Exception {
    HttpServletRequest passed = passedOn(null);

    assertThat(passed.getParameterMap()).isEmpty();
    assertThat(passed.getParameter("a")).isNull();
  }

  /** The request the filter hands on for a GET without a body or Content-Type. */
  private HttpServletRequest passedOn(@Nullable String query) throws Exception {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v2/contacts/id");
    request.setQueryString(query);
    request.addParameter("fromTheContainer", "not read");
    AtomicReference<HttpServletRequest> passed = new AtomicReference<>();
    filter.doFilter(
        request, new MockHttpServletResponse(), (req, res) -> passed.set((HttpServletRequest) req));
    assertThat(passed.get().getParameter("fromTheContainer")).isNull();
    return passed.get();
  }
}
