/**
 * The objects a program holds: the live instances of given classes, found through JVMTI by a small
 * native library of the agent's own ({@code src/main/c}), loaded only when an update has work on
 * existing objects. Where it cannot load, {@link io.jsplice.agent.heap.Heap#unavailable} says why.
 */
package io.jsplice.agent.heap;
