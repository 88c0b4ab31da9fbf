package jp.kitamoto.lists.testing;

import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Debian's headless Chromium driven by its own chromedriver ({@code /usr/bin/chromedriver}, given explicitly so that
 * Selenium Manager never downloads one), Japanese locale, a fresh profile per test. Fails, never skips, when the
 * driver is missing: the browser flows are part of what CI proves.
 */
public final class HeadlessChromium implements AutoCloseable {
    private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");

    private final WebDriver browser;
    private final WebDriverWait wait;

    private HeadlessChromium(WebDriver browser) {
        this.browser = browser;
        this.wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    }

    /** Starts a browser with its profile in {@code profileDir} (a test's temporary folder), reading Japanese. */
    public static HeadlessChromium start(Path profileDir) {
        return start(profileDir, "ja");
    }

    /**
     * Starts a browser whose {@code Accept-Language} is {@code language} (e.g. {@code "ja"}, {@code "en-US,en"}):
     * headless Chromium sends en-US whatever {@code --lang} says unless the profile's preference is set.
     */
    public static HeadlessChromium start(Path profileDir, String language) {
        assertThat(CHROMEDRIVER).as("chromedriver is required: apt-get install -y chromium chromium-driver "
                + "fonts-ipafont-gothic").exists();
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,1600", "--lang=" + language.split(",")[0],
                "--user-data-dir=" + profileDir.toAbsolutePath());
        options.setExperimentalOption("prefs", java.util.Map.of("intl.accept_languages", language));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER)
                .usingAnyFreePort().build();
        WebDriver browser = new ChromeDriver(service, options);
        browser.manage().timeouts().implicitlyWait(Duration.ZERO);
        return new HeadlessChromium(browser);
    }

    public WebDriver browser() {
        return browser;
    }

    /** Waits (up to 20 s) for what the test expects on the page. */
    public WebDriverWait await() {
        return wait;
    }

    /** Waits until an element with this id is on the page. */
    public void waitFor(String id) {
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id(id)));
    }

    /** A PNG of the page in {@code target/screenshots} (or {@code -Dscreenshots.dir}). */
    public void screenshot(String name) throws IOException {
        Path dir = Path.of(System.getProperty("screenshots.dir", "target/screenshots"));
        Files.createDirectories(dir);
        Files.write(dir.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    @Override
    public void close() {
        browser.quit();
    }
}
