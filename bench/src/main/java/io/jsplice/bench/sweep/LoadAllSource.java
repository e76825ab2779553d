package io.jsplice.bench.sweep;

/**
 * The program a target JVM of the sweep runs: it loads every class of the given jars that can load
 * (without initializing them, which could need a service the library talks to), says how many, and
 * waits for a line on stdin before it exits.
 */
final class LoadAllSource {
  private LoadAllSource() {}

  static final String SOURCE =
      """
      import java.util.*;
      import java.util.zip.*;
      public class LoadAll {
        public static void main(String[] jars) throws Exception {
          int loaded = 0, total = 0;
          for (String jar : jars) {
            try (ZipFile zip = new ZipFile(jar)) {
              for (ZipEntry e : Collections.list(zip.entries())) {
                String n = e.getName();
                if (!n.endsWith(".class") || n.startsWith("META-INF/") || n.endsWith("module-info.class")) continue;
                total++;
                try {
                  Class.forName(n.substring(0, n.length() - 6).replace('/', '.'), false, LoadAll.class.getClassLoader());
                  loaded++;
                } catch (Throwable t) {
                  // a class that needs an absent optional dependency: not loaded, patched if it loads later
                }
              }
            }
          }
          System.out.println("ready loaded=" + loaded + " of " + total);
          new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine();
        }
      }
      """;
}
