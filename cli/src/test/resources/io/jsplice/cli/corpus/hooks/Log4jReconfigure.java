import io.jsplice.bootstrap.HookContext;
import io.jsplice.bootstrap.UpdateHook;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.impl.Log4jContextFactory;
import org.apache.logging.log4j.spi.LoggerContextFactory;

/**
 * log4j builds its pattern converters when it reads its configuration; 2.15.0 replaced the message
 * converter by four that a factory picks from the configuration's options, so the converters a
 * running log4j holds can only be rebuilt by reading the configuration again. After the switch
 * (and after an undo, for the old converters) every logger context reconfigures.
 */
public class Log4jReconfigure implements UpdateHook {
  @Override
  public void afterApply(HookContext context) {
    reconfigure(context);
  }

  @Override
  public void afterUndo(HookContext context) {
    reconfigure(context);
  }

  private static void reconfigure(HookContext context) {
    LoggerContextFactory factory = LogManager.getFactory();
    if (!(factory instanceof Log4jContextFactory log4j)) {
      context.log("log4j-core is not the logging implementation here; nothing to reconfigure");
      return;
    }
    for (LoggerContext logging : log4j.getSelector().getLoggerContexts()) {
      logging.reconfigure();
      context.log("reconfigured logger context " + logging.getName());
    }
  }
}
