package io.jsplice.create.source;

import io.jsplice.model.Artifact;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One version of a body of code: class files keyed by internal name ({@code org/example/Foo}), with
 * where they came from. The pre or post side of an update.
 *
 * <p>Immutable; the byte arrays are shared and must not be modified.
 */
public final class ClassSet {
  private final String origin;
  private final Map<String, byte[]> classes;
  private final List<ArtifactVersion> artifacts;

  /**
   * @param origin what an operator would call it: a jar's file name, Maven coordinates, a folder
   * @param classes class files by internal name
   * @param artifacts the Maven artifacts it holds, when known (from coordinates or the jars' {@code
   *     META-INF/maven/.../pom.properties}); may be empty
   */
  public ClassSet(String origin, Map<String, byte[]> classes, List<ArtifactVersion> artifacts) {
    this.origin = Objects.requireNonNull(origin, "origin");
    this.classes = Collections.unmodifiableMap(new TreeMap<>(classes));
    this.artifacts = List.copyOf(artifacts);
  }

  public String origin() {
    return origin;
  }

  /** Class files by internal name, in name order. */
  public Map<String, byte[]> classes() {
    return classes;
  }

  /** May return null. */
  public byte[] bytes(String internalName) {
    return classes.get(internalName);
  }

  public List<ArtifactVersion> artifacts() {
    return artifacts;
  }

  public int size() {
    return classes.size();
  }

  /**
   * A Maven artifact at one version.
   *
   * @param groupId may be null when only the jar's name is known
   */
  public record ArtifactVersion(String groupId, String artifactId, String version) {
    /** The update's view: this artifact going from this version to {@code to}'s. */
    public Artifact to(ArtifactVersion to) {
      return new Artifact(groupId, artifactId, version, to == null ? null : to.version());
    }
  }
}
