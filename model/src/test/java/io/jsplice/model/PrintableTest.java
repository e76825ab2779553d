package io.jsplice.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrintableTest {
  @Test
  void controlAndDirectionCharacters_areShownNotObeyed() {
    assertThat(Printable.of("a\u001b[2Jb")).isEqualTo("a\\u001b[2Jb");
    assertThat(Printable.of("x\u202ey")).isEqualTo("x\\u202ey");
    assertThat(Printable.of("line\nbreak\r")).isEqualTo("line\\u000abreak\\u000d");
    assertThat(Printable.of("plain text, é and ✓")).isEqualTo("plain text, é and ✓");
  }
}
