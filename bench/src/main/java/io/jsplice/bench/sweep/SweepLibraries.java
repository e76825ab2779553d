package io.jsplice.bench.sweep;

import java.util.ArrayList;
import java.util.List;

/**
 * The releases the sweep builds updates between: for each of 24 widely used Maven Central
 * libraries, six consecutive releases (five pairs), chosen among recent ones that run on JDK 17.
 * Fixed here, so that every run of the sweep meets the same code.
 */
final class SweepLibraries {
  private SweepLibraries() {}

  /** One library and its releases in order. */
  record Library(String groupId, String artifactId, List<String> versions) {
    String coordinates(String version) {
      return groupId + ":" + artifactId + ":" + version;
    }

    /** The consecutive pairs (from, to). */
    List<String[]> pairs() {
      List<String[]> out = new ArrayList<>();
      for (int i = 0; i + 1 < versions.size(); i++) {
        out.add(new String[] {versions.get(i), versions.get(i + 1)});
      }
      return out;
    }
  }

  static final List<Library> ALL =
      List.of(
          lib("com.google.protobuf:protobuf-java", "4.33.3 4.33.4 4.33.5 4.33.6 4.34.0 4.34.1"),
          lib(
              "org.apache.tomcat.embed:tomcat-embed-core",
              "11.0.13 11.0.14 11.0.15 11.0.18 11.0.20 11.0.21"),
          lib(
              "io.netty:netty-codec-http",
              "4.2.10.Final 4.2.11.Final 4.2.12.Final 4.2.13.Final 4.2.14.Final 4.2.15.Final"),
          lib("org.bouncycastle:bcprov-jdk18on", "1.79 1.80 1.80.2 1.81 1.81.1 1.82"),
          lib(
              "com.google.guava:guava",
              "32.0.0-jre 32.0.1-jre 32.1.0-jre 32.1.1-jre 32.1.2-jre 32.1.3-jre"),
          lib(
              "com.fasterxml.jackson.core:jackson-databind",
              "2.21.3 2.21.4 2.21.5 2.21.6 2.21.7 2.21.8"),
          lib("org.apache.commons:commons-lang3", "3.17.0 3.18.0 3.19.0 3.20.0 3.21.0 3.22.0"),
          lib("org.apache.commons:commons-text", "1.10.0 1.11.0 1.12.0 1.13.0 1.13.1 1.14.0"),
          lib("commons-io:commons-io", "2.17.0 2.18.0 2.19.0 2.20.0 2.21.0 2.22.0"),
          lib("org.apache.commons:commons-compress", "1.26.0 1.26.1 1.26.2 1.27.0 1.27.1 1.28.0"),
          lib("org.apache.logging.log4j:log4j-core", "2.24.0 2.24.1 2.24.2 2.24.3 2.25.0 2.25.1"),
          lib("org.springframework:spring-core", "7.0.0 7.0.1 7.0.2 7.0.3 7.0.4 7.0.5"),
          lib("org.springframework:spring-beans", "7.0.0 7.0.1 7.0.2 7.0.3 7.0.4 7.0.5"),
          lib("org.springframework:spring-web", "7.0.0 7.0.1 7.0.2 7.0.3 7.0.4 7.0.5"),
          lib("org.yaml:snakeyaml", "2.2 2.3 2.4 2.5 2.6 2.7"),
          lib("com.h2database:h2", "2.2.220 2.2.222 2.2.224 2.3.230 2.3.232 2.4.240"),
          lib("com.squareup.okhttp3:okhttp", "4.9.0 4.9.1 4.9.2 4.9.3 4.10.0 4.11.0"),
          lib("com.google.code.gson:gson", "2.10.1 2.11.0 2.12.0 2.12.1 2.13.0 2.13.1"),
          lib("org.apache.httpcomponents:httpclient", "4.5.9 4.5.10 4.5.11 4.5.12 4.5.13 4.5.14"),
          lib("org.jsoup:jsoup", "1.19.1 1.20.1 1.21.1 1.21.2 1.22.1 1.22.2"),
          lib("commons-codec:commons-codec", "1.17.0 1.17.1 1.17.2 1.18.0 1.19.0 1.20.0"),
          lib("com.thoughtworks.xstream:xstream", "1.4.16 1.4.17 1.4.18 1.4.19 1.4.20 1.4.21"),
          lib("org.postgresql:postgresql", "42.7.5 42.7.6 42.7.7 42.7.8 42.7.9 42.7.10"),
          lib("ch.qos.logback:logback-classic", "1.5.35 1.5.36 1.5.37 1.5.38 1.6.0 1.6.1"));

  private static Library lib(String coordinates, String versions) {
    String[] ga = coordinates.split(":");
    return new Library(ga[0], ga[1], List.of(versions.split(" ")));
  }
}
