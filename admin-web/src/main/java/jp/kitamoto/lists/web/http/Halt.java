package jp.kitamoto.lists.web.http;

/** Ends a request whose response (a redirect, an error page) has already been written. */
public final class Halt extends RuntimeException {
    public Halt() {
        super(null, null, false, false);
    }
}
