package io.jsplice.create;

import io.jsplice.create.source.ClassSet;
import java.util.LinkedHashMap;
import java.util.Map;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * For an in-force subset: the private {@code writeObject} and {@code writeReplace} methods the
 * fixed release adds to classes the vulnerable release has too (commons-net 3.9.0's "Serialization
 * is not supported" on FTPFile, ListenerList...). Java serialization finds them by reflection on
 * the loaded class, where a method added live is not, so the running JVM would keep serializing
 * those objects as before: such a method cannot be in force until a restart. Being private, nothing
 * else calls it, so leaving out the method alone keeps the rest of its class, and the update stays
 * consistent. (An added {@code readObject} that only refuses is in force as the JDK's
 * deserialization filter, and stays.)
 */
final class AddedSerialWriters {
  private static final String WRITE_OBJECT = "writeObject(Ljava/io/ObjectOutputStream;)V";
  private static final String WRITE_REPLACE = "writeReplace()Ljava/lang/Object;";

  private AddedSerialWriters() {}

  /**
   * @param post the fixed release without those methods
   * @param leftOut each method left out ({@code dotted.Class.method(desc)}) and why
   */
  record Result(ClassSet post, Map<String, String> leftOut) {}

  static Result leaveOut(ClassSet pre, ClassSet post) {
    Map<String, byte[]> classes = new LinkedHashMap<>(post.classes());
    Map<String, String> leftOut = new LinkedHashMap<>();
    for (Map.Entry<String, byte[]> e : post.classes().entrySet()) {
      byte[] before = pre.bytes(e.getKey());
      if (before == null) {
        continue; // a class the update adds is defined whole: serialization finds its methods
      }
      ClassNode old = node(before, ClassReader.SKIP_CODE);
      ClassNode now = node(e.getValue(), 0);
      boolean removed =
          now.methods.removeIf(
              m -> {
                String key = m.name + m.desc;
                boolean drop =
                    (key.equals(WRITE_OBJECT) || key.equals(WRITE_REPLACE))
                        && (m.access & (Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC))
                            == Opcodes.ACC_PRIVATE
                        && !has(old, key);
                if (drop) {
                  leftOut.put(
                      now.name.replace('/', '.') + "." + key,
                      "added "
                          + m.name
                          + ": Java serialization finds it by reflection on the loaded class, where"
                          + " a method added live is not, so it is not in force until a restart;"
                          + " it is private, so nothing else calls it");
                }
                return drop;
              });
      if (removed) {
        ClassWriter w = new ClassWriter(0);
        now.accept(w);
        classes.put(e.getKey(), w.toByteArray());
      }
    }
    return new Result(new ClassSet(post.origin(), classes, post.artifacts()), leftOut);
  }

  private static ClassNode node(byte[] bytes, int flags) {
    ClassNode n = new ClassNode();
    new ClassReader(bytes).accept(n, flags);
    return n;
  }

  private static boolean has(ClassNode c, String key) {
    for (MethodNode m : c.methods) {
      if ((m.name + m.desc).equals(key)) {
        return true;
      }
    }
    return false;
  }
}
