package jp.kitamoto.lists.mail.posting;

import jp.kitamoto.lists.mail.routing.Route;

import java.util.List;

/**
 * A message as the SMTP intake received it: the bytes, the envelope, and the routes of its recipients (resolved at
 * RCPT, not parsed again).
 */
public record IncomingMessage(byte[] raw, String envelopeFrom, List<Route> recipients, String remoteAddress) {
}
