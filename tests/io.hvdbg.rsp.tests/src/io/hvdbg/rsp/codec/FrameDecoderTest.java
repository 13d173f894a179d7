/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The reader side of the codec: framing, checksums, acks, the interrupt byte, RLE, escapes, limits. */
class FrameDecoderTest {
    /** Records every decoder event as text, e.g. "packet:g", "ack", "problem:CHECKSUM". */
    static final class Events implements FrameDecoder.Sink {
        final List<String> events = new ArrayList<>();
        final List<byte[]> payloads = new ArrayList<>();
        final List<String> details = new ArrayList<>();

        @Override
        public void packet(byte[] payload, int length) {
            byte[] copy = java.util.Arrays.copyOf(payload, length);
            payloads.add(copy);
            events.add("packet:" + new String(copy, StandardCharsets.ISO_8859_1));
        }

        @Override
        public void ack() {
            events.add("ack");
        }

        @Override
        public void nack() {
            events.add("nack");
        }

        @Override
        public void interrupt() {
            events.add("interrupt");
        }

        @Override
        public void problem(FrameDecoder.Problem problem, String detail) {
            events.add("problem:" + problem);
            details.add(detail);
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Frames text with a correct checksum, no RLE. */
    static String frame(String data) {
        PacketBuffer out = new PacketBuffer();
        FrameEncoder.frame(bytes(data), 0, data.length(), false, out);
        return out.asText();
    }

    private static Events feed(FrameDecoder d, String wire) {
        Events e = new Events();
        byte[] b = bytes(wire);
        d.feed(b, 0, b.length, e);
        return e;
    }

    @Test
    void decodesAPacketWithAValidChecksum() {
        Events e = feed(new FrameDecoder(4096), "$qSupported:swbreak+#8b");
        // checksum: sum of the data bytes mod 256 = 0x8b
        assertEquals(List.of("packet:qSupported:swbreak+"), e.events, e.details.toString());
    }

    @Test
    void acceptsUpperCaseChecksumDigits() {
        String f = frame("m1000,4");
        Events e = feed(new FrameDecoder(4096), f.substring(0, f.length() - 2) + f.substring(f.length() - 2).toUpperCase());
        assertEquals(List.of("packet:m1000,4"), e.events);
    }

    @Test
    void emptyPacketIsDelivered() {
        assertEquals(List.of("packet:"), feed(new FrameDecoder(64), "$#00").events);
    }

    @Test
    void acksNacksAndInterruptBetweenPackets() {
        Events e = feed(new FrameDecoder(4096), "+" + frame("c") + "-\u0003+");
        assertEquals(List.of("ack", "packet:c", "nack", "interrupt", "ack"), e.events);
    }

    @Test
    void interruptByteInsidePacketDataIsData() {
        // 0x03 is only an interrupt between packets; X data may contain it.
        Events e = feed(new FrameDecoder(4096), frame("X0,1:\u0003"));
        assertEquals(List.of("packet:X0,1:\u0003"), e.events);
    }

    @Test
    void wrongChecksumIsReportedAndTheNextPacketStillDecodes() {
        FrameDecoder d = new FrameDecoder(4096);
        Events e = feed(d, "$g#00" + frame("?"));
        assertEquals(List.of("problem:CHECKSUM", "packet:?"), e.events);
        assertTrue(e.details.get(0).contains("checksum mismatch"), e.details.get(0));
        assertFalse(d.inPacket());
    }

    @Test
    void nonHexChecksumIsMalformed() {
        Events e = feed(new FrameDecoder(4096), "$g#zz" + frame("g"));
        assertEquals("problem:MALFORMED", e.events.get(0));
        assertTrue(e.details.get(0).contains("two hex digits"), e.details.get(0));
        assertEquals("packet:g", e.events.get(e.events.size() - 1));
    }

    @Test
    void dollarInsideChecksumRestartsAPacket() {
        Events e = feed(new FrameDecoder(4096), "$g#" + frame("s"));
        assertEquals(List.of("problem:MALFORMED", "packet:s"), e.events);
    }

    @Test
    void dollarInsideDataRestartsThePacket() {
        Events e = feed(new FrameDecoder(4096), "$mabc" + frame("c"));
        assertEquals(List.of("packet:c"), e.events);
    }

    @Test
    void noiseBetweenPacketsIsCountedAndIgnored() {
        FrameDecoder d = new FrameDecoder(4096);
        Events e = feed(d, "hello\r\n" + frame("k"));
        assertEquals(List.of("packet:k"), e.events);
        assertEquals(7, d.noiseBytes());
    }

    @Test
    void packetsSplitAtEveryByteBoundaryDecodeTheSame() {
        String wire = "+" + frame("vCont;s:1") + frame("Z0,1000,1") + "\u0003" + frame("qXfer:features:read:target.xml:0,ffb");
        FrameDecoder d = new FrameDecoder(4096);
        Events e = new Events();
        byte[] b = bytes(wire);
        for (int i = 0; i < b.length; i++) {
            d.feed(b, i, 1, e);
        }
        assertEquals(List.of("ack", "packet:vCont;s:1", "packet:Z0,1000,1", "interrupt",
                "packet:qXfer:features:read:target.xml:0,ffb"), e.events);
    }

    @Test
    void escapesAreRemoved() {
        // X packet carrying the bytes '#', '$', '}', '*' and 0x00 escaped as gdb does.
        PacketBuffer p = new PacketBuffer().appendAscii("X100,5:");
        p.appendEscaped(new byte[] {'#', '$', '}', '*', 0}, 0, 5);
        PacketBuffer w = new PacketBuffer();
        FrameEncoder.frame(p, false, w);
        assertTrue(w.asText().contains("}\u0003}\u0004}]}\n"), w.asText());
        Events e = feed(new FrameDecoder(4096), w.asText());
        assertEquals(1, e.payloads.size(), e.events.toString());
        byte[] got = e.payloads.get(0);
        byte[] data = java.util.Arrays.copyOfRange(got, 7, got.length);
        assertEquals("[35, 36, 125, 42, 0]", java.util.Arrays.toString(data));
    }

    @Test
    void packetEndingInsideAnEscapeIsMalformed() {
        String data = "X0,1:}";
        String f = "$" + data + "#" + String.format("%02x", FrameEncoder.checksum(bytes(data), 0, data.length()));
        Events e = feed(new FrameDecoder(4096), f);
        assertEquals(List.of("problem:MALFORMED"), e.events);
        assertTrue(e.details.get(0).contains("escape"), e.details.get(0));
    }

    @Test
    void runLengthEncodingIsExpanded() {
        // "0* " is '0' plus 3 more: "0000"; '"' (34) gives 5 more.
        String data = "a0* b*\"";
        String f = "$" + data + "#" + String.format("%02x", FrameEncoder.checksum(bytes(data), 0, data.length()));
        Events e = feed(new FrameDecoder(4096), f);
        assertEquals(List.of("packet:a0000bbbbbb"), e.events);
    }

    @Test
    void runLengthAtThePacketStartIsMalformed() {
        String data = "* abc";
        String f = "$" + data + "#" + String.format("%02x", FrameEncoder.checksum(bytes(data), 0, data.length()));
        Events e = feed(new FrameDecoder(4096), f);
        assertEquals(List.of("problem:MALFORMED"), e.events);
        assertTrue(e.details.get(0).contains("run-length"), e.details.get(0));
    }

    @Test
    void runLengthWithACountBelowSpaceIsMalformed() {
        String data = "a*\u0010";
        String f = "$" + data + "#" + String.format("%02x", FrameEncoder.checksum(bytes(data), 0, data.length()));
        assertEquals(List.of("problem:MALFORMED"), feed(new FrameDecoder(4096), f).events);
    }

    @Test
    void runLengthCutOffAtTheEndIsMalformed() {
        String data = "ab*";
        String f = "$" + data + "#" + String.format("%02x", FrameEncoder.checksum(bytes(data), 0, data.length()));
        assertEquals(List.of("problem:MALFORMED"), feed(new FrameDecoder(4096), f).events);
    }

    @Test
    void oversizePacketIsRejectedWithoutKeepingItsBytes() {
        FrameDecoder d = new FrameDecoder(64);
        String big = "M0,100:" + "00".repeat(100_000);
        Events e = feed(d, frame(big) + frame("g"));
        assertEquals(List.of("problem:OVERSIZE", "packet:g"), e.events);
        assertTrue(e.details.get(0).contains("maximum packet size 64"), e.details.get(0));
    }

    @Test
    void packetOfExactlyTheMaximumIsAccepted() {
        String data = "x".repeat(64);
        assertEquals(List.of("packet:" + data), feed(new FrameDecoder(64), frame(data)).events);
        assertEquals(List.of("problem:OVERSIZE"), feed(new FrameDecoder(64), frame(data + "y")).events);
    }

    @Test
    void runLengthExpandingBeyondTheMaximumIsOversize() {
        // 10 wire bytes that expand to 16 * 98 bytes.
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            data.append((char) ('a' + i)).append("*~");
        }
        String f = "$" + data + "#" + String.format("%02x", FrameEncoder.checksum(bytes(data.toString()), 0, data.length()));
        Events e = feed(new FrameDecoder(256), f);
        assertEquals(List.of("problem:OVERSIZE"), e.events);
    }

    @Test
    void maximumBelowSixteenIsRefusedWithAMessage() {
        IllegalArgumentException x = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new FrameDecoder(4));
        assertTrue(x.getMessage().contains("at least 16"));
    }

    @Test
    void randomInputNeverThrowsAndTheDecoderRecovers() {
        Random r = new Random(42);
        byte[] alphabet = bytes("$#}*+-\u0003abc0123456789gmXZ:,;");
        for (int round = 0; round < 2000; round++) {
            FrameDecoder d = new FrameDecoder(128);
            Events e = new Events();
            byte[] junk = new byte[r.nextInt(400)];
            for (int i = 0; i < junk.length; i++) {
                junk[i] = r.nextInt(4) == 0 ? (byte) r.nextInt(256) : alphabet[r.nextInt(alphabet.length)];
            }
            int pos = 0;
            while (pos < junk.length) {
                int n = Math.min(junk.length - pos, 1 + r.nextInt(50));
                d.feed(junk, pos, n, e);
                pos += n;
            }
            // Whatever state the junk left, a '#' and two digits end any packet in progress; then a real one decodes.
            Events after = feed(d, "#00" + frame("qC"));
            assertEquals("packet:qC", after.events.get(after.events.size() - 1), "round " + round);
        }
    }

    @Test
    void countsDeliveredPackets() {
        FrameDecoder d = new FrameDecoder(64);
        feed(d, frame("g") + "$g#00" + frame("?"));
        assertEquals(2, d.packets());
    }
}
