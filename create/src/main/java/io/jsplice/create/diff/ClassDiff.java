package io.jsplice.create.diff;

import io.jsplice.model.Change;
import io.jsplice.model.ChangeKind;
import io.jsplice.model.ClassStatus;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How one class differs between the pre and post versions.
 *
 * <p>Classes are paired by name, except synthetic and anonymous classes ({@code Outer$1}, switch
 * maps), which are paired by content: when javac renumbers them because one was inserted, the post
 * class that matches a pre class's content keeps the pre name ({@link #postName()} differs from
 * {@link #preName()}).
 *
 * <p>Member keys are {@code name + descriptor} for methods ({@code apply(Ljava/lang/String;)Z}) and
 * {@code name + ":" + descriptor} for fields.
 */
public final class ClassDiff {
  private final String preName;
  private final String postName;
  private final ClassStatus status;
  private final byte[] pre;
  private final byte[] post;
  private final List<Change> changes;
  private final Map<String, String> renamedMembers;

  /**
   * @param preName internal name in the pre version; null for an added class
   * @param postName internal name in the post version; null for a removed class
   * @param pre the pre class file; null for an added class
   * @param post the post class file; null for a removed class
   * @param changes every difference, classified, in a stable order (class-level first, then members
   *     by key)
   * @param renamedMembers synthetic members matched by content under a new name: post member key to
   *     pre member key (e.g. {@code lambda$run$1()V} to {@code lambda$run$0()V})
   */
  public ClassDiff(
      String preName,
      String postName,
      ClassStatus status,
      byte[] pre,
      byte[] post,
      List<Change> changes,
      Map<String, String> renamedMembers) {
    this.preName = preName;
    this.postName = postName;
    this.status = Objects.requireNonNull(status, "status");
    this.pre = pre;
    this.post = post;
    this.changes = List.copyOf(changes);
    // Sorted, so that reports list renames in the same order on every run (Map.copyOf does not).
    this.renamedMembers = Collections.unmodifiableMap(new TreeMap<>(renamedMembers));
  }

  /** The name the class is known by in the running JVM: the pre name, or the post name if added. */
  public String name() {
    return preName != null ? preName : postName;
  }

  /** May return null (added class). */
  public String preName() {
    return preName;
  }

  /** May return null (removed class). */
  public String postName() {
    return postName;
  }

  public ClassStatus status() {
    return status;
  }

  /** May return null (added class). */
  public byte[] pre() {
    return pre;
  }

  /** May return null (removed class). */
  public byte[] post() {
    return post;
  }

  public List<Change> changes() {
    return changes;
  }

  /** Post member key to pre member key, in key order. */
  public Map<String, String> renamedMembers() {
    return renamedMembers;
  }

  public boolean has(ChangeKind kind) {
    return changes.stream().anyMatch(c -> c.kind() == kind);
  }

  /** Whether anything but synthetic renames differs. */
  public boolean isSubstantive() {
    return changes.stream().anyMatch(c -> c.kind() != ChangeKind.SYNTHETIC_RENAMED);
  }

  @Override
  public String toString() {
    return status + " " + name() + " " + changes;
  }
}
