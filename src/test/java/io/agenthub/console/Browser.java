package io.agenthub.console;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium for a test class, driven by Debian's chromedriver (never one Selenium Manager would
 * download): started before the class, quit after it, and a screenshot plus the page's HTML saved under
 * {@code target/console-failures/} when a test fails. Register it on a static field with {@code @RegisterExtension}
 * after the hub, so the browser goes first.
 */
final class Browser implements BeforeAllCallback, AfterAllCallback, AfterTestExecutionCallback {
  static final Duration WAIT = Duration.ofSeconds(20);
  private static final String CHROMIUM = System.getProperty("chromium.binary", "/usr/bin/chromium");
  private static final String CHROMEDRIVER = System.getProperty("chromedriver.binary", "/usr/bin/chromedriver");
  private static final Path FAILURES = Path.of("target", "console-failures");

  private Path profile;
  private ChromeDriver driver;

  WebDriver driver() {
    return driver;
  }

  /** Opens the console of the hub on this port and waits until it registered. */
  void openConsole(int port) {
    driver.get("http://127.0.0.1:" + port + "/console");
    awaitConnection("connected");
  }

  void awaitConnection(String state) {
    await("the console to be " + state, d -> state.equals(
        d.findElement(By.tagName("body")).getDomAttribute("data-connection")));
  }

  <T> T await(String what, Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, WAIT).withMessage(what)
        .ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(condition);
  }

  List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  WebElement one(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  void screenshot(Path target) throws IOException {
    Files.createDirectories(target.toAbsolutePath().getParent());
    File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
    Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    if (!Files.isExecutable(Path.of(CHROMIUM)) || !Files.isExecutable(Path.of(CHROMEDRIVER))) {
      throw new IllegalStateException("Browser tests need " + CHROMIUM + " and " + CHROMEDRIVER
          + " (Debian's chromium and chromium-driver); run scripts/ensure-chromium");
    }
    profile = Files.createTempDirectory("agent-hub-chromium");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--window-size=1400,1100", "--user-data-dir=" + profile);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER))
        .usingAnyFreePort()
        .build();
    driver = new ChromeDriver(service, options);
  }

  @Override
  public void afterTestExecution(ExtensionContext context) throws Exception {
    if (context.getExecutionException().isPresent() && driver != null) {
      String name = context.getRequiredTestClass().getSimpleName() + "-" + context.getRequiredTestMethod().getName();
      screenshot(FAILURES.resolve(name + ".png"));
      Files.writeString(FAILURES.resolve(name + ".html"), driver.getPageSource());
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    try {
      if (driver != null) {
        driver.quit();
      }
    } finally {
      if (profile != null) {
        try (Stream<Path> files = Files.walk(profile)) {
          files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
      }
    }
  }
}
