package io.jsplice.agent.restart;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReleaseVersionsTest {
  @Test
  void compare_ordersReleasesAsMavenDoes() {
    assertThat(ReleaseVersions.compare("1.10.0", "1.9")).isPositive();
    assertThat(ReleaseVersions.compare("1.9", "1.10.0")).isNegative();
    assertThat(ReleaseVersions.compare("1.10", "1.10.0")).isZero();
    assertThat(ReleaseVersions.compare("1.10.0", "1.10.0")).isZero();
    assertThat(ReleaseVersions.compare("1.10.0.1", "1.10.0")).isPositive();
    assertThat(ReleaseVersions.compare("1.11.0", "1.10.0")).isPositive();
    assertThat(ReleaseVersions.compare("2.0", "1.99.99")).isPositive();
    assertThat(ReleaseVersions.compare("5.3.0.Final", "5.3.0")).isZero();
  }

  @Test
  void compare_putsPreReleasesBeforeTheirRelease() {
    assertThat(ReleaseVersions.compare("1.10.0-RC1", "1.10.0")).isNegative();
    assertThat(ReleaseVersions.compare("1.10.0-SNAPSHOT", "1.10.0")).isNegative();
    assertThat(ReleaseVersions.compare("1.10.0-RC1", "1.9")).isPositive();
  }
}
