package io.jsplice.create;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.create.source.ClassSet;
import io.jsplice.create.source.MavenArtifacts;
import io.jsplice.create.source.ReleaseSpec;
import io.jsplice.model.Change;
import io.jsplice.model.ChangeKind;
import io.jsplice.model.ClassStatus;
import io.jsplice.model.ClassUpdate;
import io.jsplice.model.StateAction;
import io.jsplice.model.Update;
import io.jsplice.model.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What {@code jsplice create} reports for each fix of the development corpus, checked against what
 * the release pair really changed (from reading both releases' sources): the fix's classes and
 * members, the kinds of change, the state the fix lives in, and how each applies live.
 */
class CorpusUpdatesTest {

  private static Update create(String library, String from, String to, ClassFilter filter)
      throws Exception {
    try (MavenArtifacts maven = new MavenArtifacts()) {
      ClassSet pre = ReleaseSpec.read(List.of(library + ":" + from), maven);
      ClassSet post = ReleaseSpec.read(List.of(library + ":" + to), maven);
      return UpdateCreator.create(
              pre,
              post,
              new UpdateCreator.Request("test", "", List.of(), List.of(), filter, List.of()))
          .update()
          .update();
    }
  }

  private static ClassUpdate classUpdate(Update update, String name) {
    return update
        .classUpdate(name)
        .orElseThrow(() -> new AssertionError(name + " is not in the update"));
  }

  private static boolean has(ClassUpdate c, ChangeKind kind, String memberPrefix) {
    return c.changes().stream()
        .anyMatch(
            ch ->
                ch.kind() == kind
                    && (memberPrefix == null
                        || (ch.member() != null && ch.member().startsWith(memberPrefix))));
  }

  @Test
  void text4shell_changesTheDefaultLookups_addsTheHolderClass_andRecomputesTheInterpolator()
      throws Exception {
    Update u = create("org.apache.commons:commons-text", "1.9", "1.10.0", ClassFilter.ALL);
    ClassUpdate factory = classUpdate(u, "org.apache.commons.text.lookup.StringLookupFactory");
    assertThat(
            has(
                factory,
                ChangeKind.METHOD_BODY_CHANGED,
                "addDefaultStringLookups(Ljava/util/Map;)V"))
        .isTrue();
    assertThat(has(factory, ChangeKind.METHOD_ADDED, "toKey(")).isTrue();
    assertThat(has(factory, ChangeKind.FIELD_ADDED, "DEFAULT_STRING_LOOKUPS_PROPERTY:")).isTrue();
    assertThat(
            classUpdate(
                    u,
                    "org.apache.commons.text.lookup.StringLookupFactory$DefaultStringLookupsHolder")
                .status())
        .isEqualTo(ClassStatus.ADDED);
    assertThat(u.stateActions())
        .anyMatch(
            a ->
                a.kind() == StateAction.Kind.MERGE
                    && a.owner().equals("org.apache.commons.text.lookup.InterpolatorStringLookup")
                    && a.field().equals("INSTANCE"));
    assertThat(u.applicability().verdict()).isNotEqualTo(Verdict.NOT_LIVE);
  }

  @Test
  void spring4shell_isAConstructorChange_whoseCachedResultsAreCleared_andWhoseHeldOnesAreLookedFor()
      throws Exception {
    Update u = create("org.springframework:spring-beans", "5.3.17", "5.3.18", ClassFilter.ALL);
    assertThat(u.classes())
        .extracting(ClassUpdate::name)
        .containsExactly("org.springframework.beans.CachedIntrospectionResults");
    ClassUpdate results = u.classes().get(0);
    assertThat(has(results, ChangeKind.INIT_ONLY_CODE_CHANGED, "<init>(Ljava/lang/Class;)V"))
        .isTrue();
    assertThat(results.changes()).noneMatch(c -> !c.kind().redefinable());
    assertThat(u.stateActions())
        .extracting(StateAction::kind, StateAction::field)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(StateAction.Kind.CLEAR, "strongClassCache"),
            org.assertj.core.groups.Tuple.tuple(StateAction.Kind.CLEAR, "softClassCache"));
    // The cleared caches held most of the old results; one the program (or a bean wrapper) holds
    // keeps the old property descriptors: the apply looks for them on the heap.
    assertThat(u.applicability().verdict()).isEqualTo(Verdict.LIVE_NEEDS_HOOK);
    assertThat(u.applicability().stale())
        .extracting(s -> s.kind(), s -> s.owner())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                io.jsplice.model.StaleState.Kind.OBJECTS,
                "org.springframework.beans.CachedIntrospectionResults"));
  }

  @Test
  void jackson_changesTheDenyListInTheStaticInitializer_andMergesItIntoTheHeldValidator()
      throws Exception {
    Update u =
        create(
            "com.fasterxml.jackson.core:jackson-databind", "2.9.10.2", "2.9.10.3", ClassFilter.ALL);
    ClassUpdate validator =
        classUpdate(u, "com.fasterxml.jackson.databind.jsontype.impl.SubTypeValidator");
    assertThat(validator.changes())
        .extracting(Change::kind)
        .containsExactly(ChangeKind.STATIC_INITIALIZER_CHANGED);
    assertThat(validator.changes().get(0).detail()).contains("DEFAULT_NO_DESER_CLASS_NAMES");
    assertThat(u.stateActions())
        .filteredOn(a -> a.owner().endsWith("SubTypeValidator"))
        .extracting(StateAction::kind, StateAction::field)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(
                StateAction.Kind.MERGE, "DEFAULT_NO_DESER_CLASS_NAMES"),
            org.assertj.core.groups.Tuple.tuple(StateAction.Kind.MERGE, "instance"));
  }

  @Test
  void log4jRecursion_addsTheRecursionFlagAndSubstitutors_andIsLiveWithoutTheJndiRework()
      throws Exception {
    Update whole =
        create("org.apache.logging.log4j:log4j-core", "2.16.0", "2.17.0", ClassFilter.ALL);
    ClassUpdate jndi = classUpdate(whole, "org.apache.logging.log4j.core.net.JndiManager");
    assertThat(has(jndi, ChangeKind.FIELD_TYPE_CHANGED, "context:")).isTrue();
    assertThat(jndi.applicability().verdict()).isEqualTo(Verdict.NOT_LIVE);

    // Excluding JndiManager alone leaves classes that call its new API: they are refused.
    Update partial =
        create(
            "org.apache.logging.log4j:log4j-core",
            "2.16.0",
            "2.17.0",
            new ClassFilter(List.of(), List.of("org.apache.logging.log4j.core.net.JndiManager")));
    assertThat(
            classUpdate(partial, "org.apache.logging.log4j.core.lookup.JndiLookup")
                .applicability()
                .notes())
        .anyMatch(
            n ->
                n.contains(
                    "would use org.apache.logging.log4j.core.net.JndiManager.isJndiLookupEnabled()Z"));

    Update u =
        create(
            "org.apache.logging.log4j:log4j-core",
            "2.16.0",
            "2.17.0",
            new ClassFilter(
                List.of(),
                List.of(
                    "org.apache.logging.log4j.core.net.JndiManager",
                    "org.apache.logging.log4j.core.appender.mom.JmsManager",
                    "org.apache.logging.log4j.core.lookup.Interpolator",
                    "org.apache.logging.log4j.core.lookup.JndiLookup",
                    "org.apache.logging.log4j.core.selector.JndiContextSelector")));
    ClassUpdate substitutor = classUpdate(u, "org.apache.logging.log4j.core.lookup.StrSubstitutor");
    assertThat(has(substitutor, ChangeKind.FIELD_ADDED, "recursiveEvaluationAllowed:Z")).isTrue();
    assertThat(has(substitutor, ChangeKind.METHOD_ADDED, "isRecursiveEvaluationAllowed()Z"))
        .isTrue();
    assertThat(has(substitutor, ChangeKind.METHOD_BODY_CHANGED, "substitute(")).isTrue();
    assertThat(
            classUpdate(u, "org.apache.logging.log4j.core.lookup.RuntimeStrSubstitutor").status())
        .isEqualTo(ClassStatus.ADDED);
    assertThat(u.applicability().verdict()).isNotEqualTo(Verdict.NOT_LIVE);
  }

  @Test
  void xstream_addsDenyPatternsAndAMethod_andChangesSetupSecurity() throws Exception {
    Update u = create("com.thoughtworks.xstream:xstream", "1.4.15", "1.4.16", ClassFilter.ALL);
    ClassUpdate xstream = classUpdate(u, "com.thoughtworks.xstream.XStream");
    assertThat(has(xstream, ChangeKind.METHOD_BODY_CHANGED, "setupSecurity()V")).isTrue();
    assertThat(has(xstream, ChangeKind.METHOD_ADDED, "denyTypeHierarchyDynamically(")).isTrue();
    assertThat(has(xstream, ChangeKind.FIELD_ADDED, "GETTER_SETTER_REFLECTION:")).isTrue();
    assertThat(has(xstream, ChangeKind.FIELD_REMOVED, "JAXWS_FILE_STREAM:")).isTrue();
    assertThat(xstream.applicability().verdict()).isNotEqualTo(Verdict.NOT_LIVE);
    assertThat(xstream.applicability().stale())
        .as("the refusal names the state the old setup built and why it cannot be built again")
        .anySatisfy(
            s ->
                assertThat(s.reason())
                    .contains(
                        "setupSecurity() set up securityInitialized and what securityMapper"
                            + " holds; it cannot be run again on them: setupSecurity()V branches"
                            + " on the field securityMapper"));
  }

  @Test
  void nettyBzip2_changesTheDecoderBodies_andInlinesTheNewLimit() throws Exception {
    Update u = create("io.netty:netty-codec", "4.1.67.Final", "4.1.68.Final", ClassFilter.ALL);
    assertThat(
            has(
                classUpdate(u, "io.netty.handler.codec.compression.Bzip2Decoder"),
                ChangeKind.METHOD_BODY_CHANGED,
                "decode("))
        .isTrue();
    assertThat(
            has(
                classUpdate(u, "io.netty.handler.codec.compression.Bzip2BlockDecompressor"),
                ChangeKind.METHOD_BODY_CHANGED,
                "decodeHuffmanData("))
        .isTrue();
    ClassUpdate constants = classUpdate(u, "io.netty.handler.codec.compression.Bzip2Constants");
    assertThat(constants.changes())
        .anyMatch(
            c ->
                c.kind() == ChangeKind.FIELD_ADDED
                    && c.member().startsWith("MAX_BLOCK_LENGTH:")
                    && c.detail().contains("constant"));
    assertThat(
            has(
                classUpdate(u, "io.netty.handler.codec.compression.Snappy$State"),
                ChangeKind.ENUM_CONSTANTS_CHANGED,
                null))
        .isTrue();
  }

  @Test
  void fileupload_addsTheCountLimitFieldMethodsAndException() throws Exception {
    Update u = create("commons-fileupload:commons-fileupload", "1.4", "1.5", ClassFilter.ALL);
    ClassUpdate base = classUpdate(u, "org.apache.commons.fileupload.FileUploadBase");
    assertThat(has(base, ChangeKind.FIELD_ADDED, "fileCountMax:J")).isTrue();
    assertThat(has(base, ChangeKind.METHOD_ADDED, "setFileCountMax(J)V")).isTrue();
    assertThat(has(base, ChangeKind.METHOD_BODY_CHANGED, "parseRequest(")).isTrue();
    assertThat(base.applicability().notes())
        .anyMatch(n -> n.contains("fileCountMax from its initializer"));
    assertThat(
            classUpdate(u, "org.apache.commons.fileupload.FileCountLimitExceededException")
                .status())
        .isEqualTo(ClassStatus.ADDED);
  }
}
