package org.stamkund.server.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class WebhookSignaturesTests {

  @Test
  void signsTheStandardWebhooksExampleAsItsSpecificationDoes() {
    // The example of the Standard Webhooks specification and its reference libraries.
    String signature =
        WebhookSignatures.sign(
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330L,
            "{\"test\": 2432232314}");
    assertThat(signature).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  }

  @Test
  void aNewSecretIsThirtyTwoRandomBytesInBase64AfterThePrefix() {
    String a = WebhookSignatures.newSecret();
    String b = WebhookSignatures.newSecret();
    assertThat(a).startsWith("whsec_").isNotEqualTo(b);
    assertThat(Base64.getDecoder().decode(a.substring("whsec_".length()))).hasSize(32);
  }

  @Test
  void anIndependentVerifierAcceptsTheSignatureAndRejectsAnyChange() {
    String secret = WebhookSignatures.newSecret();
    String body = "{\"id\":\"e1\",\"type\":\"contact.created\"}";
    String header = WebhookSignatures.sign(secret, "e1", 1700000000L, body);
    assertThat(SignatureVerifier.verify(secret, "e1", "1700000000", body, header)).isTrue();
    assertThat(SignatureVerifier.verify(secret, "e2", "1700000000", body, header)).isFalse();
    assertThat(SignatureVerifier.verify(secret, "e1", "1700000001", body, header)).isFalse();
    assertThat(SignatureVerifier.verify(secret, "e1", "1700000000", body + " ", header)).isFalse();
    assertThat(
            SignatureVerifier.verify(
                WebhookSignatures.newSecret(), "e1", "1700000000", body, header))
        .isFalse();
  }

  @Test
  void aSecretWithoutThePrefixIsRefused() {
    assertThatThrownBy(() -> WebhookSignatures.sign("abc", "e1", 1L, "{}"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
