package io.jsplice.protocol.message;

import java.util.List;

/**
 * What the JVM runs, for a fleet's inventory: every library it loaded classes from, as
 * group:artifact:version with the jar it came from, and the updates applied to it.
 *
 * @param libraries one entry per library found in a jar the JVM loaded classes from (a shaded jar
 *     gives one per library it embeds), sorted by jar then coordinates
 * @param applied the applied updates' ids, oldest first
 * @param effective the effective version of each patched library
 * @param loadedClasses how many loaded classes were looked at
 * @param millis how long it took
 */
public record InventoryReply(
    List<Library> libraries,
    List<String> applied,
    List<EffectiveVersion> effective,
    int loadedClasses,
    long millis) {

  /** How the coordinates of a library were found. */
  public enum Evidence {
    /** {@code META-INF/maven/GROUP/ARTIFACT/pom.properties} in the jar. */
    POM_PROPERTIES,
    /** The jar's manifest ({@code Implementation-Title}/{@code -Version}); no group. */
    MANIFEST,
    /** Only the jar's file name, {@code ARTIFACT-VERSION.jar}; no group. */
    FILE_NAME
  }

  /**
   * One library.
   *
   * @param groupId null unless from pom.properties
   * @param artifactId never null
   * @param version may be null
   * @param jar the jar, or for a nested jar {@code outer.jar!/BOOT-INF/lib/x.jar}
   * @param kind {@code jar} or {@code nested jar}
   * @param loadedClasses how many loaded classes came from that jar
   */
  public record Library(
      String groupId,
      String artifactId,
      String version,
      String jar,
      String kind,
      int loadedClasses,
      Evidence evidence) {

    /** {@code group:artifact:version}, with {@code ?} for what is unknown. */
    public String coordinates() {
      return (groupId == null ? "?" : groupId)
          + ":"
          + artifactId
          + ":"
          + (version == null ? "?" : version);
    }
  }
}
