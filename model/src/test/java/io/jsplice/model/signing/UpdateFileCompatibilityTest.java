package io.jsplice.model.signing;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.model.Applicability;
import io.jsplice.model.Artifact;
import io.jsplice.model.Change;
import io.jsplice.model.ChangeKind;
import io.jsplice.model.ClassStatus;
import io.jsplice.model.ClassUpdate;
import io.jsplice.model.InstanceAction;
import io.jsplice.model.JvmCondition;
import io.jsplice.model.Mechanism;
import io.jsplice.model.StaleState;
import io.jsplice.model.StateAction;
import io.jsplice.model.Tripwire;
import io.jsplice.model.Update;
import io.jsplice.model.UpdateJson;
import io.jsplice.model.UpdatePackage;
import io.jsplice.model.Verdict;
import io.jsplice.model.json.Json;
import io.jsplice.model.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

/**
 * Pins the update file's format against files that an earlier jsplice wrote and signed (the
 * resources under {@code golden/}, written by jsplice at ffa1403): they must still read and verify,
 * and the descriptor this jsplice writes for the same update must be the same bytes, since the
 * signature covers them and operators compare files built twice.
 *
 * <p>To write the resources again (only on purpose, when the format changes): run this class with
 * {@code -Djsplice.golden.write=true}.
 */
class UpdateFileCompatibilityTest {
  private static final String GOLDEN = "/io/jsplice/model/golden/";

  @TempDir Path dir;

  /** Every field of the descriptor, with instance actions and tripwires: format 2. */
  static Update full() {
    Applicability live =
        new Applicability(
            Verdict.LIVE, Set.of(Mechanism.STATIC_STATE, Mechanism.REDEFINE), List.of());
    Applicability needsHook =
        new Applicability(
            Verdict.LIVE_NEEDS_HOOK,
            Set.of(Mechanism.EXISTING_OBJECTS, Mechanism.COMPANION_METHODS),
            List.of("objects built before keep the old limit", "a \"quoted\" note\twith a tab"),
            List.of(
                new StaleState(
                    StaleState.Kind.OBJECTS,
                    "p.Guard",
                    null,
                    "built by the old constructor",
                    new JvmCondition(JvmCondition.Kind.DEFAULT_CHARSET, "UTF-8")),
                new StaleState(StaleState.Kind.STATIC_FIELD, "p.Guard", "LIMIT", null)));
    ClassUpdate guard =
        new ClassUpdate(
            "p.Guard",
            ClassStatus.MODIFIED,
            "a".repeat(64),
            "b".repeat(64),
            List.of(
                new Change(ChangeKind.METHOD_BODY_CHANGED, "allowed(Ljava/lang/String;)Z", ""),
                new Change(ChangeKind.METHOD_ADDED, "check(I)V", "new limit 1000 replaces none"),
                new Change(ChangeKind.CONSTANT_VALUE_CHANGED, null, null)),
            needsHook);
    ClassUpdate added =
        new ClassUpdate(
            "p.Guard$Limit",
            ClassStatus.ADDED,
            null,
            "c".repeat(64),
            List.of(),
            new Applicability(Verdict.LIVE, Set.of(Mechanism.NEW_CLASSES), List.of()));
    ClassUpdate removed =
        new ClassUpdate("p.Old", ClassStatus.REMOVED, "d".repeat(64), null, List.of(), live);
    return new Update(
        "CVE-2099-0001",
        "Golden: every field, \u00e9 and \u2028 included",
        List.of("CVE-2099-0001", "CVE-2099-0002"),
        List.of(
            new Artifact("org.example", "guard", "1.0", "1.1"),
            new Artifact(null, "guard-extra.jar", null, null)),
        Instant.parse("2026-11-26T10:15:30.123Z"),
        List.of("CVE-2098-0009"),
        List.of(guard, added, removed),
        List.of(
            new StateAction(StateAction.Kind.CLEAR, "p.Guard", "CACHE", null, "cached guards"),
            new StateAction(StateAction.Kind.ASSIGN, "p.Guard", "LIMIT", "p.Guard$jsplice", null)),
        List.of(
            new InstanceAction(
                InstanceAction.Kind.RERUN_SETUP,
                "p.Guard",
                "setup()V",
                null,
                List.of("allowed", "seen"),
                "the constructor's setup changed"),
            new InstanceAction(
                InstanceAction.Kind.RECOMPUTE_FIELD,
                "p.Guard",
                "limits",
                "p.Guard$jsplice",
                null,
                null)),
        List.of("p.hook.GuardHook"),
        Applicability.combine(List.of(needsHook, live)),
        List.of(
            new Tripwire("p/Guard", "allowed(Ljava/lang/String;)Z", "new IllegalArgumentException"),
            new Tripwire("p/Guard", "check(I)V", null)));
  }

  /** Without instance actions and tripwires, which agents of format 1 read right: format 1. */
  static Update minimal() {
    Applicability live = new Applicability(Verdict.LIVE, Set.of(Mechanism.REDEFINE), List.of());
    return new Update(
        "minimal",
        null,
        List.of(),
        List.of(new Artifact("org.example", "guard", "1.0", "1.1")),
        Instant.parse("2026-11-26T00:00:00Z"),
        List.of(),
        List.of(
            new ClassUpdate(
                "p.Guard",
                ClassStatus.MODIFIED,
                "a".repeat(64),
                "b".repeat(64),
                List.of(new Change(ChangeKind.METHOD_BODY_CHANGED, "allowed()Z", "")),
                live)),
        List.of(),
        List.of(),
        List.of(),
        Applicability.combine(List.of(live)),
        List.of());
  }

  static UpdatePackage packageOf(Update update) {
    return new UpdatePackage(
        update,
        Map.of(
            "post/p/Guard.class", guard(1),
            "install/p/Guard.class", guard(2),
            "post/p/Guard$Limit.class", classFile("p/Guard$Limit", 3),
            "install/p/Guard$Limit.class", classFile("p/Guard$Limit", 3),
            "install/p/Guard$jsplice.class", classFile("p/Guard$jsplice", 4),
            "hook/p/hook/GuardHook.class", classFile("p/hook/GuardHook", 5)));
  }

  @Test
  void descriptor_isTheBytesAnEarlierJspliceWrote() throws Exception {
    assertThat(descriptor(full())).isEqualTo(resource("update-full.json"));
    assertThat(descriptor(minimal())).isEqualTo(resource("update-minimal.json"));
  }

  @Test
  void descriptor_saysFormat1WithoutInstanceActionsAndTripwires() throws Exception {
    JsonObject minimal = JsonObject.parse(resource("update-minimal.json"));
    assertThat(minimal.number("format")).isEqualTo(1);
    assertThat(minimal.has("instanceActions")).isFalse();
    assertThat(minimal.has("tripwires")).isFalse();
    assertThat(JsonObject.parse(resource("update-full.json")).number("format"))
        .isEqualTo(UpdateJson.FORMAT);
  }

  @Test
  void descriptor_anEarlierJspliceWrote_readsAsTheSameUpdate() throws Exception {
    assertThat(UpdateJson.decode(JsonObject.parse(resource("update-full.json")))).isEqualTo(full());
    assertThat(UpdateJson.decode(JsonObject.parse(resource("update-minimal.json"))))
        .isEqualTo(minimal());
  }

  @Test
  void descriptor_builtBeforeTheStaleList_readsWithoutIt() throws Exception {
    String withoutStale = resource("update-minimal.json").replaceAll(",\\s*\"stale\": \\[\\]", "");
    assertThat(withoutStale).doesNotContain("stale");

    assertThat(UpdateJson.decode(JsonObject.parse(withoutStale))).isEqualTo(minimal());
  }

  @Test
  void signedFile_anEarlierJspliceWrote_verifiesAndReads() throws Exception {
    TrustedKeys trusted = TrustedKeys.load(List.of(goldenPath("golden.pem")));
    for (String name : List.of("update-full", "update-minimal")) {
      Path file = goldenPath(name + ".jsplice");

      UpdatePackage read = UpdateFile.read(file, trusted);

      Update expected = name.equals("update-full") ? full() : minimal();
      assertThat(read.update()).as(name).isEqualTo(expected);
      assertThat(read.installBytes("p.Guard"))
          .hasValueSatisfying(b -> assertThat(b).isEqualTo(guard(2)));
      try (ZipFile zip = new ZipFile(file.toFile());
          InputStream in = zip.getInputStream(zip.getEntry(UpdateFile.DESCRIPTOR))) {
        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
            .as("the signed descriptor of " + name)
            .isEqualTo(descriptor(expected));
      }
    }
  }

  @Test
  void signedFile_rewritten_readsAsTheSameUpdate() throws Exception {
    SigningKey key =
        KeyGeneration.generate(
            dir.resolve("k.p12"), "test-password".toCharArray(), "CN=again", dir.resolve("k.pem"));
    Path file = dir.resolve("u.jsplice");
    UpdateFile.write(packageOf(full()), key, file);

    UpdatePackage read = UpdateFile.read(file, TrustedKeys.load(List.of(dir.resolve("k.pem"))));

    assertThat(read.update()).isEqualTo(full());
  }

  /** Writes the golden resources with this jsplice: only when the format changes on purpose. */
  @Test
  @EnabledIfSystemProperty(named = "jsplice.golden.write", matches = "true")
  void writeGolden() throws IOException {
    Path out = Path.of("src/test/resources" + GOLDEN);
    Files.createDirectories(out);
    Path keys = dir.resolve("keys");
    SigningKey key =
        KeyGeneration.generate(
            keys.resolve("golden.p12"),
            "golden".toCharArray(),
            "CN=jsplice golden test",
            out.resolve("golden.pem"));
    Files.writeString(out.resolve("update-full.json"), descriptor(full()));
    Files.writeString(out.resolve("update-minimal.json"), descriptor(minimal()));
    UpdateFile.write(packageOf(full()), key, out.resolve("update-full.jsplice"));
    UpdateFile.write(packageOf(minimal()), key, out.resolve("update-minimal.jsplice"));
  }

  private static String descriptor(Update update) {
    return Json.writePretty(UpdateJson.encode(update));
  }

  private static String resource(String name) throws Exception {
    return Files.readString(goldenPath(name), StandardCharsets.UTF_8);
  }

  private static Path goldenPath(String name) throws URISyntaxException {
    var url = UpdateFileCompatibilityTest.class.getResource(GOLDEN + name);
    assertThat(url).as("resource " + GOLDEN + name).isNotNull();
    return Path.of(url.toURI());
  }

  /** A class file {@code p.Guard} whose static method {@code version()} returns {@code version}. */
  static byte[] guard(int version) {
    return classFile("p/Guard", version);
  }

  /** A class file {@code name} whose static method {@code version()} returns {@code version}. */
  static byte[] classFile(String name, int version) {
    ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, name, null, "java/lang/Object", null);
    var m =
        writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "version", "()I", null, null);
    m.visitCode();
    m.visitIntInsn(Opcodes.BIPUSH, version);
    m.visitInsn(Opcodes.IRETURN);
    m.visitMaxs(0, 0);
    m.visitEnd();
    writer.visitEnd();
    return writer.toByteArray();
  }
}
