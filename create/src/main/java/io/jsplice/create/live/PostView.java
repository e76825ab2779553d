package io.jsplice.create.live;

import io.jsplice.create.source.ClassSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.commons.ClassRemapper;

/**
 * The fixed release as the running JVM will name it: every post class under its installed name,
 * with synthetic members and renumbered classes renamed back ({@link SyntheticRenames}). Renamed
 * bytes are computed on first use and cached. Not thread-safe; one per plan.
 */
final class PostView {
  private final ClassSet post;
  private final SyntheticRenames renames;
  private final Map<String, String> postNameOf = new HashMap<>(); // installed -> post
  private final Map<String, byte[]> cache = new HashMap<>();

  PostView(ClassSet post, SyntheticRenames renames) {
    this.post = post;
    this.renames = renames;
    for (String name : post.classes().keySet()) {
      postNameOf.put(renames.installedName(name), name);
    }
  }

  /** The renamed class by installed name; null if the fixed release has no such class. */
  byte[] bytes(String installedName) {
    String postName = postNameOf.get(installedName);
    if (postName == null) {
      return null;
    }
    return cache.computeIfAbsent(installedName, n -> rename(post.bytes(postName)));
  }

  Set<String> names() {
    return new TreeSet<>(postNameOf.keySet());
  }

  private byte[] rename(byte[] classFile) {
    if (renames.isEmpty()) {
      return classFile;
    }
    ClassWriter writer = new ClassWriter(0);
    new ClassReader(classFile).accept(new ClassRemapper(writer, renames), 0);
    return writer.toByteArray();
  }
}
