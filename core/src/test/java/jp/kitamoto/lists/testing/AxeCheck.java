package jp.kitamoto.lists.testing;

import com.deque.html.axecore.results.CheckedNode;
import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import org.openqa.selenium.WebDriver;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs axe-core (the script bundled in {@code com.deque.html.axe-core:selenium}, never fetched) on the page open in a
 * browser, with the WCAG 2.0 and 2.1 level A and AA rules: the automated part of JIS X 8341-3:2016 level AA. Every
 * check prints what it looked at (page, rules passed, violations); {@link #assertNoViolations()} fails at the end
 * with every violation of every page, so one run shows all there is to fix.
 */
public final class AxeCheck {
    /** WCAG 2.0 and 2.1, levels A and AA (JIS X 8341-3:2016 is WCAG 2.0; 2.1 adds mobile and low-vision rules). */
    public static final List<String> TAGS = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa");

    private final List<String> violations = new ArrayList<>();
    private final List<String> checked = new ArrayList<>();

    /** Checks the page open in {@code browser}; {@code name} says which page it is in the report. */
    public Results check(WebDriver browser, String name) {
        Results results = new AxeBuilder().withTags(TAGS).analyze(browser);
        assertThat(results.isErrored()).as("axe ran on " + name + ": " + results.getErrorMessage()).isFalse();
        List<Rule> found = results.getViolations();
        String line = String.format("axe %-28s %s: %d rules passed, %d violations%s, %d to review by hand",
                name, browser.getCurrentUrl(), results.getPasses().size(), found.size(),
                found.isEmpty() ? "" : " " + found.stream().map(Rule::getId).toList(), results.getIncomplete().size());
        System.out.println(line);
        checked.add(line);
        for (Rule rule : found) {
            for (CheckedNode node : rule.getNodes()) {
                violations.add(name + ": " + rule.getId() + " (" + rule.getImpact() + ", " + rule.getTags() + ") "
                        + rule.getHelp() + " at " + node.getTarget() + ": " + node.getHtml() + " — "
                        + node.getFailureSummary());
            }
        }
        return results;
    }

    /** What was checked, one line per page. */
    public List<String> checked() {
        return List.copyOf(checked);
    }

    public void assertNoViolations() {
        assertThat(checked).as("pages checked").isNotEmpty();
        assertThat(violations).as("WCAG 2.0/2.1 A and AA violations found by axe").isEmpty();
    }
}
