package io.jsplice.fleet.api;

/**
 * One JVM an update concerns: it runs the update, or it loaded the release the update targets.
 *
 * @param host the host's name
 * @param group the host's group
 * @param ring the host's rollout ring; null when it has none
 * @param jvmKey the JVM's key
 * @param pid its pid
 * @param mainClass its main class or jar
 * @param version the release of the targeted library it loaded; may be null
 * @param state whether the update is in force in it
 * @param detail for {@link UpdateJvmState#FAILED}, the last failure's cause and message; else null
 * @param cause for {@link UpdateJvmState#FAILED}, the last failure's cause alone ({@value
 *     HostEvent#CLASSES_LEFT_OUT} when the update is held because it leaves out classes that its
 *     group does not accept); else null
 */
public record UpdateJvm(
    String host,
    String group,
    String ring,
    String jvmKey,
    long pid,
    String mainClass,
    String version,
    UpdateJvmState state,
    String detail,
    String cause) {}
