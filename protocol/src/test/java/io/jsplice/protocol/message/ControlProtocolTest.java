package io.jsplice.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.model.Verdict;
import io.jsplice.model.control.FailureCause;
import io.jsplice.model.json.Json;
import io.jsplice.model.json.JsonObject;
import io.jsplice.model.restart.RestartVerdict;
import io.jsplice.protocol.ControlProtocol;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every message of every op, encoded as the wire has it and read back as the peer would. */
class ControlProtocolTest {
  @Test
  void everyRequest_roundTripsWithItsOpFirst() throws Exception {
    PublicKey key = KeyPairGenerator.getInstance("EC").generateKeyPair().getPublic();
    List<Request<?>> requests =
        List.of(
            new StatusRequest(),
            new ApplyRequest(
                "/tmp/u.jsplice",
                123,
                "ab12",
                List.of(TrustedKey.of(key, "/etc/jsplice/k.pem")),
                new Quiescence(2, 50, true),
                true),
            new UndoRequest("CVE-2022-42889", Quiescence.DEFAULT),
            new ShowRequest(),
            new VerifyRequest(false),
            new InventoryRequest(),
            new ReadingsRequest(List.of("java.lang:type=GarbageCollector,name=*#CollectionTime")),
            new TripwiresRequest(41));
    assertThat(requests.stream().map(Request::op)).containsExactlyInAnyOrder(Op.values());

    for (Request<?> request : requests) {
      String header = ControlProtocol.encodeRequest(request);
      JsonObject json = Json.parseObject(header);

      assertThat(json.keys().get(0)).isEqualTo("op");
      Op op = Op.ofWord(ControlProtocol.opWord(json));
      assertThat(op).isEqualTo(request.op());
      assertThat(ControlProtocol.decodeRequest(op, json)).isEqualTo(request);
    }
  }

  @Test
  void trustedKey_travelsAsTheSamePublicKey() throws Exception {
    PublicKey key = KeyPairGenerator.getInstance("EC").generateKeyPair().getPublic();

    assertThat(TrustedKey.of(key, "k.pem").publicKey()).isEqualTo(key);
  }

  @Test
  void everyReply_roundTripsWithOkFirst() {
    EffectiveVersion effective =
        new EffectiveVersion(
            "commons-text",
            "org.apache.commons",
            "1.9",
            "1.10.0",
            "commons-text 1.9, effectively 1.10.0");
    RecordChange record = new RecordChange("orders", "/s/orders/applied.json", true, null);
    List<Record> replies =
        List.of(
            new StatusReply(
                7,
                "17.0.9",
                "Eclipse",
                "OpenJDK",
                "0.1.0",
                "premain",
                1,
                "2024-01-01T00:00:00Z",
                5,
                "orders",
                "/s",
                List.of("/k.pem"),
                "/s/orders.log",
                true,
                "/tmp/.jsplice-1/7.sock",
                List.of("apply", "status"),
                Map.of("engine", "started"),
                new UpdatesSummary(List.of("U1"), List.of(effective))),
            new ApplyReply(
                "U1",
                "fix",
                List.of("a.B (app)"),
                List.of("a.C"),
                List.of(),
                List.of("w"),
                3,
                2,
                record,
                io.jsplice.model.InForce.PARTLY,
                List.of("objects of a.B built before the update"),
                List.of("a.D")),
            new UndoReply("U1", List.of("a.B"), record),
            new ShowReply(
                List.of(
                    new ShowReply.Update(
                        "U1",
                        null,
                        List.of("CVE-1"),
                        List.of(new ShowReply.Artifact("g", "a", "1", "2")),
                        "2024-01-01T00:00:00Z",
                        "root",
                        false,
                        Verdict.LIVE_NEEDS_HOOK,
                        List.of(),
                        List.of(),
                        List.of(),
                        List.of(),
                        List.of(),
                        List.of("a.B: 1"),
                        io.jsplice.model.InForce.FULL,
                        List.of(),
                        List.of("a.Hook"))),
                List.of(effective),
                List.of(new ShowReply.LoadEvent("a.C", "app", null, "differs")),
                new ServiceState(
                    "orders",
                    true,
                    null,
                    "/s/orders/applied.json",
                    null,
                    List.of(new ServiceState.Recorded("U1", "t", "root", "/f", "ab", true, true)),
                    List.of(new ServiceState.Outcome("U1", false, "gone")),
                    false)),
            new VerifyReply(
                RestartVerdict.WOULD_LOSE_FIX,
                "would lose a fix",
                41,
                List.of(
                    new VerifyReply.CodeSource(
                        "file:/a.jar",
                        "jar",
                        "/a.jar",
                        VerifyReply.SourceState.CHANGED,
                        3,
                        List.of("a.B"),
                        1,
                        List.of(),
                        0,
                        0,
                        0,
                        null,
                        null)),
                List.of(
                    new VerifyReply.UpdateAtRestart(
                        "U1",
                        true,
                        false,
                        false,
                        VerifyReply.DiskState.DIFFERS,
                        RestartVerdict.WOULD_LOSE_FIX,
                        true,
                        "line",
                        List.of(new VerifyReply.ClassPlace("a.B", "/a.jar", "other", true, true)))),
                3,
                10,
                12),
            new InventoryReply(
                List.of(
                    new InventoryReply.Library(
                        "org.apache.commons",
                        "commons-text",
                        "1.9",
                        "/lib/commons-text-1.9.jar",
                        "jar",
                        40,
                        InventoryReply.Evidence.POM_PROPERTIES)),
                List.of("U1"),
                List.of(effective),
                40,
                9),
            new ReadingsReply(
                List.of(
                    new ReadingsReply.Reading("a:type=B#C", 12.5, 2, null),
                    new ReadingsReply.Reading("a:type=D#E", null, 0, "no such MBean")),
                1234),
            new TripwiresReply(
                List.of(
                    new TripwiresReply.Hit(
                        42,
                        "2026-01-01T00:00:00Z",
                        "CVE-2022-40149",
                        "CVE-2022-40149",
                        "org.codehaus.jettison.json.JSONTokener.nextClean",
                        "The JSON text is malformed at character 2 of {/",
                        "main")),
                43,
                7));
    for (Op op : Op.values()) {
      assertThat(replies).anySatisfy(r -> assertThat(r).isInstanceOf(op.replyType()));
    }

    for (Record reply : replies) {
      String header = ControlProtocol.encodeReply(reply);

      assertThat(header).startsWith("{\"ok\":true,");
      assertThat(ControlProtocol.decodeReply(header, reply.getClass())).isEqualTo(reply);
    }
  }

  @Test
  void showReply_keepsTheWireNamesTheCliPrintedBefore() {
    String header =
        ControlProtocol.encodeReply(
            new ShowReply(
                List.of(),
                List.of(),
                List.of(new ShowReply.LoadEvent("a.C", "app", null, "differs")),
                null));

    assertThat(header).contains("\"loadedAfterApply\":[{\"class\":\"a.C\",\"origin\":\"app\"");
  }

  @Test
  void failure_roundTripsAndAnUnknownCauseReadsAsInternalWithItsName() {
    String known = ControlProtocol.encodeFailure(FailureCause.CODE_BUSY, "busy");
    assertThat(ControlProtocol.decodeReply(known, StatusReply.class))
        .isEqualTo(new Failure(FailureCause.CODE_BUSY, "busy"));

    Record unknown =
        ControlProtocol.decodeReply(
            "{\"ok\":false,\"cause\":\"TIME_TRAVEL\",\"message\":\"later\"}", StatusReply.class);

    assertThat(unknown)
        .isEqualTo(
            new Failure(
                FailureCause.INTERNAL,
                "later (cause TIME_TRAVEL, unknown to this jsplice; update it)"));
  }

  @Test
  void failureDetails_travelAfterTheOneLineMessage_andOnlyWhenThereAreSome() {
    String many =
        ControlProtocol.encodeFailure(
            FailureCause.PARTLY_IN_FORCE, "2 part(s): a; and 1 more", List.of("a", "b"));
    String none = ControlProtocol.encodeFailure(FailureCause.CODE_BUSY, "busy", List.of());

    assertThat(ControlProtocol.decodeReply(many, StatusReply.class))
        .isEqualTo(
            new Failure(
                FailureCause.PARTLY_IN_FORCE, "2 part(s): a; and 1 more", List.of("a", "b")));
    assertThat(many).contains("\"details\":[\"a\",\"b\"]");
    assertThat(none).doesNotContain("details");
  }

  @Test
  void heartbeats_areAskedInTheHeaderClampedAndIgnoredByDecoding() {
    String header =
        ControlProtocol.encodeRequest(new UndoRequest("u", null), java.time.Duration.ofSeconds(15));
    JsonObject json = Json.parseObject(header);

    assertThat(ControlProtocol.beatInterval(json)).isEqualTo(java.time.Duration.ofSeconds(15));
    assertThat(ControlProtocol.decodeRequest(Op.UNDO, json))
        .as("an agent reads the request as before")
        .isEqualTo(new UndoRequest("u", null));
    assertThat(ControlProtocol.beatInterval(beat("beatMillis", 1)))
        .isEqualTo(ControlProtocol.MIN_BEAT);
    assertThat(ControlProtocol.beatInterval(beat("beatMillis", 86_400_000L)))
        .isEqualTo(ControlProtocol.MAX_BEAT);
    assertThat(ControlProtocol.beatInterval(beat("beatMillis", "soon"))).isNull();
    assertThat(
            ControlProtocol.beatInterval(
                Json.parseObject(ControlProtocol.encodeRequest(new UndoRequest("u", null)))))
        .isNull();
    assertThat(ControlProtocol.isWorking(ControlProtocol.encodeWorking())).isTrue();
    assertThat(ControlProtocol.isWorking(ControlProtocol.encodeFailure(FailureCause.INTERNAL, "x")))
        .isFalse();
  }

  private static JsonObject beat(String key, Object millis) {
    return JsonObject.empty().with(key, millis);
  }
}
