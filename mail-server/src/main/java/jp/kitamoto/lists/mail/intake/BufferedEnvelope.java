package jp.kitamoto.lists.mail.intake;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.smtp.MailEnvelope;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A message as it arrives in DATA, held in 64 KB blocks whose memory is taken from {@link IntakeMemory} as they
 * fill. James's own envelope grows one array by doubling (up to twice the message) and each hook that reads it gets
 * a copy; here the hooks share one array ({@link #bytes}). When the intake's memory is used up, the rest of the
 * message is read and dropped and the envelope is {@link #overflowed()}: {@link MemoryHook} then answers 452 4.3.1.
 * A message whose size was declared at MAIL FROM ({@code SIZE=}) brings the memory reserved for it then
 * ({@link #adopt}), so it cannot run out halfway. The memory is given back by {@link #release} once the message is
 * stored or refused, or when the client goes away in the middle ({@link MemoryReservation}), and, as a last resort,
 * when the envelope is collected.
 */
final class BufferedEnvelope implements MailEnvelope {
    private static final Cleaner CLEANER = Cleaner.create();
    static final int BLOCK = 64 * 1024;

    private final MaybeSender sender;
    private final List<MailAddress> recipients;
    private final IntakeMemory.Share share;
    /** Bytes of the share reserved at MAIL FROM (for the declared SIZE) that no block has used yet. */
    private long prepaid;
    private final Cleaner.Cleanable cleanable;
    private final List<byte[]> blocks = new ArrayList<>();
    private int inLast = BLOCK;
    private long size;
    private boolean overflowed;
    private byte[] whole;
    /** The start of a message that overflowed, kept for the log line's Message-ID. */
    private byte[] head = new byte[0];

    BufferedEnvelope(MaybeSender sender, List<MailAddress> recipients, IntakeMemory memory) {
        this.sender = sender;
        this.recipients = recipients;
        this.share = memory.share();
        this.cleanable = CLEANER.register(this, share);
    }

    /** The message's bytes as one array, made once and shared by every hook; reading James's way works too. */
    static byte[] bytesOf(MailEnvelope mail) throws IOException {
        if (mail instanceof BufferedEnvelope buffered) {
            return buffered.bytes();
        }
        try (InputStream in = mail.getMessageInputStream()) {
            return in.readAllBytes();
        }
    }

    /** Gives back the memory of a message that was stored or refused (any envelope; ours only hold some). */
    static void release(MailEnvelope mail) {
        if (mail instanceof BufferedEnvelope buffered) {
            buffered.release();
        }
    }

    /** Takes over the memory reserved at MAIL FROM for this message's declared size. */
    void adopt(IntakeMemory.Share reserved) {
        prepaid += share.absorb(reserved);
    }

    boolean overflowed() {
        return overflowed;
    }

    /** Drops the bytes and gives back their memory; idempotent. */
    void release() {
        blocks.clear();
        whole = null;
        cleanable.clean();
    }

    byte[] bytes() {
        if (overflowed) {
            throw new IllegalStateException("the message did not fit in the intake's memory");
        }
        if (whole == null) {
            byte[] all = new byte[Math.toIntExact(size)];
            int at = 0;
            for (byte[] block : blocks) {
                int n = (int) Math.min(block.length, size - at);
                System.arraycopy(block, 0, all, at, n);
                at += n;
            }
            blocks.clear();
            whole = all;
        }
        return whole;
    }

    @Override
    public long getSize() {
        return size;
    }

    @Override
    public List<MailAddress> getRecipients() {
        return recipients;
    }

    @Override
    public MaybeSender getMaybeSender() {
        return sender;
    }

    @Override
    public OutputStream getMessageOutputStream() {
        return new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                append(b, off, len);
            }
        };
    }

    /** The message, or the start of one that {@link #overflowed()} (enough for its Message-ID). */
    @Override
    public InputStream getMessageInputStream() {
        return new ByteArrayInputStream(overflowed ? head : bytes());
    }

    private boolean takeBlock() {
        long needed = IntakeMemory.needed(BLOCK);
        if (prepaid >= needed) {
            prepaid -= needed;
            return true;
        }
        if (!share.take(needed - prepaid)) {
            return false;
        }
        prepaid = 0;
        return true;
    }

    private void append(byte[] b, int off, int len) {
        size += len;
        if (overflowed) {
            return;
        }
        if (whole != null) {
            throw new IllegalStateException("the message was read before it was complete");
        }
        while (len > 0) {
            if (inLast == BLOCK) {
                // Each block is counted as it will be used: arriving, parsed, decorated (IntakeMemory).
                if (!takeBlock()) {
                    overflowed = true;
                    if (!blocks.isEmpty()) {
                        head = Arrays.copyOf(blocks.get(0), blocks.size() == 1 ? inLast : BLOCK);
                    }
                    release();
                    return;
                }
                blocks.add(new byte[BLOCK]);
                inLast = 0;
            }
            int n = Math.min(len, BLOCK - inLast);
            System.arraycopy(b, off, blocks.get(blocks.size() - 1), inLast, n);
            inLast += n;
            off += n;
            len -= n;
        }
    }
}
