package dev.lenet5.app.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page in a real browser: headless Chromium, driven through chromedriver by Selenium, draws a 7 with pointer
 * events on the canvas and must show 7, the input image and the feature maps; it draws a 1 by keyboard; and it
 * fits a phone's width. The screenshot goes to {@code target/serve.png}, or to {@code -Dlenet5.screenshot=FILE}
 * ({@code -Dlenet5.screenshot=../docs/serve.png} refreshes the README's; a plain build leaves the checkout as it was). Skipped where Debian's {@code chromium} and {@code chromium-driver} are not installed.
 */
class ServePageBrowserTest {

    static final Path CHROMIUM = Path.of(System.getProperty("lenet5.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("lenet5.chromedriver", "/usr/bin/chromedriver"));

    static TestServer server;
    static WebDriver driver;

    static final String MISSING = "no " + CHROMIUM + " or " + CHROMEDRIVER
            + ": apt-get install chromium chromium-driver";

    static boolean browserInstalled() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    @BeforeAll
    static void start() throws IOException {
        if (!browserInstalled()) {
            return;   // each test is skipped, saying why (a skip in here would not be reported per test)
        }
        server = new TestServer(TestServer.LIMITS);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // No sandbox: CI runs as root, where Chromium's sandbox refuses to start.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,1000", "--force-device-scale-factor=1", "--lang=en");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void openPage() {
        assumeTrue(browserInstalled(), MISSING);
        driver.manage().window().setSize(new Dimension(1280, 1000));
        driver.get(server.uri("/").toString());
        waitFor(d -> d.findElement(By.id("model")).getText().contains("bundled"));
    }

    private static void waitFor(java.util.function.Function<WebDriver, Boolean> condition) {
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(condition::apply);
    }

    private static Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /** A pointer's path through {@code points} (offsets from the pad's centre, in fractions of its size). */
    private static void stroke(WebElement pad, double[][] points) {
        int w = pad.getRect().getWidth();
        int h = pad.getRect().getHeight();
        // No pause per move: chromedriver takes about 150 ms for each anyway, so the steps are few.
        Actions a = new Actions(driver, Duration.ZERO)
                .moveToElement(pad, (int) (points[0][0] * w), (int) (points[0][1] * h))
                .clickAndHold();
        int x = (int) (points[0][0] * w);
        int y = (int) (points[0][1] * h);
        for (int i = 1; i < points.length; i++) {
            int tx = (int) (points[i][0] * w);
            int ty = (int) (points[i][1] * h);
            // Steps, as a hand moves: the page draws a line between each pair of pointer events.
            int steps = Math.max(1, (int) (Math.hypot(tx - x, ty - y) / 20));
            for (int s = 1; s <= steps; s++) {
                int nx = x + (tx - x) * s / steps;
                int ny = y + (ty - y) * s / steps;
                a.moveByOffset(nx - (x + (tx - x) * (s - 1) / steps), ny - (y + (ty - y) * (s - 1) / steps));
            }
            x = tx;
            y = ty;
        }
        a.release().perform();
    }

    /** How many distinct colours each canvas in the container shows: 1 means blank. */
    @SuppressWarnings("unchecked")
    private static List<Long> coloursPerMap(String selector) {
        return (List<Long>) script("return Array.from(document.querySelectorAll(arguments[0])).map(c => {"
                + " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                + " const seen = new Set(); for (let i = 0; i < d.length; i += 4) seen.add(d[i] * 65536 + d[i + 1] * 256"
                + " + d[i + 2]); return seen.size; });", selector);
    }

    @Test
    void drawingASevenShowsSevenAndWhatTheNetworkSaw() throws IOException {
        WebElement pad = driver.findElement(By.id("pad"));
        stroke(pad, new double[][] {{-0.28, -0.30}, {0.28, -0.30}, {0.02, 0.36}});
        waitFor(d -> d.findElement(By.id("digit")).getText().equals("7"));
        // The answer for the whole drawing, after the pen lifted, is the last; wait until it is in.
        waitFor(d -> !((Boolean) script("return document.body.dataset.answers === undefined")));

        assertEquals("7", driver.findElement(By.cssSelector("#bars li.top span")).getText());
        String sure = driver.findElement(By.id("confidence")).getText();
        assertTrue(sure.matches("\\d+(\\.\\d+)?% sure"), sure);
        List<Long> input = coloursPerMap("#input28");
        List<Long> conv1 = coloursPerMap("#conv1 canvas");
        List<Long> conv2 = coloursPerMap("#conv2 canvas");
        assertEquals(1, input.size());
        assertTrue(input.get(0) > 10, "the 28x28 input is blank: " + input);
        assertEquals(6, conv1.size());
        assertEquals(16, conv2.size());
        assertTrue(conv1.stream().filter(n -> n > 10).count() >= 5, "conv1 maps mostly blank: " + conv1);
        assertTrue(conv2.stream().filter(n -> n > 3).count() >= 8, "conv2 maps mostly blank: " + conv2);
        assertEquals("", driver.findElement(By.id("status")).getText());
        String provenance = driver.findElement(By.id("model")).getText();
        assertTrue(provenance.contains("test accuracy") && provenance.contains("recipe"), provenance);

        Path shot = Path.of(System.getProperty("lenet5.screenshot", "target/serve.png"));
        Files.createDirectories(shot.toAbsolutePath().getParent());
        Files.write(shot, ((ChromeDriver) driver).getScreenshotAs(OutputType.BYTES));

        driver.findElement(By.id("clear")).click();
        assertEquals("\u2013", driver.findElement(By.id("digit")).getText());
        assertEquals(1L, coloursPerMap("#conv1 canvas").get(0));
    }

    @Test
    void aOneCanBeDrawnByKeyboard() {
        WebElement pad = driver.findElement(By.id("pad"));
        // Reach the pad by Tab, as a keyboard user does: it is the page's first control.
        driver.findElement(By.tagName("body")).sendKeys(Keys.TAB);
        assertEquals(pad, driver.switchTo().activeElement());
        Actions keys = new Actions(driver);
        for (int i = 0; i < 9; i++) {
            keys.sendKeys(Keys.ARROW_UP);
        }
        keys.sendKeys(Keys.SPACE);
        for (int i = 0; i < 18; i++) {
            keys.sendKeys(Keys.ARROW_DOWN);
        }
        keys.sendKeys(Keys.SPACE).perform();
        waitFor(d -> d.findElement(By.id("digit")).getText().equals("1"));
        pad.sendKeys(Keys.DELETE);
        waitFor(d -> d.findElement(By.id("digit")).getText().equals("\u2013"));
    }

    @Test
    void fitsAPhone() {
        driver.manage().window().setSize(new Dimension(390, 844));
        Long overflow = (Long) script("return document.documentElement.scrollWidth - window.innerWidth;");
        assertTrue(overflow <= 0, "the page is " + overflow + " px wider than a phone's screen");
        WebElement pad = driver.findElement(By.id("pad"));
        assertTrue(pad.getRect().getWidth() >= 250, "the pad is too small to draw on: " + pad.getRect().getWidth());
    }
}
