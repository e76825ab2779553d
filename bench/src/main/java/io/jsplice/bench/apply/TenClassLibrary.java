package io.jsplice.bench.apply;

import io.jsplice.create.UpdateCreator;
import io.jsplice.create.source.ClassSet;
import io.jsplice.model.signing.KeyGeneration;
import io.jsplice.model.signing.SigningKey;
import io.jsplice.model.signing.UpdateFile;
import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jars;
import io.jsplice.testkit.Jdk;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The library the benchmark updates: ten classes {@code bench.lib.C0..C9}, each with a method
 * {@code work} that the fix changes and a few it leaves alone; compiled from source in a pre and a
 * post version, and the signed 10-class update between them.
 *
 * @param pre the vulnerable classes, as a jar for the target's class path
 * @param preClasses the same classes as a directory, for the bare redefinition back to them
 * @param postClasses the fixed classes as a directory, for the bare redefinition
 * @param update the signed update, id {@value #UPDATE_ID}
 * @param certificate the certificate that trusts it
 */
record TenClassLibrary(Path pre, Path preClasses, Path postClasses, Path update, Path certificate) {
  static final String UPDATE_ID = "bench-ten-classes";
  static final int CLASSES = 10;

  private static final String SOURCE =
      """
      package bench.lib;

      public class C%N% {
        public static int work(int x) {
          return x * 31 + %K%;
        }

        public static int unchangedA(int x) {
          return x + %N%;
        }

        public static String unchangedB(String s) {
          return s + "%N%";
        }

        public static long unchangedC(long x) {
          return x ^ %N%L;
        }
      }
      """;

  /** Builds everything under {@code dir}. */
  static TenClassLibrary build(Path dir)
      throws IOException, io.jsplice.create.hook.HookCompiler.HookCompileException {
    Map<String, byte[]> pre = compile(1);
    Map<String, byte[]> post = compile(1000);
    Path preJar = Jars.write(dir.resolve("lib-pre.jar"), pre);
    Path preClasses = Jars.writeDirectory(dir.resolve("pre"), pre);
    Path postClasses = Jars.writeDirectory(dir.resolve("post"), post);
    Path certificate = dir.resolve("bench-key.pem");
    SigningKey key =
        KeyGeneration.generate(
            dir.resolve("bench-key.p12"),
            "bench-password".toCharArray(),
            "CN=jsplice bench",
            certificate);
    Path update = dir.resolve(UPDATE_ID + ".jsplice");
    UpdateFile.write(
        UpdateCreator.create(
                new ClassSet("lib-pre", pre, List.of()),
                new ClassSet("lib-post", post, List.of()),
                new UpdateCreator.Request(
                    UPDATE_ID, "10 classes, one method each", List.of(), List.of()))
            .update(),
        key,
        update);
    return new TenClassLibrary(preJar, preClasses, postClasses, update, certificate);
  }

  /** The ten classes, {@code work} adding {@code constant} plus the class number. */
  private static Map<String, byte[]> compile(int constant) {
    Map<String, String> sources = new LinkedHashMap<>();
    for (int n = 0; n < CLASSES; n++) {
      sources.put(
          "bench/lib/C" + n + ".java",
          SOURCE
              .replace("%N%", Integer.toString(n))
              .replace("%K%", Integer.toString(constant + n)));
    }
    return Compiler.with(Jdk.current()).options("--release", "17").compile(sources);
  }
}
