package io.jsplice.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class UpdateIdsTest {
  /** The rule as it was written before it was checked by hand. */
  private static final Pattern RULE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  @Test
  void isValid_acceptsWhatTheRuleAccepts_andNothingElse() {
    String[] ids = {
      "a",
      "CVE-2021-44228",
      "log4j_2.17.1-fix",
      "9",
      "a" + "b".repeat(127),
      "a" + "b".repeat(128),
      "",
      "-a",
      ".a",
      "_a",
      "a/b",
      "a b",
      "a\n",
      "é",
      "aé",
      "a..",
      "a:b",
      "a\u0000"
    };
    for (String id : ids) {
      assertThat(UpdateIds.isValid(id)).as(id).isEqualTo(RULE.matcher(id).matches());
    }
    assertThat(UpdateIds.isValid(null)).isFalse();
    assertThat(UpdateIds.isValid("a" + "b".repeat(127))).isTrue();
    assertThat(UpdateIds.isValid("a" + "b".repeat(128))).isFalse();
  }
}
