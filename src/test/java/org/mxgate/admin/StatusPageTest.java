package org.mxgate.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.mxgate.backend.Backend;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The status page from a snapshot: every backend with its state and chart, charts on one scale
 * per pool, buttons that fit the state, every config-defined string escaped, and nothing the
 * Content-Security-Policy would block.
 */
class StatusPageTest {

    private static List<String> svgs(String page) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<svg .*?</svg>", Pattern.DOTALL).matcher(page);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    private static Document xml(String text) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static int tallestBar(String svg) throws Exception {
        NodeList rects = xml(svg).getElementsByTagName("rect");
        int tallest = 0;
        for (int i = 0; i < rects.getLength(); i++) {
            Element rect = (Element) rects.item(i);
            if (rect.getAttribute("class").equals("bar")) {
                tallest = Math.max(tallest, Integer.parseInt(rect.getAttribute("height")));
            }
        }
        return tallest;
    }

    @Test
    void everyBackendHasARowAStateAndAChartOnThePoolsScale() throws Exception {
        String page = StatusPage.render(StatusFixtures.twoBackends(Backend.State.DOWN, true), true);
        assertTrue(page.contains("<tr data-backend=\"mx1\" data-state=\"up\">"), page);
        assertTrue(page.contains("<tr data-backend=\"mx2\" data-state=\"down\">"), page);
        assertTrue(page.contains("<span class=\"badge state down\">down</span>"));
        List<String> charts = svgs(page);
        assertEquals(2, charts.size());
        // mx1 took twice mx2's share: on one scale its bars are twice as tall.
        assertEquals(BarChart.HEIGHT, tallestBar(charts.get(0)));
        assertEquals(BarChart.HEIGHT / 2, tallestBar(charts.get(1)));
        assertEquals(59, xml(charts.get(0)).getElementsByTagName("title").getLength(), "one tooltip per minute with mail");
        assertTrue(page.contains("590 in the last hour · 67 % of the pool<br>peak 10/min"), page);
        assertTrue(page.contains("295 in the last hour · 33 % of the pool<br>peak 5/min"), page);
        assertTrue(page.contains("MAIL FROM answered 250 2.1.0 Ok</span><br><span class=\"muted\">12 ms · 3 s ago"));
        assertTrue(page.contains("11:53:00 UTC<br><span class=\"muted\">for 7 min"), page);
        assertTrue(page.contains("relay denied 4 · dnsbl 2"), "refusals by reason, most first");
    }

    @Test
    void buttonsFitTheStateAndPostToTheApi() {
        String page = StatusPage.render(StatusFixtures.twoBackends(Backend.State.DRAINING, true), true);
        String base = "formaction=\"/api/backends/mailbox/";
        assertTrue(page.contains(base + "mx1/drain\">Drain</button>"), page);
        assertTrue(page.contains(base + "mx1/halt\">Halt</button>"));
        assertTrue(page.contains(base + "mx1/enable\" disabled>Enable</button>"));
        assertTrue(page.contains(base + "mx2/drain\" disabled>Drain</button>"));
        assertTrue(page.contains(base + "mx2/enable\">Enable</button>"));
        assertTrue(page.contains("<input type=\"password\" id=\"token\" name=\"token\""));
        // Enter in the token field must not press the first Drain button.
        int defaultButton = page.indexOf("<button");
        assertTrue(page.startsWith("<button type=\"submit\" disabled hidden", defaultButton), page.substring(defaultButton));
    }

    @Test
    void aBannerSaysSharedStateIsAwayAndNothingWhenItIsNot() {
        StatusSnapshot usual = StatusFixtures.twoBackends(Backend.State.UP, true);
        assertFalse(StatusPage.render(usual, true).contains("data-notice"));
        StatusSnapshot away = new StatusSnapshot(usual.hostname(), usual.instance(), usual.now(), usual.health(), usual.listeners(),
                usual.pools(), usual.canChange(), usual.lastChange(),
                "shared state: Redis away since 2026-11-27 11:58:02 UTC, limits per instance", null);
        assertTrue(StatusPage.render(away, true).contains("<p class=\"note\" data-notice=\"shared-state\">shared state:"
                + " Redis away since 2026-11-27 11:58:02 UTC, limits per instance</p>"));
        assertTrue(StatusJson.status(away).contains("\"notice\":\"shared state: Redis away since"), StatusJson.status(away));
    }

    @Test
    void withSharedStateATableShowsEachLiveInstanceAndTheStateItSeesEveryBackendIn() {
        assertFalse(StatusPage.render(StatusFixtures.twoBackends(Backend.State.UP, true), true).contains("class=\"instances\""),
                "alone, no instances table");
        String page = StatusPage.render(StatusFixtures.withPeers("archive", "ar1"), true);
        assertTrue(page.contains("<h2>Instances<span class=\"muted\">sharing state on Redis · 3 alive as of 11:59:56 UTC"),
                page);
        assertTrue(page.contains("<tr data-instance-name=\"mx1.1a-aaaaaa\"><td><span class=\"name\">mx1</span> (this page)"));
        assertTrue(page.contains("<tr data-instance-name=\"mx2.2b-bbbbbb\"><td><span class=\"name\">mx2</span><br>"));
        String mx2 = page.substring(page.indexOf("data-instance-name=\"mx2."), page.indexOf("data-instance-name=\"mx3."));
        assertTrue(mx2.contains("<td class=\"num\">4</td><td data-sees=\"mailbox/mx1\"><span class=\"badge state up\">up</span>"
                + "</td><td data-sees=\"mailbox/mx2\"><span class=\"badge state down\">down</span></td>"
                + "<td data-sees=\"archive/ar1\"><span class=\"muted\">not configured</span></td></tr>"), mx2);
        assertTrue(page.contains("<td class=\"num\">?</td>"), "sessions unreadable");
    }

    @Test
    void anotherInstancesNamesAreEscapedToo() {
        String evil = "<img src=x onerror=alert(1)>";
        String page = StatusPage.render(StatusFixtures.withPeers(evil, evil), true);
        assertFalse(page.contains("<img"));
        assertTrue(page.contains("data-sees=\"&lt;img src=x onerror=alert(1)&gt;/&lt;img"));
    }

    @Test
    void readOnlyPageHasNoButtonsAndSaysWhy() {
        String page = StatusPage.render(StatusFixtures.twoBackends(Backend.State.UP, false), true);
        assertFalse(page.contains("<button"));
        assertFalse(page.contains("id=\"token\""));
        assertTrue(page.contains("Read-only: no <code>admin.token_file</code> is configured"));
    }

    @Test
    void everyConfigDefinedStringIsEscaped() {
        String evil = "<img src=x onerror=alert(1)>\"'&";
        StatusSnapshot status = StatusFixtures.snapshot(evil, evil, List.of(StatusFixtures.backend(evil, Backend.State.UP,
                StatusFixtures.minutes(1, 1))), true, new GatewayHealth(false, "pool " + evil + " has no usable backend"));
        String page = StatusPage.render(status, true);
        assertFalse(page.contains("<img"), page);
        assertFalse(page.contains("onerror=alert(1)>\""));
        assertTrue(page.contains("&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;"));
        assertTrue(page.contains("formaction=\"/api/backends/%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E%22%27%26/"),
                "names in paths are percent-encoded");
        assertTrue(page.contains("<title>\u26a0 mxgate &lt;img"), "an unhealthy gateway shows in the tab's title");
    }

    @Test
    void chartsAreWellFormedSvg() throws Exception {
        for (String svg : svgs(StatusPage.render(StatusFixtures.twoBackends(Backend.State.UP, true), true))) {
            Document chart = xml(svg);
            assertEquals("svg", chart.getDocumentElement().getTagName());
            assertEquals("240", chart.getDocumentElement().getAttribute("width"));
        }
    }

    @Test
    void inlineStyleAndScriptAreTheOnesThePolicyAllows() {
        String page = StatusPage.render(StatusFixtures.twoBackends(Backend.State.UP, true), true);
        assertTrue(page.contains("<style>" + StatusPage.STYLE + "</style>"));
        assertTrue(page.contains("<script>" + StatusPage.SCRIPT + "</script>"));
        assertEquals(1, page.split("<style>", -1).length - 1);
        assertEquals(1, page.split("<script>", -1).length - 1);
        assertFalse(page.contains(" style=\""), "no style attributes: the policy allows only the hashed block");
        assertFalse(page.contains(" on"), "no event handler attributes");
        assertTrue(StatusPage.CONTENT_SECURITY_POLICY.startsWith("default-src 'none'; style-src 'sha256-"));
    }

    @Test
    void namesTheInstanceInTheHeadingAndTheTitle() {
        String page = StatusPage.render(StatusFixtures.twoBackends(Backend.State.UP, true), true);
        assertTrue(page.contains("<title>mxgate mx.example.test (mx1)</title>"), page);
        assertTrue(page.contains("<h1>mxgate <span class=\"host\">mx.example.test · instance <span data-instance=\"mx1\">mx1"
                + "</span></span></h1>"), page);
    }

    @Test
    void refreshesEveryFiveSecondsUnlessPaused() {
        String on = StatusPage.render(StatusFixtures.twoBackends(Backend.State.UP, true), true);
        assertTrue(on.contains("<noscript><meta http-equiv=\"refresh\" content=\"5\"></noscript>"));
        assertTrue(on.contains("<body data-refresh=\"5\">"));
        assertTrue(on.contains("<a href=\"/?refresh=off\">pause</a>"));
        String off = StatusPage.render(StatusFixtures.twoBackends(Backend.State.UP, true), false);
        assertFalse(off.contains("http-equiv=\"refresh\""));
        assertTrue(off.contains("<body data-refresh=\"0\">"));
        assertTrue(off.contains("refresh paused · <a href=\"/\">resume</a>"));
    }
}
