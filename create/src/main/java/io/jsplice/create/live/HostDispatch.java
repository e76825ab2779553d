package io.jsplice.create.live;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Methods of loaded classes whose installed body starts by sending some receivers elsewhere: to an
 * override the update adds to a subclass (which the JVM's method tables cannot list), or to the
 * code of a subclass merged into its final superclass ({@link io.jsplice.bootstrap.MergedKinds}).
 * The JVM still selects the host's method for those receivers; its prologue tests each receiver and
 * calls the override's code where it lives, then runs its own body for everyone else.
 *
 * <p>Calls that must reach the host's own body ({@code super.m()} from the override) go to a copy
 * of it in the host's companion ({@link Relocations#superBody}).
 */
final class HostDispatch {
  /**
   * One receiver test of a prologue, most specific first.
   *
   * @param instanceOf the receiver's class must be this (or a subclass); null for a kind test
   * @param kind the receiver's merged kind must be exactly this; null for a class test
   * @param owner the class holding the override's code
   * @param name its static method
   * @param descriptor its descriptor: the receiver (as {@code castTo}) first, then the arguments
   * @param castTo the receiver's type in {@code descriptor}
   */
  record Entry(
      String instanceOf,
      String kind,
      String owner,
      String name,
      String descriptor,
      String castTo) {}

  private final Map<String, Map<String, List<Entry>>> hosts = new LinkedHashMap<>();
  private final Map<String, Map<String, org.objectweb.asm.tree.MethodNode>> originals =
      new LinkedHashMap<>();

  /** Keeps the bodies a host's methods had before their prologue, for its companion. */
  void originals(String host, Map<String, org.objectweb.asm.tree.MethodNode> bodies) {
    originals.put(host, bodies);
  }

  /** The host's bodies before their prologue, by key; empty if none. */
  Map<String, org.objectweb.asm.tree.MethodNode> originals(String host) {
    return originals.getOrDefault(host, Map.of());
  }

  void add(String host, String key, Entry entry) {
    hosts
        .computeIfAbsent(host, h -> new LinkedHashMap<>())
        .computeIfAbsent(key, k -> new ArrayList<>())
        .add(entry);
  }

  /** The host's methods (keys) with a prologue, and their tests; empty if none. */
  Map<String, List<Entry>> of(String host) {
    return hosts.getOrDefault(host, Map.of());
  }

  Set<String> hosts() {
    return hosts.keySet();
  }
}
