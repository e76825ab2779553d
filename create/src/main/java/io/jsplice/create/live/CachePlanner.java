package io.jsplice.create.live;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Finds static caches that hold objects built by code an update changes, so that the agent can drop
 * them and let the fixed code rebuild them on demand. A cache is a static map or collection whose
 * generic type names the class as an element or value type, e.g. Spring's {@code
 * ConcurrentMap<Class<?>, CachedIntrospectionResults> strongClassCache}: after a fix to the
 * constructor of {@code CachedIntrospectionResults}, the cached results still carry the old
 * behaviour until the cache is cleared.
 */
final class CachePlanner {
  private CachePlanner() {}

  /** A static field holding a cache. */
  record Cache(String owner, String field) {}

  /**
   * @param builtClass internal name of the class whose construction changed
   * @param classes every class of the fixed release, by internal name
   */
  static List<Cache> cachesOf(
      String builtClass, Set<String> classes, PostView post, ClassHierarchy hierarchy) {
    List<Cache> found = new ArrayList<>();
    String typeArgument = "L" + builtClass + ";";
    for (String name : classes) {
      byte[] bytes = post.bytes(name);
      if (bytes == null) {
        continue;
      }
      new ClassReader(bytes)
          .accept(
              new ClassVisitor(Opcodes.ASM9) {
                @Override
                public FieldVisitor visitField(
                    int access, String field, String descriptor, String signature, Object value) {
                  if ((access & Opcodes.ACC_STATIC) != 0
                      && signature != null
                      && signature.contains("<")
                      && signature.contains(typeArgument)
                      && isContainer(descriptor, hierarchy)) {
                    found.add(new Cache(name, field));
                  }
                  return null;
                }
              },
              ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    }
    return found;
  }

  private static boolean isContainer(String descriptor, ClassHierarchy hierarchy) {
    Type type = Type.getType(descriptor);
    if (type.getSort() != Type.OBJECT) {
      return false;
    }
    String name = type.getInternalName();
    return hierarchy.isSubtype(name, "java/util/Map")
        || hierarchy.isSubtype(name, "java/util/Collection");
  }
}
