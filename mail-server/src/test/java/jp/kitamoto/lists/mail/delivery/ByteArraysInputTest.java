package jp.kitamoto.lists.mail.delivery;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Unit tier: a copy's arrays in slices of at most 64 KB, across array ends, nothing lost or repeated. */
class ByteArraysInputTest {
    @Test
    void slicesCrossArrayEndsAndTogetherAreTheArraysInOrder() {
        byte[] commands = "MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nBDAT 200010 LAST\r\n".getBytes();
        byte[] headers = new byte[10];
        byte[] body = new byte[200_000];
        new Random(1).nextBytes(headers);
        new Random(2).nextBytes(body);
        ByteArraysInput input = (ByteArraysInput) ByteArraysInput.message(commands, headers, new byte[0], body);
        assertThat(input.length()).isEqualTo(commands.length + headers.length + body.length);

        ByteArrayOutputStream all = new ByteArrayOutputStream();
        List<Integer> sizes = new ArrayList<>();
        while (!input.isEndOfInput()) {
            ByteBuf slice = input.readChunk(ByteBufAllocator.DEFAULT);
            sizes.add(slice.readableBytes());
            all.writeBytes(ByteBufUtil.getBytes(slice));
            slice.release();
            assertThat(input.progress()).isEqualTo(all.size());
        }
        assertThat(input.readChunk(ByteBufAllocator.DEFAULT)).isNull();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(commands);
        expected.writeBytes(headers);
        expected.writeBytes(body);
        assertThat(all.toByteArray()).isEqualTo(expected.toByteArray());
        assertThat(sizes).allMatch(n -> n > 0 && n <= ByteArraysInput.SLICE);
        assertThat(sizes).hasSize((int) Math.ceil(expected.size() / (double) ByteArraysInput.SLICE));
    }

    @Test
    void aCopyThatFitsInASliceIsOneBufferAndALargerOneAnInput() {
        Object small = ByteArraysInput.message(new byte[100], new byte[ByteArraysInput.SLICE - 100]);
        assertThat(small).isInstanceOf(ByteBuf.class);
        assertThat(((ByteBuf) small).readableBytes()).isEqualTo(ByteArraysInput.SLICE);
        ((ByteBuf) small).release();
        assertThat(ByteArraysInput.message(new byte[100], new byte[ByteArraysInput.SLICE])).isInstanceOf(ByteArraysInput.class);
    }

    @Test
    void nothingToWriteEndsAtOnce() {
        ByteArraysInput input = new ByteArraysInput(new byte[][]{new byte[0], new byte[0]}, 0);
        assertThat(input.isEndOfInput()).isTrue();
        assertThat(input.readChunk(ByteBufAllocator.DEFAULT)).isNull();
    }
}
