package jp.kitamoto.lists.mail.intake;

import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.handler.DisconnectHandler;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.core.DataCmdHandler;

/**
 * The intake's memory reserved at MAIL FROM for a message whose size the client declared ({@code SIZE=}, which
 * Postfix always sends): the message is then sure to fit when its data comes, and when the memory is used up the
 * client hears 452 4.3.1 before it sends a byte. Without the reservation, twenty 9 MB messages arriving at once each
 * took part of the memory and most ran out halfway. One reservation per connection: a new MAIL FROM replaces it, DATA
 * hands it to the message ({@link BufferedEnvelope#adopt}), and closing the connection gives it back, together with
 * the memory of a message left half-received.
 */
final class MemoryReservation implements DisconnectHandler<SMTPSession> {
    private static final ProtocolSession.AttachmentKey<IntakeMemory.Share> RESERVED =
            ProtocolSession.AttachmentKey.of("kitamoto.intake.reserved", IntakeMemory.Share.class);

    private final IntakeMemory memory;

    MemoryReservation(IntakeMemory memory) {
        this.memory = memory;
    }

    /** Reserves the memory for a message of {@code size} bytes; false (nothing reserved) if it does not fit now. */
    boolean reserve(SMTPSession session, long size) {
        release(session);
        IntakeMemory.Share share = memory.share();
        if (!share.take(IntakeMemory.needed(size))) {
            return false;
        }
        session.setAttachment(RESERVED, share, ProtocolSession.State.Connection);
        return true;
    }

    /** Gives this connection's reservation to the message whose DATA begins. */
    void handOver(SMTPSession session, BufferedEnvelope envelope) {
        session.removeAttachment(RESERVED, ProtocolSession.State.Connection).ifPresent(envelope::adopt);
    }

    private static void release(SMTPSession session) {
        session.removeAttachment(RESERVED, ProtocolSession.State.Connection).ifPresent(IntakeMemory.Share::run);
    }

    @Override
    public void onDisconnect(SMTPSession session) {
        release(session);
        session.getAttachment(DataCmdHandler.MAILENV, ProtocolSession.State.Transaction)
                .ifPresent(BufferedEnvelope::release);
    }

    IntakeMemory memory() {
        return memory;
    }
}
