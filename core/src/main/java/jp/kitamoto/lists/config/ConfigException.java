package jp.kitamoto.lists.config;

/** A configuration problem; its message names the key and says what is wrong, for the operator to read. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
