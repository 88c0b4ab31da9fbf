package jp.kitamoto.lists.app;

/**
 * {@code java -jar kitamoto-lists.jar [command] [options]}: see {@link KitamotoLists}. Without a command it runs the
 * server, with the options it always had: {@code --config=PATH} (a site file), {@code --dev-smarthost} (an embedded
 * GreenMail instead of a real MTA, for trying the server on one machine).
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        String[] full = KitamotoLists.withDefaultCommand(args);
        if (!full[0].equals("serve")) {
            // Before the first logger exists: an operating command's standard output is its answer (maybe JSON), so
            // the log goes to standard error and says only what matters (see logback.xml).
            System.setProperty("kitamoto.log.target", "System.err");
            System.setProperty("kitamoto.log.level", "WARN");
        }
        int code = KitamotoLists.ofProcess().commandLine().execute(full);
        System.exit(code);
    }
}
