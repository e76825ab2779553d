package io.jsplice.create.live;

import io.jsplice.create.UpdateCreator;
import io.jsplice.create.source.ClassSet;
import io.jsplice.model.ClassUpdate;
import io.jsplice.model.UpdatePackage;
import io.jsplice.testkit.BytesLoader;
import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jdk;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * An update built from two versions of a few sources, and the running release as jsplice installs
 * it: the installed classes (patched, companions, added) first, the vulnerable release's classes
 * for the rest, in a class loader of their own, so the JVM verifies, links and runs what the update
 * would put in a running JVM. Sources are compiled by the given JDK's javac.
 */
record InstalledRelease(
    UpdatePackage update, Map<String, byte[]> pre, UpdateCreator.Created created) {

  static InstalledRelease build(Jdk jdk, Map<String, String> pre, Map<String, String> post)
      throws Exception {
    return build(jdk, pre, post, false);
  }

  static InstalledRelease build(
      Jdk jdk, Map<String, String> pre, Map<String, String> post, boolean liveSubset)
      throws Exception {
    return build(jdk, pre, post, r -> r.withLiveSubset(liveSubset));
  }

  /** Built from the request {@code options} makes of a plain one (a live subset, for example). */
  static InstalledRelease build(
      Jdk jdk,
      Map<String, String> pre,
      Map<String, String> post,
      java.util.function.UnaryOperator<UpdateCreator.Request> options)
      throws Exception {
    Map<String, byte[]> preClasses = javac(jdk).compile(pre);
    Map<String, byte[]> postClasses = javac(jdk).compile(post);
    UpdateCreator.Created created =
        UpdateCreator.create(
            new ClassSet("pre", preClasses, List.of()),
            new ClassSet("post", postClasses, List.of()),
            options.apply(new UpdateCreator.Request("test", "", List.of(), List.of())));
    return new InstalledRelease(created.update(), preClasses, created);
  }

  /**
   * javac of the given JDK; class files a newer JDK makes are written for this test JVM's release
   * (their code shapes stay the newer javac's) so that they can be loaded and run here.
   */
  static Compiler javac(Jdk jdk) {
    int here = Runtime.version().feature();
    return jdk.feature() > here
        ? Compiler.with(jdk).options("--release", Integer.toString(here))
        : Compiler.with(jdk);
  }

  ClassUpdate entry(String name) {
    return update
        .update()
        .classUpdate(name)
        .orElseThrow(() -> new AssertionError(name + " is not in the update"));
  }

  /** A fresh loader with the installed classes first, then the pre classes. */
  ClassLoader installed() {
    Map<String, byte[]> classes = new HashMap<>();
    pre.forEach((n, b) -> classes.put(n.replace('/', '.'), b));
    for (ClassUpdate c : update.update().classes()) {
      update.installBytes(c.name()).ifPresent(b -> classes.put(c.name(), b));
    }
    return new BytesLoader(classes, InstalledRelease.class.getClassLoader());
  }

  /** A fresh loader with the vulnerable release only. */
  ClassLoader vulnerable() {
    Map<String, byte[]> classes = new HashMap<>();
    pre.forEach((n, b) -> classes.put(n.replace('/', '.'), b));
    return new BytesLoader(classes, InstalledRelease.class.getClassLoader());
  }

  /** Instantiates {@code className} (a Supplier of String) in {@code loader} and asks it. */
  @SuppressWarnings("unchecked")
  static String call(ClassLoader loader, String className) throws Exception {
    Class<?> c = Class.forName(className, true, loader);
    return ((Supplier<String>) c.getConstructor().newInstance()).get();
  }

  /** Links every class the update installs, so that the JVM verifies each. */
  void verifyAll() throws Exception {
    ClassLoader loader = installed();
    for (ClassUpdate c : update.update().classes()) {
      if (update.installBytes(c.name()).isPresent()) {
        Class.forName(c.name(), false, loader).getDeclaredMethods();
      }
    }
  }
}
