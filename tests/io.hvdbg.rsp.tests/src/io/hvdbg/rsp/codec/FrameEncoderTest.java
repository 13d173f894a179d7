/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** The writer side of the codec: framing, checksums, run-length encoding, escaping of binary data. */
class FrameEncoderTest {
    private static String frame(String data, boolean rle) {
        PacketBuffer out = new PacketBuffer();
        byte[] b = FrameDecoderTest.bytes(data);
        FrameEncoder.frame(b, 0, b.length, rle, out);
        return out.asText();
    }

    @Test
    void framesWithTheChecksumModulo256() {
        assertEquals("$OK#9a", frame("OK", false));
        assertEquals("$#00", frame("", false));
        assertEquals("$qSupported:swbreak+#8b", frame("qSupported:swbreak+", false));
    }

    @Test
    void runLengthEncodesLongRunsOnly() {
        assertEquals("$000#90", frame("000", true)); // three: not shorter encoded
        assertEquals("$0* #" + hexSum("0* "), frame("0000", true));
        assertTrue(frame("0".repeat(64), true).length() < 20);
    }

    @Test
    void runLengthNeverUsesHashOrDollarAsCount() {
        for (int n = 1; n <= 300; n++) {
            String f = frame("x".repeat(n), true);
            String body = f.substring(1, f.length() - 3);
            assertFalse(body.contains("#") || body.contains("$"), n + ": " + f);
            for (char c : body.toCharArray()) {
                assertTrue(c <= 126, n + ": count char above '~' in " + f);
            }
        }
    }

    @Test
    void runLengthRoundTripsThroughTheDecoder() {
        Random r = new Random(7);
        for (int round = 0; round < 500; round++) {
            StringBuilder sb = new StringBuilder();
            while (sb.length() < 2000) {
                char c = "0123456789abcdefxE.;:,"  .charAt(r.nextInt(22));
                sb.append(String.valueOf(c).repeat(1 + r.nextInt(r.nextBoolean() ? 4 : 200)));
            }
            String data = sb.toString();
            String wire = frame(data, true);
            assertTrue(wire.length() <= data.length() + 4);
            FrameDecoderTest.Events e = new FrameDecoderTest.Events();
            byte[] w = FrameDecoderTest.bytes(wire);
            new FrameDecoder(1 << 16).feed(w, 0, w.length, e);
            assertEquals(java.util.List.of("packet:" + data), e.events, "round " + round);
        }
    }

    @Test
    void escapedBinaryWithRunLengthRoundTrips() {
        Random r = new Random(11);
        for (int round = 0; round < 200; round++) {
            byte[] bin = new byte[r.nextInt(3000)];
            for (int i = 0; i < bin.length; i++) {
                bin[i] = r.nextInt(3) == 0 ? (byte) "#$}*"  .charAt(r.nextInt(4)) : (byte) (r.nextInt(3) == 0 ? 0 : r.nextInt(256));
            }
            PacketBuffer p = new PacketBuffer().appendAscii("l").appendEscaped(bin, 0, bin.length);
            PacketBuffer wire = new PacketBuffer();
            FrameEncoder.frame(p, true, wire);
            FrameDecoderTest.Events e = new FrameDecoderTest.Events();
            new FrameDecoder(1 << 16).feed(wire.array(), 0, wire.length(), e);
            assertEquals(1, e.payloads.size(), e.events.toString());
            byte[] got = e.payloads.get(0);
            assertArrayEquals(bin, java.util.Arrays.copyOfRange(got, 1, got.length));
        }
    }

    private static String hexSum(String s) {
        byte[] b = FrameDecoderTest.bytes(s);
        return String.format("%02x", FrameEncoder.checksum(b, 0, b.length));
    }
}
