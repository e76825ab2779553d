import com.thoughtworks.xstream.XStream;
import com.thoughtworks.xstream.mapper.CachingMapper;
import com.thoughtworks.xstream.mapper.Mapper;
import com.thoughtworks.xstream.mapper.SecurityMapper;
import com.thoughtworks.xstream.security.AnyTypePermission;
import com.thoughtworks.xstream.security.ExplicitTypePermission;
import com.thoughtworks.xstream.security.NoPermission;
import com.thoughtworks.xstream.security.RegExpTypePermission;
import com.thoughtworks.xstream.security.TypeHierarchyPermission;
import com.thoughtworks.xstream.security.TypePermission;
import io.jsplice.bootstrap.HookContext;
import io.jsplice.bootstrap.UpdateHook;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.WeakHashMap;
import java.util.regex.Pattern;

/**
 * XStream 1.4.16 denies the gadget types of CVE-2021-21344 (and its siblings) in the security setup
 * its constructor runs; an XStream built before the update keeps the permissions 1.4.15's setup
 * gave it. That setup cannot simply run again: it starts with addPermission(ANY), which clears
 * every permission, the program's own included.
 *
 * <p>The permissions of an XStream are an ordered list: addPermission puts each at the front, and
 * the first that decides (allows, or denies by throwing) wins. The setup runs in the constructor,
 * first, and starts by clearing, so what it built is the bottom of the list, below every permission
 * the program added since; unless the program cleared the list itself (addPermission(ANY) or
 * NONE), in which case 1.4.16 would have lost the setup's permissions just the same. So for each
 * XStream on the heap whose bottom four permissions are exactly what 1.4.15's setup builds, this
 * hook puts in their place what 1.4.16's setup builds (taken from an XStream the fixed constructor
 * builds here), keeping the program's permissions above them: the list 1.4.16's constructor
 * followed by the program's own calls gives. A type the program explicitly allowed stays allowed,
 * as with 1.4.16. It clears the mapper's cache of resolved classes, so a class resolved before the
 * update is checked again. Before an undo it puts 1.4.15's permissions back.
 */
public class XStreamSecuritySetup implements UpdateHook {
  /** What 1.4.15's setupSecurity() builds, bottom of the list last. */
  private static final int OLD_SETUP_SIZE = 4;

  /** Per XStream changed: the permissions 1.4.15 gave it and those put in their place. */
  private final Map<XStream, List<List<TypePermission>>> changed = new WeakHashMap<>();

  @Override
  public void afterApply(HookContext context) throws Exception {
    List<XStream> existing = context.objectsOf(XStream.class);
    List<TypePermission> fixedSetup = permissions(securityMapper(new XStream()));
    List<String> oldSetup = describe(oldSetup());
    int kept = 0;
    for (XStream xstream : existing) {
      SecurityMapper mapper = securityMapper(xstream);
      if (mapper == null) {
        continue; // built without security: neither release sets any up
      }
      List<TypePermission> now = permissions(mapper);
      int bottom = now.size() - OLD_SETUP_SIZE;
      if (bottom < 0 || !describe(now.subList(bottom, now.size())).equals(oldSetup)) {
        kept++; // the program cleared the setup's permissions: 1.4.16 keeps none of its either
        continue;
      }
      List<TypePermission> fixed = new ArrayList<>(now.subList(0, bottom));
      fixed.addAll(fixedSetup);
      setPermissions(mapper, fixed);
      changed.put(
          xstream,
          List.of(List.copyOf(now.subList(bottom, now.size())), List.copyOf(fixedSetup)));
      flushCache(xstream);
    }
    context.log(
        "gave "
            + changed.size()
            + " XStream(s) 1.4.16's security setup; "
            + kept
            + " had none of 1.4.15's left");
  }

  @Override
  public void beforeUndo(HookContext context) throws Exception {
    int restored = 0;
    for (Map.Entry<XStream, List<List<TypePermission>>> e : changed.entrySet()) {
      SecurityMapper mapper = securityMapper(e.getKey());
      List<TypePermission> now = permissions(mapper);
      List<TypePermission> old = e.getValue().get(0);
      List<TypePermission> given = e.getValue().get(1);
      int bottom = now.size() - given.size();
      if (bottom < 0 || !sameObjects(now.subList(bottom, now.size()), given)) {
        continue; // the program cleared them since: 1.4.15 would have lost its own the same way
      }
      List<TypePermission> back = new ArrayList<>(now.subList(0, bottom));
      back.addAll(old);
      setPermissions(mapper, back);
      flushCache(e.getKey());
      restored++;
    }
    context.log("gave " + restored + " XStream(s) 1.4.15's security setup back");
    changed.clear();
  }

  /** The permissions 1.4.15's setupSecurity() builds, in the order of the list. */
  private static List<TypePermission> oldSetup() throws ReflectiveOperationException {
    return List.of(
        new TypeHierarchyPermission(Exception.class),
        new NoPermission(
            new RegExpTypePermission(
                new Pattern[] {
                  pattern("LAZY_ITERATORS"), pattern("JAVAX_CRYPTO"), pattern("JAXWS_FILE_STREAM")
                })),
        new NoPermission(
            new ExplicitTypePermission(
                new String[] {
                  "java.beans.EventHandler",
                  "java.lang.ProcessBuilder",
                  "javax.imageio.ImageIO$ContainsFilter",
                  "jdk.nashorn.internal.objects.NativeString"
                })),
        AnyTypePermission.ANY);
  }

  private static Pattern pattern(String field) throws ReflectiveOperationException {
    Field f = XStream.class.getDeclaredField(field);
    f.setAccessible(true);
    return (Pattern) f.get(null);
  }

  private static SecurityMapper securityMapper(XStream xstream)
      throws ReflectiveOperationException {
    Field f = XStream.class.getDeclaredField("securityMapper");
    f.setAccessible(true);
    return (SecurityMapper) f.get(xstream);
  }

  @SuppressWarnings("unchecked")
  private static List<TypePermission> permissions(SecurityMapper mapper)
      throws ReflectiveOperationException {
    return new ArrayList<>((List<TypePermission>) permissionsField().get(mapper));
  }

  /**
   * Swaps the whole list, as one write: a thread resolving a class meanwhile reads either list
   * (editing the list in place could make it fail on an index that just went away).
   */
  private static void setPermissions(SecurityMapper mapper, List<TypePermission> permissions)
      throws ReflectiveOperationException {
    permissionsField().set(mapper, permissions);
  }

  private static Field permissionsField() throws NoSuchFieldException {
    Field f = SecurityMapper.class.getDeclaredField("permissions");
    f.setAccessible(true);
    return f;
  }

  private static void flushCache(XStream xstream) {
    Mapper caching = xstream.getMapper().lookupMapperOfType(CachingMapper.class);
    if (caching != null) {
      ((CachingMapper) caching).flushCache();
    }
  }

  private static boolean sameObjects(List<TypePermission> a, List<TypePermission> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (a.get(i) != b.get(i)) {
        return false;
      }
    }
    return true;
  }

  /** Each permission as what it is built from: its class and fields, deeply (none has equals). */
  private static List<String> describe(List<TypePermission> permissions) throws Exception {
    List<String> out = new ArrayList<>();
    for (TypePermission p : permissions) {
      out.add(describe(p));
    }
    return out;
  }

  private static String describe(Object o) throws IllegalAccessException {
    if (o == null) {
      return "null";
    }
    if (o instanceof Pattern p) {
      return "/" + p.pattern() + "/" + p.flags();
    }
    if (o instanceof Class<?> c) {
      return c.getName();
    }
    if (o instanceof String s) {
      return '"' + s + '"';
    }
    if (o.getClass().isArray()) {
      List<String> items = new ArrayList<>();
      for (int i = 0; i < Array.getLength(o); i++) {
        items.add(describe(Array.get(o, i)));
      }
      return items.toString();
    }
    if (o instanceof Collection<?> c) {
      TreeSet<String> items = new TreeSet<>();
      for (Object item : c) {
        items.add(describe(item));
      }
      return "{" + String.join(", ", items) + "}";
    }
    StringBuilder out = new StringBuilder(o.getClass().getName()).append('(');
    for (Field f : o.getClass().getDeclaredFields()) {
      if (!Modifier.isStatic(f.getModifiers())) {
        f.setAccessible(true);
        out.append(f.getName()).append('=').append(describe(f.get(o))).append(' ');
      }
    }
    return out.append(')').toString();
  }
}
