package jp.kitamoto.lists.app.cli;

/** A command could not do what was asked (no such list, a refused restore); the message is for the operator. Exit 1. */
public final class CliFailure extends RuntimeException {
    public CliFailure(String message) {
        super(message);
    }
}
