package io.jsplice.protocol.message;

import java.util.List;

/**
 * The JMX readings asked for, in the order asked.
 *
 * @param readings one per attribute asked for
 * @param uptimeMillis how long the JVM has run
 */
public record ReadingsReply(List<Reading> readings, long uptimeMillis) {

  /**
   * One reading.
   *
   * @param attribute as asked, {@code OBJECTNAME#ATTRIBUTE}
   * @param value the number (summed over the MBeans a pattern matched); null when it could not be
   *     read
   * @param mbeans how many MBeans it was read from
   * @param problem why it could not be read; null when it was
   */
  public record Reading(String attribute, Double value, int mbeans, String problem) {}
}
