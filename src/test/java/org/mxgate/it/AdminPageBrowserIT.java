package org.mxgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Acceptance 5: the status page in a real browser, Debian's headless Chromium driven through its
 * chromedriver. It loads /, finds both backends and their charts, takes the token and presses
 * Drain, sees the state change, and saves a screenshot (target/admin-status.png). The same with
 * JavaScript off, pressing Halt: the page works without it. Skipped, with the reason, where
 * chromium or chromedriver is not installed; both are named explicitly, so Selenium Manager
 * downloads nothing.
 */
class AdminPageBrowserIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final byte[] SMALL = "Subject: x\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    @BeforeAll
    static void browserInstalled() {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "chromium not installed (Debian package chromium)");
        Assumptions.assumeTrue(Files.isExecutable(CHROMEDRIVER),
                "chromedriver not installed (Debian package chromium-driver)");
    }

    private WebDriver browser(boolean javascript) throws Exception {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1360,900",
                "--user-data-dir=" + Files.createTempDirectory(dir, "chromium-profile"));
        if (!javascript) {
            options.setExperimentalOption("prefs", Map.of("profile.managed_default_content_settings.javascript", 2));
        }
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    /** The backend's state on the page now; a page replaced under the lookup counts as not yet. */
    private static String state(WebDriver browser, String backend) {
        try {
            return browser.findElement(By.cssSelector("tr[data-backend='" + backend + "']")).getAttribute("data-state");
        } catch (StaleElementReferenceException e) {
            return "";
        }
    }

    @Test
    void theStatusPageShowsBothBackendsAndDrainsOneWithTheToken() throws Exception {
        try (RecordingBackend b1 = new RecordingBackend();
             RecordingBackend b2 = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(b1.port(), b2.port()),
                     "    health_check: { interval: 1s, timeout: 1s, rise: 1, fall: 2 }\n", "",
                     "shutdown_grace: 2s\n" + AdminHttp.adminBlock(dir))) {
            try (SmtpClient client = new SmtpClient(gateway.internet())) {
                client.hello();
                for (int i = 0; i < 6; i++) {
                    assertTrue(client.sendMessage("x@client.test", List.of("user@example.test"), SMALL).startsWith("250"));
                }
            }
            String page = "http://127.0.0.1:" + gateway.gateway().adminPort() + "/";
            WebDriver browser = browser(true);
            try {
                browser.get(page);
                List<WebElement> rows = browser.findElements(By.cssSelector("table.backends tr[data-backend]"));
                assertEquals(List.of("b1", "b2"), rows.stream().map(r -> r.getAttribute("data-backend")).toList());
                List<RecordingBackend> backends = List.of(b1, b2);
                for (int i = 0; i < rows.size(); i++) {
                    WebElement row = rows.get(i);
                    List<WebElement> charts = row.findElements(By.cssSelector("svg.chart"));
                    assertEquals(1, charts.size(), "a chart per backend");
                    assertEquals("up", row.getAttribute("data-state"));
                    // The chart draws what the backend got this minute: its bar says as many messages.
                    int received = backends.get(i).messages().size();
                    assertTrue(received > 0, "round robin gave each backend mail");
                    assertTrue(charts.get(0).getAttribute("aria-label").contains(": " + received + " messages in the last hour"),
                            charts.get(0).getAttribute("aria-label"));
                    assertEquals(1, charts.get(0).findElements(By.cssSelector("rect.bar")).size(), "one minute, one bar");
                }
                assertTrue(browser.getTitle().startsWith("mxgate mx.test.invalid"), browser.getTitle());

                browser.findElement(By.id("token")).sendKeys(AdminHttp.TOKEN);
                browser.findElement(By.cssSelector("tr[data-backend='b1'] button[value='drain']")).click();
                new WebDriverWait(browser, Duration.ofSeconds(10)).until(b -> state(b, "b1").equals("draining"));
                assertEquals("up", state(browser, "b2"));
                assertEquals("DRAINING", gateway.gateway().pool("mailbox").backends().get(0).state().name());
                assertTrue(browser.findElement(By.cssSelector("p.note")).getText()
                        .startsWith("Last change: drain b1 of pool mailbox"), browser.getPageSource());
                // The inline script ran (the page's policy allowed it) and kept the token for this tab.
                assertEquals(AdminHttp.TOKEN, browser.findElement(By.id("token")).getAttribute("value"));

                byte[] png = ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES);
                Files.createDirectories(Path.of("target"));
                Files.write(Path.of("target/admin-status.png"), png);
            } finally {
                browser.quit();
            }

            WebDriver plain = browser(false);
            try {
                plain.get(page);
                plain.findElement(By.id("token")).sendKeys(AdminHttp.TOKEN);
                plain.findElement(By.cssSelector("tr[data-backend='b2'] button[value='halt']")).click();
                new WebDriverWait(plain, Duration.ofSeconds(10)).until(b -> state(b, "b2").equals("halted"));
                assertEquals("", plain.findElement(By.id("token")).getAttribute("value"),
                        "without JavaScript nothing keeps the token");
            } finally {
                plain.quit();
            }
        }
    }
}
