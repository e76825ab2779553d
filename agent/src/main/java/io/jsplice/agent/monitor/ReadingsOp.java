package io.jsplice.agent.monitor;

import io.jsplice.agent.control.ControlCall;
import io.jsplice.agent.control.ControlHandler;
import io.jsplice.model.control.FailureCause;
import io.jsplice.model.control.FailureException;
import io.jsplice.protocol.message.ReadingsReply;
import io.jsplice.protocol.message.ReadingsRequest;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * Reads numeric JMX attributes from the platform MBean server: {@code OBJECTNAME#ATTRIBUTE}, summed
 * over the MBeans a pattern matches. A reading that cannot be taken says why instead of failing the
 * request; a malformed request is refused. Reads only: it never invokes an operation.
 */
final class ReadingsOp implements ControlHandler<ReadingsRequest, ReadingsReply> {
  static final int MAX_ATTRIBUTES = 64;

  @Override
  public ReadingsReply handle(ControlCall<ReadingsRequest> call) throws FailureException {
    List<String> attributes = call.request().attributes();
    if (attributes.size() > MAX_ATTRIBUTES) {
      throw new FailureException(
          FailureCause.BAD_REQUEST, "at most " + MAX_ATTRIBUTES + " readings per request");
    }
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    List<ReadingsReply.Reading> readings = new ArrayList<>();
    for (String attribute : attributes) {
      readings.add(read(server, attribute));
    }
    return new ReadingsReply(readings, ManagementFactory.getRuntimeMXBean().getUptime());
  }

  static ReadingsReply.Reading read(MBeanServer server, String spec) {
    int hash = spec == null ? -1 : spec.lastIndexOf('#');
    if (hash <= 0 || hash == spec.length() - 1) {
      return new ReadingsReply.Reading(spec, null, 0, "not OBJECTNAME#ATTRIBUTE");
    }
    ObjectName name;
    try {
      name = new ObjectName(spec.substring(0, hash));
    } catch (MalformedObjectNameException e) {
      return new ReadingsReply.Reading(spec, null, 0, "malformed object name: " + e.getMessage());
    }
    String attribute = spec.substring(hash + 1);
    Set<ObjectName> names = server.queryNames(name, null);
    if (names.isEmpty()) {
      return new ReadingsReply.Reading(spec, null, 0, "no MBean matches " + name);
    }
    double sum = 0;
    int read = 0;
    String problem = null;
    for (ObjectName each : names) {
      try {
        Object value = server.getAttribute(each, attribute);
        if (value instanceof Number number) {
          sum += number.doubleValue();
          read++;
        } else {
          problem = attribute + " of " + each + " is not a number";
        }
      } catch (Exception e) {
        problem = "cannot read " + attribute + " of " + each + ": " + e.getClass().getSimpleName();
      }
    }
    return read == 0
        ? new ReadingsReply.Reading(spec, null, 0, problem)
        : new ReadingsReply.Reading(spec, sum, read, null);
  }
}
