package io.ravenpost.admin.console;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's chromium, headless, driven through Debian's chromedriver (both named explicitly: the
 * Selenium manager cannot download anything here). Background networking is off, because this
 * machine's closed network refuses Chromium's own connections. Screenshots go to {@code dir}.
 */
final class Browser implements AutoCloseable {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  /** Shared by every browser of a run, so one test's screenshots never overwrite another's. */
  private static final AtomicInteger SHOT = new AtomicInteger();

  private final ChromeDriverService service;
  private final ChromeDriver driver;
  private final Path profile;
  private final Path shots;
  private final WebDriverWait wait;

  Browser(Path shots) throws IOException {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      throw new IllegalStateException("the console's browser test needs Debian's chromium and chromium-driver: "
          + "run scripts/ensure-browser.sh (as root it installs them)");
    }
    this.shots = Files.createDirectories(shots);
    this.profile = Files.createTempDirectory("raven-chromium");
    ChromeOptions o = new ChromeOptions().setBinary(CHROMIUM.toFile());
    o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-extensions", "--window-size=1280,900", "--user-data-dir=" + profile);
    service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER.toString()))
        .usingAnyFreePort().withTimeout(Duration.ofSeconds(20)).build();
    driver = new ChromeDriver(service, o);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(15)).scriptTimeout(Duration.ofSeconds(10));
    // Pages redraw what they show (the dashboard every 2 s): an element found a moment ago may be gone.
    wait = new WebDriverWait(driver, Duration.ofSeconds(10));
    wait.ignoring(StaleElementReferenceException.class);
  }

  ChromeDriver driver() {
    return driver;
  }

  WebDriverWait waiting() {
    return wait;
  }

  void open(String url) {
    driver.get(url);
  }

  WebElement visible(String id) {
    return wait.until(ExpectedConditions.visibilityOfElementLocated(By.id(id)));
  }

  void click(String id) {
    wait.until(ExpectedConditions.elementToBeClickable(By.id(id))).click();
  }

  void doubleClick(String id) {
    new Actions(driver).doubleClick(wait.until(ExpectedConditions.elementToBeClickable(By.id(id)))).perform();
  }

  /** Keys pressed wherever the focus is, as a person at the keyboard would. */
  void press(CharSequence... keys) {
    new Actions(driver).sendKeys(keys).perform();
  }

  /** Presses Tab until {@code target} has the focus; fails after {@code max} presses. */
  void tabTo(WebElement target, int max) {
    for (int i = 0; i < max; i++) {
      if (driver.switchTo().activeElement().equals(target)) {
        return;
      }
      press(Keys.TAB);
    }
    throw new AssertionError("not reached with " + max + " presses of Tab: " + target.getText());
  }

  /** The outline of {@code e} as drawn now (style and width), e.g. the mark of its focus. */
  String outline(WebElement e) {
    return (String) driver.executeScript("const s = getComputedStyle(arguments[0]); "
        + "return s.outlineStyle + ' ' + s.outlineWidth;", e);
  }

  Object script(String js, Object... args) {
    return driver.executeScript(js, args);
  }

  void type(String id, String text) {
    WebElement e = visible(id);
    e.clear();
    e.sendKeys(text);
  }

  /** Waits until element {@code id} shows {@code text}, and answers all its text. */
  String textOf(String id, String text) {
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id(id), text));
    return driver.findElement(By.id(id)).getText();
  }

  /**
   * A screenshot named {@code NN-name.png}, for a person to look at: the whole page, as a message
   * under a long form is often what it is taken for. Chromium's Page.captureScreenshot, which
   * chromedriver passes on as it is: no Selenium DevTools binding of one protocol version involved.
   */
  Path screenshot(String name) throws IOException {
    Path to = shots.resolve(String.format("%02d-%s.png", SHOT.incrementAndGet(), name));
    Map<String, Object> page = driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
    @SuppressWarnings("unchecked")
    Map<String, Object> size = (Map<String, Object>) page.get("cssContentSize");
    Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
        "captureBeyondViewport", true, "clip", Map.of("x", 0, "y", 0, "scale", 1,
            "width", size.get("width"), "height", size.get("height"))));
    Files.write(to, Base64.getDecoder().decode((String) shot.get("data")));
    return to;
  }

  @Override
  public void close() throws IOException {
    try {
      driver.quit();
    } finally {
      service.stop();
      try (var files = Files.walk(profile)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
