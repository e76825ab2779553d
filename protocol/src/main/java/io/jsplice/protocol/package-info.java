/**
 * What crosses the process boundary between the jsplice agent and its clients, defined once and
 * used by both sides: the typed requests and replies ({@code message}) with their JSON form (the
 * model's {@link io.jsplice.model.json.RecordCodec}), the framing ({@code channel}), the agent's
 * options ({@link io.jsplice.protocol.AgentArguments}) and the default paths ({@link
 * io.jsplice.protocol.DefaultPaths}).
 *
 * <p>The agent carries this package into other people's JVMs: it uses nothing but the JDK and the
 * model, and no reflection-heavy library.
 */
package io.jsplice.protocol;
