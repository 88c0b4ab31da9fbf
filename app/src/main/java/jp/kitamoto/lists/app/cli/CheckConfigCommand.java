package jp.kitamoto.lists.app.cli;

import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.config.SettingsLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

@Command(name = "check-config", description = {"Loads the settings as the server would (defaults, site file,"
        + " KITAMOTO_<SECTION>__<KEY> variables) and prints them, passwords masked; exit 1 naming the first problem."})
public final class CheckConfigCommand implements Callable<Integer> {
    @Mixin
    Common common;

    @Override
    public Integer call() {
        Settings s = common.settings();
        jp.kitamoto.lists.app.ops.Backups.checkSettings(s);
        Settings masked = new Settings(s.server(), s.smtp(), s.web(), s.smarthost(),
                new Settings.Database(s.database().url().replaceAll("password=[^&;]*", "password=***"),
                        s.database().username(), s.database().password().isEmpty() ? "" : "***",
                        s.database().poolSize()), s.delivery(), s.dkim(), s.backup(), s.metrics(), s.postfix(), s.logging());
        // Which of the project's variables are set, and read as what (never their values: they may be secrets).
        Map<String, String> variables = new TreeMap<>();
        common.root().env().keySet().stream().filter(n -> n.startsWith(SettingsLoader.ENV_PREFIX)).forEach(n ->
                variables.put(n, SettingsLoader.isSettingVariable(n) ? "setting" : "not a setting (read elsewhere)"));
        if (common.json()) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("ok", true);
            out.put("settings", masked);
            out.put("variables", variables);
            common.printJson(out);
        } else {
            common.out().println("configuration OK");
            common.out().println(masked.toString().replace("], ", "],\n  "));
            variables.forEach((n, what) -> common.out().println(n + ": " + what));
        }
        return 0;
    }
}
