package io.jsplice.create;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.create.source.ClassSet;
import io.jsplice.create.source.MavenArtifacts;
import io.jsplice.create.source.MavenCoordinates;
import io.jsplice.create.source.ReleaseSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Finds, from real releases' POMs and class files, the dependencies a fixed release needs. */
class DependencyUpgradesTest {
  private static List<DependencyUpgrades.Upgrade> needed(String from, String to) throws Exception {
    try (MavenArtifacts maven = new MavenArtifacts()) {
      ClassSet pre = ReleaseSpec.read(List.of(from), maven);
      ClassSet post = ReleaseSpec.read(List.of(to), maven);
      return DependencyUpgrades.needed(
          ReleaseSpec.coordinates(List.of(from)),
          ReleaseSpec.coordinates(List.of(to)),
          pre,
          post,
          ClassFilter.ALL,
          maven);
    }
  }

  @Test
  void log4Shell_needsTheLog4jApiReleasedWithTheFix_andSaysWhatItUses() throws Exception {
    List<DependencyUpgrades.Upgrade> upgrades =
        needed(
            "org.apache.logging.log4j:log4j-core:2.14.1",
            "org.apache.logging.log4j:log4j-core:2.15.0");

    assertThat(upgrades).hasSize(1);
    DependencyUpgrades.Upgrade api = upgrades.get(0);
    assertThat(api.from())
        .isEqualTo(MavenCoordinates.parse("org.apache.logging.log4j:log4j-api:2.14.1"));
    assertThat(api.to())
        .isEqualTo(MavenCoordinates.parse("org.apache.logging.log4j:log4j-api:2.15.0"));
    assertThat(api.needs()).contains("org.apache.logging.log4j.util.Constants.EMPTY_BYTE_ARRAY");
    assertThat(api.options())
        .isEqualTo(
            "--from org.apache.logging.log4j:log4j-api:2.14.1"
                + " --to org.apache.logging.log4j:log4j-api:2.15.0");
  }

  @Test
  void aDependencyGivenOnBothSides_isNotAddedAgain() throws Exception {
    try (MavenArtifacts maven = new MavenArtifacts()) {
      List<String> from =
          List.of(
              "org.apache.logging.log4j:log4j-core:2.14.1",
              "org.apache.logging.log4j:log4j-api:2.14.1");
      List<String> to =
          List.of(
              "org.apache.logging.log4j:log4j-core:2.15.0",
              "org.apache.logging.log4j:log4j-api:2.15.0");
      assertThat(
              DependencyUpgrades.needed(
                  ReleaseSpec.coordinates(from),
                  ReleaseSpec.coordinates(to),
                  ReleaseSpec.read(from, maven),
                  ReleaseSpec.read(to, maven),
                  ClassFilter.ALL,
                  maven))
          .isEmpty();
    }
  }

  @Test
  void aNewerDependencyThatTheFixedCodeUsesNothingNewOf_isNotAdded() throws Exception {
    // commons-text 1.10.0's POM moves commons-lang3 from 3.11 to 3.12.0, but the changed code
    // calls nothing that 3.11 lacks.
    assertThat(
            needed("org.apache.commons:commons-text:1.9", "org.apache.commons:commons-text:1.10.0"))
        .isEmpty();
  }
}
