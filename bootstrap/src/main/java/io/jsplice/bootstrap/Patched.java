package io.jsplice.bootstrap;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class as installed by a jsplice update. jsplice adds it to every class it installs, so
 * that after a switch the agent can read back, through plain reflection and without another
 * safepoint, that the JVM runs the update's code and not the old code (a redefinition that a
 * transformer silently undid would carry no marker).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Patched {
  /** The id of the update whose code this class is. */
  String update();
}
