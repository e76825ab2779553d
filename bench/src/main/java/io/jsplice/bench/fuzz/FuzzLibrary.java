package io.jsplice.bench.fuzz;

import io.jsplice.create.UpdateCreator;
import io.jsplice.create.source.ClassSet;
import io.jsplice.model.UpdatePackage;
import io.jsplice.model.signing.KeyGeneration;
import io.jsplice.model.signing.SigningKey;
import io.jsplice.model.signing.UpdateFile;
import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jars;
import io.jsplice.testkit.Jdk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What the fuzzer mutates and applies: a small library in a vulnerable and a fixed version, the
 * valid signed update between them, the key target JVMs trust and one they do not.
 *
 * <p>{@code lib.Greeter} is loaded by the target at start; {@code lib.Later} is on its class path
 * but loaded only when asked. The fix changes both, and adds a method to {@code Greeter} (kept in a
 * companion class), so that the update has code for a loaded class, for a class not loaded yet, and
 * a class it adds.
 */
public final class FuzzLibrary {
  public static final String UPDATE_ID = "fuzz-fix";

  private static final String GREETER =
      """
      package lib;

      public class Greeter {
        public static String greet(String name) {
          %GREET%
        }
        %EXTRA%
      }
      """;

  private static final String LATER =
      """
      package lib;

      public class Later {
        public static String answer() {
          return "later (%VERSION%)";
        }
      }
      """;

  final Path dir;
  final Path v1Jar;
  final Map<String, byte[]> v1;
  final Map<String, byte[]> v2;
  final UpdatePackage update;
  final byte[] signed;
  final Path certificate;
  final SigningKey key;
  final SigningKey otherKey;

  private FuzzLibrary(Path dir) throws Exception {
    this.dir = dir;
    this.v1 = compile("hello \" + name + \" (v1)", null, "v1");
    this.v2 = compile(null, "hello \" + name + \" (v2)", "v2");
    this.v1Jar = Jars.write(dir.resolve("lib-v1.jar"), v1);
    char[] password = "fuzz-password".toCharArray();
    this.certificate = dir.resolve("trusted.pem");
    this.key = KeyGeneration.generate(dir.resolve("trusted.p12"), password, "CN=fuzz", certificate);
    this.otherKey =
        KeyGeneration.generate(
            dir.resolve("other.p12"), password, "CN=not trusted", dir.resolve("other.pem"));
    this.update =
        UpdateCreator.create(
                new ClassSet("lib-v1.jar", v1, List.of()),
                new ClassSet("lib-v2.jar", v2, List.of()),
                new UpdateCreator.Request(UPDATE_ID, null, List.of(), List.of()))
            .update();
    this.signed = sign(update, key);
  }

  public static FuzzLibrary build(Path dir) throws Exception {
    Compiler.deleteTree(dir);
    return new FuzzLibrary(Files.createDirectories(dir));
  }

  /** The vulnerable release's jar: {@code lib.Greeter} and {@code lib.Later}. */
  public Path vulnerableJar() {
    return v1Jar;
  }

  /** The vulnerable release's classes, by internal name. */
  public Map<String, byte[]> vulnerableClasses() {
    return v1;
  }

  /** The certificate of the key the valid update is signed with. */
  public Path certificate() {
    return certificate;
  }

  /** The valid update, signed with the trusted key. */
  public byte[] validUpdate() {
    return signed.clone();
  }

  /** {@code update} signed by {@code signer}, as the bytes of an update file. */
  byte[] sign(UpdatePackage update, SigningKey signer) throws IOException {
    Path file = Files.createTempFile(dir, "signing", ".jsplice");
    try {
      UpdateFile.write(update, signer, file);
      return Files.readAllBytes(file);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /**
   * @param direct greet's answer written in place, or null
   * @param checked greet's answer through an added method, or null
   */
  private static Map<String, byte[]> compile(String direct, String checked, String version) {
    String greet = direct != null ? "return \"" + direct + "\";" : "return check(name);";
    String extra =
        checked == null
            ? ""
            : "private static String check(String name) { return \"" + checked + "\"; }";
    return Compiler.with(Jdk.current())
        .options("--release", "17")
        .compile(
            Map.of(
                "lib/Greeter.java", GREETER.replace("%GREET%", greet).replace("%EXTRA%", extra),
                "lib/Later.java", LATER.replace("%VERSION%", version)));
  }
}
