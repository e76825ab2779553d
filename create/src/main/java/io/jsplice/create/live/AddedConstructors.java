package io.jsplice.create.live;

import static io.jsplice.create.live.LivePlanner.dotted;
import static io.jsplice.create.live.LivePlanner.read;

import io.jsplice.create.live.ConstructorSites.Kind;
import io.jsplice.create.live.ConstructorSites.Site;
import io.jsplice.create.live.LoweredConstructors.Carrier;
import io.jsplice.create.live.LoweredConstructors.Lowered;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Decides how the update's code gets the constructors a stock JVM cannot add to a loaded class.
 *
 * <p>An added constructor that some code of the update calls runs inside an existing constructor of
 * its class, the carrier ({@link ConstructorLowering}, {@link
 * io.jsplice.bootstrap.ConstructorCall}): its body runs unchanged in a real constructor, so its
 * super call, its final fields and its field initializers behave exactly as in the fixed release.
 * Callers reach the carrier with {@code new} (through an access bridge where the carrier is private
 * to them) or with their own super call. A class the update adds whose super call may not reach the
 * carrier (a private constructor of a class compiled before nests, or outside the running nest) is
 * built by factories instead ({@link ConstructorFactories}). An existing subclass in that position
 * is refused. An added constructor that no code of the update calls is left out.
 */
final class AddedConstructors {
  private final UpdateClasses update;
  private final InstalledWorld world;
  private final String updateId;

  /** Per host: why an added constructor cannot be installed, keyed by member key. */
  private final Map<String, Map<String, String>> refused = new LinkedHashMap<>();

  /** Per added class built by factories: why it cannot be, if so. */
  private final Map<String, String> factoryRefusals = new LinkedHashMap<>();

  private final Map<String, ClassNode> postNodes = new HashMap<>();

  private AddedConstructors(UpdateClasses update, InstalledWorld world, String updateId) {
    this.update = update;
    this.world = world;
    this.updateId = updateId;
  }

  /** Decides every added constructor of the update's modified classes, into {@code world}. */
  static AddedConstructors decide(UpdateClasses update, InstalledWorld world, String updateId) {
    AddedConstructors out = new AddedConstructors(update, world, updateId);
    Set<String> factoryBuilt = new LinkedHashSet<>();
    for (Map.Entry<String, SchemaComparison> e : update.schemas.entrySet()) {
      out.decideHost(e.getKey(), e.getValue(), factoryBuilt);
    }
    out.addOutOfReachSuperCalls(factoryBuilt);
    out.closeOverSubclasses(factoryBuilt);
    for (String s : factoryBuilt) {
      String why = ConstructorFactories.whyNot(out.post(s), world);
      if (why != null) {
        out.factoryRefusals.put(s, why);
      }
      world.constructors.buildByFactories(s, constructorDescriptors(out.post(s)));
    }
    out.refuseHandles();
    return out;
  }

  private void decideHost(String host, SchemaComparison schema, Set<String> factoryBuilt) {
    if (schema.addedConstructors.isEmpty()) {
      return;
    }
    Map<String, List<Caller>> callersByCtor = new LinkedHashMap<>();
    for (MethodNode ctor : schema.addedConstructors.values()) {
      List<Caller> callers = callersOf(host, ctor.desc);
      if (!callers.isEmpty()) {
        callersByCtor.put(ctor.desc, callers);
      }
    }
    if (callersByCtor.isEmpty()) {
      return; // left out: nothing calls them
    }
    Carrier carrier = chooseCarrier(schema.pre);
    if (carrier == null) {
      callersByCtor
          .keySet()
          .forEach(d -> refuse(host, "<init>" + d, "the class has no constructor to run it in"));
      return;
    }
    int index = 0;
    for (Map.Entry<String, List<Caller>> e : callersByCtor.entrySet()) {
      String key = "<init>" + e.getKey();
      MethodNode ctor = schema.addedConstructors.get(key);
      String why = ConstructorLowering.whyNotMergeable(host, ctor);
      if (why == null) {
        why = checkCallers(host, carrier, e.getValue(), factoryBuilt);
      }
      if (why != null) {
        refuse(host, key, why);
        continue;
      }
      world.constructors.lower(
          new Lowered(host, e.getKey(), index++, Companions.companionName(host, updateId)));
    }
    if (index > 0) {
      world.constructors.carrier(carrier);
    }
  }

  /** Null if every caller can reach the carrier (new classes by factories), else why not. */
  private String checkCallers(
      String host, Carrier carrier, List<Caller> callers, Set<String> factoryBuilt) {
    for (Caller c : callers) {
      if (c.kind() == Kind.OTHER) {
        return dotted(c.name())
            + " calls it in code jsplice does not rewrite (the object is not"
            + " made by new and dup)";
      }
      if (c.kind() == Kind.SUPER_OR_THIS
          && !c.name().equals(host)
          && !world.merged.isMerged(c.name())
          && !LoweredConstructors.mayCall(carrier.access(), c.name(), host, true, world)) {
        if (update.added.containsKey(c.name())) {
          factoryBuilt.add(c.name());
        } else {
          return "the loaded subclass "
              + dotted(c.name())
              + " calls it, and the constructor "
              + carrier.descriptor()
              + " that would run it is out of that subclass's reach";
        }
      }
    }
    return null;
  }

  /**
   * An existing constructor to run added ones in: the one most callers may reach (public, then
   * protected, then package access, then private), with the fewest parameters.
   */
  private static Carrier chooseCarrier(ClassNode pre) {
    MethodNode best = null;
    for (MethodNode m : pre.methods) {
      if (!m.name.equals("<init>")) {
        continue;
      }
      if (best == null
          || rank(m) < rank(best)
          || (rank(m) == rank(best) && params(m) < params(best))) {
        best = m;
      }
    }
    return best == null ? null : new Carrier(pre.name, best.desc, best.access);
  }

  private static int rank(MethodNode m) {
    if ((m.access & Opcodes.ACC_PUBLIC) != 0) {
      return 0;
    }
    if ((m.access & Opcodes.ACC_PROTECTED) != 0) {
      return 1;
    }
    return (m.access & Opcodes.ACC_PRIVATE) != 0 ? 3 : 2;
  }

  private static int params(MethodNode m) {
    return org.objectweb.asm.Type.getArgumentTypes(m.desc).length;
  }

  /**
   * Added classes whose super call reaches an existing constructor that is private to them in the
   * running JVM (javac made them nestmates of their host, which the loaded host does not list).
   */
  private void addOutOfReachSuperCalls(Set<String> factoryBuilt) {
    for (String name : update.added.keySet()) {
      ClassNode node = post(name);
      if (node.superName == null
          || !update.pairs.containsKey(node.superName)
          || world.merged.isMerged(name)) {
        continue;
      }
      for (MethodNode m : node.methods) {
        if (!m.name.equals("<init>")) {
          continue;
        }
        for (Site site : ConstructorSites.of(name, m)) {
          if (site.kind() != Kind.SUPER_OR_THIS || !site.call().owner.equals(node.superName)) {
            continue;
          }
          int access = world.installed.access(node.superName, "<init>" + site.call().desc);
          if (access >= 0
              && !LoweredConstructors.mayCall(access, name, node.superName, true, world)) {
            factoryBuilt.add(name);
          }
        }
      }
    }
  }

  /** A class the update adds that extends a factory-built one is built by factories too. */
  private void closeOverSubclasses(Set<String> factoryBuilt) {
    boolean grew = true;
    while (grew) {
      grew = false;
      for (String name : update.added.keySet()) {
        if (!factoryBuilt.contains(name)
            && !world.merged.isMerged(name)
            && factoryBuilt.contains(post(name).superName)) {
          factoryBuilt.add(name);
          grew = true;
        }
      }
    }
  }

  /** Constructor references ({@code X::new}) to lowered or factory-built constructors. */
  private void refuseHandles() {
    for (String name : update.touched()) {
      for (MethodNode m : post(name).methods) {
        for (AbstractInsnNode insn : m.instructions) {
          for (Object constant : constants(insn)) {
            if (constant instanceof Handle h
                && h.getTag() == Opcodes.H_NEWINVOKESPECIAL
                && (world.constructors.lowered(h.getOwner(), h.getDesc()) != null
                    || world.constructors.isFactoryBuilt(h.getOwner()))
                && !world.merged.isMerged(h.getOwner())) {
              String why =
                  dotted(name)
                      + " refers to it as a method handle ("
                      + dotted(h.getOwner())
                      + "::new), which jsplice cannot point elsewhere";
              if (update.added.containsKey(h.getOwner())) {
                factoryRefusals.put(h.getOwner(), why);
              } else {
                refuse(h.getOwner(), "<init>" + h.getDesc(), why);
              }
            }
          }
        }
      }
    }
  }

  private static List<Object> constants(AbstractInsnNode insn) {
    List<Object> out = new ArrayList<>();
    if (insn instanceof InvokeDynamicInsnNode indy) {
      out.addAll(List.of(indy.bsmArgs));
    } else if (insn instanceof LdcInsnNode ldc) {
      out.add(ldc.cst);
    }
    return out;
  }

  private record Caller(String name, Kind kind) {}

  /** The update's classes whose code calls {@code owner.<init>desc}, one entry per kind of site. */
  private List<Caller> callersOf(String owner, String desc) {
    List<Caller> out = new ArrayList<>();
    for (String name : update.touched()) {
      Set<Kind> kinds = new LinkedHashSet<>();
      for (MethodNode m : post(name).methods) {
        if (!ConstructorSites.calls(m, owner, desc)) {
          continue; // analyzing every method of a large release would take minutes
        }
        for (Site site : sites(name, m)) {
          if (site.call().owner.equals(owner) && site.call().desc.equals(desc)) {
            kinds.add(site.kind());
          }
        }
      }
      kinds.forEach(k -> out.add(new Caller(name, k)));
    }
    return out;
  }

  private final Map<MethodNode, List<Site>> sites = new HashMap<>();

  /** The method's constructor calls, analyzed once. */
  private List<Site> sites(String owner, MethodNode m) {
    return sites.computeIfAbsent(m, k -> ConstructorSites.of(owner, k));
  }

  private ClassNode post(String name) {
    return postNodes.computeIfAbsent(name, n -> read(update.post.bytes(n)));
  }

  private static Set<String> constructorDescriptors(ClassNode node) {
    Set<String> out = new LinkedHashSet<>();
    node.methods.stream().filter(m -> m.name.equals("<init>")).forEach(m -> out.add(m.desc));
    return out;
  }

  private void refuse(String host, String key, String why) {
    refused.computeIfAbsent(host, h -> new LinkedHashMap<>()).put(key, why);
  }

  /** Whether the host has added constructors lowered into its carrier. */
  boolean lowersAny(String host) {
    return !world.constructors.loweredOf(host).isEmpty();
  }

  /** Why the host's added constructors cannot be installed, one sentence each. */
  List<String> refusals(String host) {
    List<String> out = new ArrayList<>();
    refused
        .getOrDefault(host, Map.of())
        .forEach(
            (ctor, why) ->
                out.add(
                    dotted(host)
                        + " adds the constructor "
                        + ctor
                        + " that the fixed code calls, and "
                        + why));
    return out;
  }

  /** Why an added class cannot be built by factories; null if it can or need not be. */
  String factoryRefusal(String added) {
    return factoryRefusals.get(added);
  }

  /** What an operator should know about the host's added constructors. */
  List<String> notes(String host, SchemaComparison schema) {
    List<String> out = new ArrayList<>();
    for (String ctor : schema.addedConstructors.keySet()) {
      boolean isRefused = refused.getOrDefault(host, Map.of()).containsKey(ctor);
      boolean isLowered =
          world.constructors.lowered(host, ctor.substring("<init>".length())) != null;
      if (!isRefused && !isLowered) {
        out.add(
            "the constructor "
                + ctor
                + " that the release adds is left out: no code of the update calls it");
      }
    }
    Carrier carrier = world.constructors.carrier(host);
    if (carrier != null) {
      out.add(
          "added constructors "
              + world.constructors.loweredOf(host).stream()
                  .map(l -> "<init>" + l.descriptor())
                  .toList()
              + " run inside the existing constructor <init>"
              + carrier.descriptor()
              + ", which takes a request before its own code");
    }
    return out;
  }
}
