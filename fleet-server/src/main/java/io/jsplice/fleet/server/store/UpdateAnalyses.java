package io.jsplice.fleet.server.store;

import io.jsplice.fleet.api.ClassAnalysis;
import io.jsplice.fleet.api.PublishedUpdate;
import io.jsplice.fleet.api.UpdateAnalysis;
import io.jsplice.model.ClassUpdate;
import io.jsplice.model.Mechanism;
import io.jsplice.model.Update;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The analysis each published update carries in its signed descriptor, as the dashboard's update
 * page shows it. Read from the stored bytes; kept per content hash (an update's bytes never change
 * under its id), at most {@value #CACHED}.
 *
 * <p>Thread-safe.
 */
public final class UpdateAnalyses {
  private static final int CACHED = 64;

  private final Updates updates;
  private final Map<String, UpdateAnalysis> bySha256 =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, UpdateAnalysis> eldest) {
          return size() > CACHED;
        }
      };

  public UpdateAnalyses(Updates updates) {
    this.updates = updates;
  }

  /**
   * @throws io.jsplice.fleet.server.ApiException {@code NOT_FOUND}
   */
  public UpdateAnalysis of(String id) {
    PublishedUpdate published = updates.get(id);
    synchronized (bySha256) {
      UpdateAnalysis cached = bySha256.get(published.sha256());
      if (cached != null) {
        return cached;
      }
    }
    UpdateAnalysis analysis = analyse(UpdateDescriptors.read(updates.content(id)));
    synchronized (bySha256) {
      bySha256.put(published.sha256(), analysis);
    }
    return analysis;
  }

  public static UpdateAnalysis analyse(Update update) {
    List<ClassAnalysis> classes =
        update.classes().stream().map(UpdateAnalyses::classAnalysis).toList();
    return new UpdateAnalysis(
        update.id(),
        update.description(),
        update.created(),
        update.applicability().verdict().name(),
        UpdateDescriptors.inForce(update),
        update.applicability().mechanisms().stream().map(Mechanism::description).toList(),
        update.applicability().notes(),
        update.hooks(),
        update.stateActions().size(),
        classes,
        update.leftOut());
  }

  private static ClassAnalysis classAnalysis(ClassUpdate c) {
    return new ClassAnalysis(
        c.name().replace('/', '.'),
        c.status().name(),
        c.applicability().verdict().name(),
        c.changes().size(),
        c.applicability().mechanisms().stream().map(Mechanism::description).toList(),
        c.applicability().notes());
  }
}
