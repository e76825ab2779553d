/**
 * Class files as they are on disk now: where a loaded class's code is ({@link
 * io.jsplice.agent.classfile.CodeLocation}, parsed from its code source: a jar, a class directory,
 * a jar or directory nested in a jar) and what that location holds ({@link
 * io.jsplice.agent.classfile.DiskClasses}). The one class-file locator of the agent: the engine
 * reads a class's file to tell another agent's instrumentation from another release, restart safety
 * reads what a restarted JVM would load.
 */
package io.jsplice.agent.classfile;
