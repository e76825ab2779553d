package io.jsplice.agent.engine;

import io.jsplice.model.InForce;
import io.jsplice.model.UpdateJson;
import io.jsplice.model.fingerprint.ClassFingerprint;
import io.jsplice.model.signing.UpdateFile;
import io.jsplice.protocol.message.RecordChange;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.commons.Remapper;
import org.objectweb.asm.signature.SignatureVisitor;

/**
 * Loads and links, on a daemon thread of its own, the classes the first apply needs once the
 * update's signature is checked (the update's model, ASM, the engine's checks and switch), while
 * the control thread checks that signature (the JDK's security providers and elliptic-curve code,
 * most of a first apply's time in a JVM the agent was just attached to). The apply then finds them
 * loaded instead of loading them after the check; on the JVM's second processor that is time off a
 * cold apply (issue 13). Started by the first apply only, so an agent attached for anything else
 * never loads them.
 *
 * <p>It only loads and links: no class is initialized here (no static initializer of the agent's
 * runs on this thread, so none can wait on the control thread's), no update is read.
 */
final class ApplyPreload implements Runnable {
  private static final AtomicBoolean STARTED = new AtomicBoolean();

  private ApplyPreload() {}

  /** Starts it, the first time only; never throws. */
  static void startOnce() {
    if (!STARTED.compareAndSet(false, true)) {
      return;
    }
    Thread thread = new Thread(new ApplyPreload(), "jsplice-apply-preload");
    thread.setDaemon(true);
    try {
      thread.start();
    } catch (RuntimeException | OutOfMemoryError e) {
      // The apply loads them itself, as it would have anyway.
    }
  }

  /**
   * The binary names of the classes, in the order the apply needs them. Named through classes of
   * their packages, so that the shaded ASM's names are the agent jar's. Not ASM's {@code
   * MethodWriter}: the apply only loads it (for a type check) and never links it, and linking it
   * would load a dozen classes of ASM's writer that the apply does not need.
   */
  static List<String> names() {
    String model = InForce.class.getPackageName() + ".";
    String signing = UpdateFile.class.getPackageName() + ".";
    String fingerprint = ClassFingerprint.class.getName();
    String asm = ClassReader.class.getPackageName() + ".";
    String commons = Remapper.class.getPackageName() + ".";
    String signature = SignatureVisitor.class.getPackageName() + ".";
    String engine = ApplyPreload.class.getPackageName() + ".";
    List<String> names = new ArrayList<>();
    names.add(UpdateJson.class.getName());
    names.add(UpdateJson.class.getName() + "$Descriptor");
    for (String name :
        List.of(
            "Applicability",
            "Artifact",
            "ClassUpdate",
            "StateAction",
            "InstanceAction",
            "Tripwire",
            "Verdict",
            "Mechanism",
            "StaleState",
            "ClassStatus",
            "Change",
            "ChangeKind",
            "Update",
            "UpdateIds",
            "InForce")) {
      names.add(model + name);
    }
    for (String name : List.of("UpdateClassFiles", "ClassFileLayout", "ClassFileLayout$Cursor")) {
      names.add(signing + name);
    }
    for (String name :
        List.of(
            "AnnotationVisitor",
            "FieldVisitor",
            "MethodVisitor",
            "ClassVisitor",
            "ClassReader",
            "ConstantDynamic",
            "Attribute",
            "Context",
            "Label",
            "Handle",
            "RecordComponentVisitor",
            "ModuleVisitor",
            "Type")) {
      names.add(asm + name);
    }
    names.add(signature + "SignatureVisitor");
    names.add(signature + "SignatureWriter");
    for (String name :
        List.of(
            "ClassRemapper",
            "SignatureRemapper",
            "MethodRemapper",
            "FieldRemapper",
            "RecordComponentRemapper",
            "AnnotationRemapper",
            "ModuleRemapper")) {
      names.add(commons + name);
    }
    for (String name :
        List.of(
            "ApplyOptions",
            "UpdateContents",
            "Installation",
            "ExistingObjects$Search",
            "InForceCheck",
            "InForceCheck$Outcome",
            "TargetClasses",
            "FirstLoad",
            "UnfoundNames",
            "UnfoundNames$WhatLinkingReads",
            "QuiescenceCheck",
            "QuiescenceCheck$BusyFrame",
            "SupportClasses$ClassBytes",
            "ClassVerification$Verdict",
            "SupportClasses$Defined",
            "UpdateHooks",
            "PatchTransformer$Armed",
            "StateTransfer$Result",
            "InstanceWork$Result",
            "GainedEnumConstants$Result",
            "Engine$ApplyResult")) {
      names.add(engine + name);
    }
    for (String name :
        List.of(
            "", "$Canonicalizer", "$AnnotationEncoder", "$CodeEncoder", "$Encoder", "$Member")) {
      names.add(fingerprint + name);
    }
    names.add(RecordChange.class.getName());
    return names;
  }

  @Override
  public void run() {
    ClassLoader loader = ApplyPreload.class.getClassLoader();
    for (String name : names()) {
      try {
        // Loads it; asking for its fields links (verifies) it without initializing it.
        Class.forName(name, false, loader).getDeclaredFields();
      } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
        // The apply loads it itself when it needs it, and reports what is wrong then.
      }
    }
  }
}
