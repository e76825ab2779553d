/**
 * Restart safety: what keeps the updates a JVM runs across its restart, and what tells an operator,
 * before a restart, whether the JVM would come back with the same code.
 *
 * <ul>
 *   <li>{@link io.jsplice.agent.restart.ServiceRecords} records, per service, the updates applied
 *       to its JVMs, and {@link io.jsplice.agent.restart.Reapplication} applies them again when a
 *       JVM of the service starts with the agent, as its classes load.
 *   <li>{@link io.jsplice.agent.restart.VerifyOp} answers {@code verify}: it reads what the JVM
 *       loaded ({@link io.jsplice.agent.restart.LoadedClassReader}), compares it with the jars and
 *       directories on disk now ({@link io.jsplice.agent.classfile.DiskClasses}), and checks
 *       whether each update would apply again.
 * </ul>
 *
 * <p>This package does not know the engine: the engine's component wires it in with plain
 * functions, so that the dependency points one way.
 */
package io.jsplice.agent.restart;
