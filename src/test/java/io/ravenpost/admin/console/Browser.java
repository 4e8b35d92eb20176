package io.ravenpost.admin.console;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
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

  private final ChromeDriverService service;
  private final ChromeDriver driver;
  private final Path profile;
  private final Path shots;
  private final WebDriverWait wait;
  private int shot;

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
    wait = new WebDriverWait(driver, Duration.ofSeconds(10));
  }

  ChromeDriver driver() {
    return driver;
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

  /** A screenshot named {@code NN-name.png}, for a person to look at. */
  Path screenshot(String name) throws IOException {
    Path to = shots.resolve(String.format("%02d-%s.png", ++shot, name));
    Files.write(to, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
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
