package io.jsplice.create.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.create.diff.BytecodeDiff;
import io.jsplice.create.source.ClassSet;
import io.jsplice.model.InstanceAction;
import io.jsplice.model.StateAction;
import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jdk;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which maps and fields of a release the planner clears or resets as caches of results of changed
 * code, and which it leaves alone because dropping them could lose what the program stored or break
 * code that does not compute them again.
 */
class DerivedCachesTest {
  private static final String CHECK =
      """
      package lib;
      import java.util.*;
      public final class Check {
        private static final Set<String> DENIED = new HashSet<>(Arrays.asList("rm"));
        private Check() {}
        public static boolean allowed(String command) { return !DENIED.contains(command); }
      }
      """;

  private static LivePlanner.Plan plan(String holder) {
    Compiler javac = Compiler.with(Jdk.current());
    Map<String, String> pre = new HashMap<>();
    pre.put("lib/Check.java", CHECK);
    pre.put("lib/Holder.java", holder);
    Map<String, String> post = new HashMap<>(pre);
    post.put("lib/Check.java", CHECK.replace("\"rm\"", "\"rm\", \"curl\""));
    return LivePlanner.plan(
        BytecodeDiff.compare(
            new ClassSet("pre", javac.compile(pre), List.of()),
            new ClassSet("post", javac.compile(post), List.of())),
        "u1");
  }

  private static List<String> cleared(LivePlanner.Plan plan) {
    List<String> out = new java.util.ArrayList<>();
    plan.stateActions().stream()
        .filter(a -> a.kind() == StateAction.Kind.CLEAR)
        .forEach(a -> out.add(a.field()));
    plan.instanceActions().stream()
        .filter(
            a ->
                a.kind() == InstanceAction.Kind.CLEAR_CACHE
                    || a.kind() == InstanceAction.Kind.RESET_LAZY)
        .forEach(a -> out.add(a.member()));
    return out;
  }

  @Test
  void aMapFilledOnAMissWithWhatTheChangedCheckSays_isCleared() {
    LivePlanner.Plan plan =
        plan(
            """
            package lib;
            import java.util.*;
            public class Holder {
              private final Map<String, Boolean> cache = new HashMap<>();
              static final Map<String, Boolean> SHARED = new java.util.concurrent.ConcurrentHashMap<>();
              public boolean allowed(String c) {
                Boolean v = cache.get(c);
                if (v == null) { v = Check.allowed(c); cache.put(c, v); }
                return v;
              }
              public static boolean shared(String c) { return SHARED.computeIfAbsent(c, Check::allowed); }
              public int size() { return cache.size(); }
            }
            """);

    assertThat(cleared(plan)).containsExactlyInAnyOrder("cache", "SHARED");
  }

  @Test
  void aMapTheProgramFillsOrReadsWhole_isNoCache() {
    LivePlanner.Plan plan =
        plan(
            """
            package lib;
            import java.util.*;
            public class Holder {
              private final Map<String, Boolean> registered = new HashMap<>();
              private final Map<String, Boolean> listed = new HashMap<>();
              private final Map<String, Boolean> handedOut = new HashMap<>();
              public void register(String c, Boolean v) { registered.put(c, v); }
              public boolean registered(String c) { return registered.get(c) != null && Check.allowed(c); }
              public boolean listed(String c) {
                Boolean v = listed.get(c);
                if (v == null) { v = Check.allowed(c); listed.put(c, v); }
                return v;
              }
              public Set<String> all() { return listed.keySet(); }
              public boolean handedOut(String c) {
                Boolean v = handedOut.get(c);
                if (v == null) { v = Check.allowed(c); handedOut.put(c, v); }
                return v;
              }
              public Map<String, Boolean> view() { return handedOut; }
            }
            """);

    assertThat(cleared(plan)).isEmpty();
  }

  @Test
  void aMapFilledByCodeThatDoesNotReachTheChange_isLeftAlone() {
    LivePlanner.Plan plan =
        plan(
            """
            package lib;
            import java.util.*;
            public class Holder {
              private final Map<String, Integer> lengths = new HashMap<>();
              public int length(String c) {
                Integer v = lengths.get(c);
                if (v == null) { v = c.length(); lengths.put(c, v); }
                return v;
              }
            }
            """);

    assertThat(cleared(plan)).isEmpty();
  }

  @Test
  void aLazyFieldIsReset_onlyWhenEveryReaderTestsItForNull() {
    LivePlanner.Plan lazy =
        plan(
            """
            package lib;
            import java.util.*;
            public class Holder {
              private Boolean curl;
              public boolean curl() {
                if (curl == null) { curl = Check.allowed("curl"); }
                return curl;
              }
              public void forget() { curl = null; }
            }
            """);
    LivePlanner.Plan usedDirectly =
        plan(
            """
            package lib;
            import java.util.*;
            public class Holder {
              private Boolean curl;
              public boolean curl() {
                if (curl == null) { curl = Check.allowed("curl"); }
                return curl;
              }
              public boolean again() { return curl.booleanValue(); }
            }
            """);

    assertThat(cleared(lazy)).containsExactly("curl");
    assertThat(cleared(usedDirectly)).isEmpty();
  }

  /**
   * As Ivy's StatusManager: the map is filled whole, with what the changed code says, when it is
   * null; a lookup that misses answers "unknown" and computes nothing. Emptied, the map would
   * answer "unknown" for every key (Ivy then rejected every module's status), so it is not a cache.
   */
  @Test
  void aMapBuiltWholeWhenMissing_isLeftAlone() {
    LivePlanner.Plan plan =
        plan(
            """
            package lib;
            import java.util.*;
            public class Holder {
              private Map<String, Boolean> known;
              private void fill() {
                known = new HashMap<>();
                for (String c : new String[] {"ls", "rm"}) { known.put(c, Check.allowed(c)); }
              }
              public boolean isKnown(String c) {
                if (known == null) { fill(); }
                return known.containsKey(c);
              }
            }
            """);

    assertThat(cleared(plan)).doesNotContain("known");
  }

  /**
   * As snakeyaml's {@code Resolver.yamlImplicitResolvers}: the constructor registers the default
   * entries through a public method that files each under its first character, in a list it adds to
   * (a new one where none is), and the changed code decides what goes in. The map is looked up and
   * filled outside the constructors, with a value no caller gave, but what it holds is gathered in
   * place: cleared (snakeyaml 1.30 to 1.31), the held {@code Yaml} resolved no scalar any more
   * ({@code a: 1} loaded as the string "1", after undo too): a lookup that misses answers "no
   * entry", and nothing adds the entries again.
   */
  @Test
  void aMapOfListsAddedTo_isNoCache() {
    LivePlanner.Plan plan =
        plan(
            """
            package lib;
            import java.util.*;
            public class Holder {
              private final Map<Character, List<String>> table = new HashMap<>();
              public Holder() { addDefaults(); }
              protected void addDefaults() { add('r', "rm"); add('l', "ls"); }
              public void add(char first, String c) {
                List<String> list = table.get(first);
                if (list == null) { list = new ArrayList<>(); table.put(first, list); }
                if (Check.allowed(c)) { list.add(c); }
              }
              public boolean known(String c) {
                List<String> list = table.get(c.charAt(0));
                return list != null && list.contains(c);
              }
            }
            """);

    assertThat(cleared(plan)).doesNotContain("table");
  }

  /**
   * As commons-compress's dump archive reader: the map files each directory entry the stream read
   * under the inode number read with it, and a lookup that misses answers "not known yet" (the
   * entry waits for its parent). Emptied while a stream is read, every later entry waits forever:
   * the archive ends early. A key read from the object's state, that the filling method did not
   * look up, is no question the library answers again.
   */
  @Test
  void aMapOfWhatTheObjectRead_keyedByWhatItRead_isNoCache() {
    LivePlanner.Plan plan =
        plan(
            """
            package lib;
            import java.util.*;
            public class Holder {
              private final Map<Integer, String> names = new HashMap<>();
              private final Map<String, Boolean> asked = new HashMap<>();
              private final byte[] record = new byte[8];
              private final java.io.InputStream in;
              public Holder(java.io.InputStream in) { this.in = in; names.put(2, "."); }
              public void readEntry() throws java.io.IOException {
                in.read(record);
                String name = new String(record, 2, record[1]);
                if (Check.allowed(name)) { names.put((int) record[0], name); }
              }
              public String path(int ino) { return names.containsKey(ino) ? names.get(ino) : null; }
              public boolean allowed(int at) {
                String c = new String(record, at, 2);
                Boolean v = asked.get(c);
                if (v == null) { v = Check.allowed(c); asked.put(c, v); }
                return v;
              }
            }
            """);

    assertThat(cleared(plan)).containsExactly("asked");
  }

  /**
   * As bcel's {@code ConstantPoolGen}: a map from each constant to the position the object gave it,
   * its counter's value then, is an index of what the object holds, not a memo: emptied, the object
   * would add every constant again at a new position.
   */
  @Test
  void aMapOfPositionsTakenFromACounterTheFillAdvances_isNoCache() {
    LivePlanner.Plan plan =
        plan(
            """
            package lib;
            import java.util.*;
            public class Holder {
              private final Map<String, Integer> positions = new HashMap<>();
              private final Map<String, Boolean> asked = new HashMap<>();
              private final String[] constants = new String[64];
              private int index = 1;
              public int add(String c) {
                Integer at = positions.get(c);
                if (at != null) { return at; }
                if (!Check.allowed(c)) { throw new IllegalArgumentException(c); }
                int ret = index;
                constants[index++] = c;
                positions.put(c, Integer.valueOf(ret));
                return ret;
              }
              public boolean allowed(String c) {
                Boolean v = asked.get(c);
                if (v == null) { v = Check.allowed(c); asked.put(c, v); }
                return v;
              }
            }
            """);

    assertThat(cleared(plan)).containsExactly("asked");
  }

  /**
   * As protobuf's {@code ExtensionWriter.next} and commons-io's {@code
   * ReaderInputStream.lastCoderResult}: every read tests the field for null, but the method that
   * stores it replaces a value it found there (a cursor advancing, the last result): the field is
   * the object's progress. Reset, a writer alive at the apply would skip what it had left to write.
   * The lazy getter beside it is still reset.
   */
  @Test
  void aFieldAdvancedWhileItHoldsAValue_isNoLazyField() {
    LivePlanner.Plan plan =
        plan(
            """
            package lib;
            import java.util.*;
            public class Holder {
              private final Iterator<String> names;
              private String next;
              private Boolean curl;
              public Holder(List<String> names) {
                this.names = names.iterator();
                if (this.names.hasNext()) { next = this.names.next(); }
              }
              public int writeUntil(String end) {
                int written = 0;
                while (next != null && next.compareTo(end) < 0) {
                  if (Check.allowed(next)) { written++; }
                  next = names.hasNext() ? names.next() : null;
                }
                return written;
              }
              public boolean curl() {
                if (curl == null) { curl = Check.allowed("curl"); }
                return curl;
              }
              private Boolean shell;
              public boolean shell(String how) {
                boolean other = false;
                if (shell != null) {
                  if (how.equals("sh")) { return shell; }
                  other = true;
                }
                if (other || how.isEmpty()) { throw new IllegalStateException(how); }
                shell = Check.allowed(how);
                return shell;
              }
            }
            """);

    assertThat(cleared(plan)).containsExactlyInAnyOrder("curl", "shell");
  }

  /**
   * As protobuf 3.25.5's {@code Descriptors$EnumDescriptor.cleanupQueue}: a field that a method
   * reaching the change sets, where it is null, to a new empty JDK object (a reference queue,
   * created with the map of values handed out for unknown numbers) holds nothing the changed code
   * computed. A reset made the next lookup build a new queue and a new map, so a value handed out
   * before the apply and one handed out after were different objects. The lazy getter beside it is
   * still reset.
   */
  @Test
  void aFieldSetToAnEmptyJdkObjectWhereNull_isNoLazyField() {
    LivePlanner.Plan plan =
        plan(
            """
            package lib;
            import java.lang.ref.ReferenceQueue;
            import java.util.*;
            public class Holder {
              private ReferenceQueue<Object> queue;
              private Map<Integer, Object> unknown;
              private Boolean curl;
              public synchronized Object unknown(int n) {
                if (queue == null) {
                  queue = new ReferenceQueue<>();
                  unknown = new HashMap<>();
                }
                Object o = unknown.get(n);
                if (o == null) {
                  o = Check.allowed("x" + n) ? "allowed " + n : "denied " + n;
                  unknown.put(n, o);
                }
                return o;
              }
              public boolean curl() {
                if (curl == null) { curl = Check.allowed("curl"); }
                return curl;
              }
              private List<Boolean> checked;
              public synchronized boolean check(String c) {
                if (checked == null) { checked = new ArrayList<>(); }
                boolean allowed = Check.allowed(c);
                checked.add(allowed);
                return allowed;
              }
            }
            """);

    assertThat(cleared(plan))
        .as("an empty list made where null may be filled with what the changed code computes")
        .contains("curl", "checked")
        .doesNotContain("queue");
  }
}
