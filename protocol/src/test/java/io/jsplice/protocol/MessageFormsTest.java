package io.jsplice.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.model.json.RecordForm;
import io.jsplice.testkit.ModuleRecords;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The protocol's records are mapped to JSON without reflection, which on JDK 18+ spins classes in
 * the target JVM the agent answers in: each has the form the build writes for it.
 */
class MessageFormsTest {
  @Test
  void everyRecordOfTheProtocolThatItsPackageCanName_hasAFormWrittenForItsComponents() {
    List<Class<?>> records = ModuleRecords.reachable(ControlProtocol.class);

    assertThat(records.stream().map(Class::getName))
        .contains(
            "io.jsplice.protocol.message.ApplyRequest", "io.jsplice.protocol.message.ApplyReply");
    assertThat(records.stream().filter(r -> !RecordForm.exists(r.asSubclass(Record.class))))
        .as("records without a generated JSON form (is the processor in the module's build?)")
        .isEmpty();
  }
}
