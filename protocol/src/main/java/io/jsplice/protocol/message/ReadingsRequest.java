package io.jsplice.protocol.message;

import java.util.List;

/**
 * Asks for numbers the JVM exposes through JMX, for a health gate that compares them before and
 * after an update.
 *
 * @param attributes each {@code OBJECTNAME#ATTRIBUTE}; an object name pattern ({@code
 *     java.lang:type=GarbageCollector,name=*}) sums the attribute over every MBean it matches
 */
public record ReadingsRequest(List<String> attributes) implements Request<ReadingsReply> {
  public ReadingsRequest {
    attributes = attributes == null ? List.of() : List.copyOf(attributes);
  }

  @Override
  public Op op() {
    return Op.READINGS;
  }
}
