package jp.kitamoto.lists.mail.posting;

import jp.kitamoto.lists.mail.routing.ListAddress;

import java.util.List;

/** A message as the SMTP intake received it: the bytes, the envelope, and the hosted addresses it was sent to. */
public record IncomingMessage(byte[] raw, String envelopeFrom, List<ListAddress> recipients, String remoteAddress) {
}
