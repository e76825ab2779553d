package io.jsplice.fleet.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium, from Debian's {@code chromium} and {@code chromium-driver} packages
 * ({@code .ci/run} installs them), driven through Selenium. Selenium is pointed at both binaries,
 * so it never downloads a browser or a driver.
 *
 * <p>Waits are on conditions the page shows; the timeout only keeps a broken build from hanging.
 */
public final class Browser implements AutoCloseable {
  public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Duration WAIT = Duration.ofMinutes(3);

  /** A desktop window, and a phone's (an iPhone 12's CSS viewport). */
  public static final Dimension DESKTOP = new Dimension(1280, 900);

  public static final Dimension PHONE = new Dimension(390, 844);

  private final ChromeDriver driver;
  private final ChromeDriverService service;

  private Browser(ChromeDriver driver, ChromeDriverService service) {
    this.driver = driver;
    this.service = service;
  }

  /**
   * Starts Chromium with a fresh profile in {@code profile}.
   *
   * @throws IllegalStateException when chromium or chromedriver is not installed
   */
  public static Browser start(Path profile) {
    for (Path binary : List.of(CHROMIUM, CHROMEDRIVER)) {
      if (!Files.isExecutable(binary)) {
        throw new IllegalStateException(
            binary
                + " is missing: the dashboard's browser tests run Debian's chromium;"
                + " apt-get install chromium chromium-driver (.ci/run does)");
      }
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        "--window-size=" + DESKTOP.getWidth() + "," + DESKTOP.getHeight(),
        "--user-data-dir=" + profile.toAbsolutePath());
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
            .usingAnyFreePort()
            .build();
    return new Browser(new ChromeDriver(service, options), service);
  }

  public WebDriver driver() {
    return driver;
  }

  public void open(String url) {
    driver.get(url);
  }

  /** Waits until {@code condition} holds (returns non-null and not false). */
  public <T> T await(String what, Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, WAIT)
        .withMessage(() -> "waiting until " + what + "; the page: " + driver.getCurrentUrl())
        .pollingEvery(Duration.ofMillis(100))
        .ignoring(org.openqa.selenium.NoSuchElementException.class)
        .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .until(condition);
  }

  /** Waits until the dashboard finished rendering {@code path} ({@code body[data-loaded]}). */
  public void awaitPage(String path) {
    await(
        "the dashboard showed " + path,
        d -> path.equals(d.findElement(By.tagName("body")).getAttribute("data-loaded")));
  }

  public WebElement find(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  public List<WebElement> findAll(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  /** The text of the element {@code css} selects, once it exists. */
  public String text(String css) {
    return await(css + " is on the page", d -> d.findElement(By.cssSelector(css))).getText();
  }

  public void click(String css) {
    await(css + " can be clicked", d -> d.findElement(By.cssSelector(css))).click();
  }

  public void type(String css, String text) {
    WebElement field = await(css + " is on the page", d -> d.findElement(By.cssSelector(css)));
    field.clear();
    field.sendKeys(text);
  }

  public Object script(String javascript, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(javascript, args);
  }

  /** Runs asynchronous JavaScript: the last argument is the callback that ends it. */
  public Object asyncScript(String javascript, Object... args) {
    return ((JavascriptExecutor) driver).executeAsyncScript(javascript, args);
  }

  /**
   * Makes the page render as on a screen of {@code size} (a phone's with {@code mobile}), through
   * the DevTools protocol; {@link #desktop} ends it.
   */
  public void emulate(Dimension size, boolean mobile) {
    driver.executeCdpCommand(
        "Emulation.setDeviceMetricsOverride",
        Map.of(
            "width",
            size.getWidth(),
            "height",
            size.getHeight(),
            "deviceScaleFactor",
            1,
            "mobile",
            mobile));
  }

  public void desktop() {
    driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
  }

  /**
   * Saves a PNG of the whole page (not only what fits the window) to {@code target}, and a copy to
   * the directory the {@code jsplice.screenshots} system property names, if set: that is how the
   * documentation's screenshots are made.
   *
   * @param width the width to render the page at
   * @param mobile whether to render it as a phone does
   */
  public Path screenshot(Path target, int width, boolean mobile) {
    emulate(new Dimension(width, DESKTOP.getHeight()), mobile);
    try {
      Number height =
          (Number)
              script(
                  "return Math.max(document.documentElement.scrollHeight,"
                      + " document.body.scrollHeight);");
      emulate(new Dimension(width, Math.min(height.intValue(), 6000)), mobile);
      Files.createDirectories(target.toAbsolutePath().getParent());
      Files.write(target, driver.getScreenshotAs(OutputType.BYTES));
      String docs = System.getProperty("jsplice.screenshots");
      if (docs != null && !docs.isBlank()) {
        Path dir = Files.createDirectories(Path.of(docs));
        Files.copy(target, dir.resolve(target.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      desktop();
    }
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      service.stop();
    }
  }
}
