/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Field parsing of received packets and the encodings replies are built with. */
class PacketScannerTest {
    @Test
    void readsAddressLengthPairs() {
        PacketScanner s = PacketScanner.of("m7fff0000,40");
        assertEquals('m', s.next());
        assertEquals(0x7fff0000L, s.hex());
        s.expect(',');
        assertEquals(0x40, s.hexInt());
        s.expectEnd();
    }

    @Test
    void reads64BitAddressesAndRejectsLonger() {
        assertEquals(0xffffffff81000000L, PacketScanner.of("ffffffff81000000").hex());
        MalformedPacketException e = assertThrows(MalformedPacketException.class,
                () -> PacketScanner.of("1ffffffff81000000").hex());
        assertTrue(e.getMessage().contains("longer than 64 bits"), e.getMessage());
    }

    @Test
    void missingFieldsGiveMessagesNamingThePacket() {
        MalformedPacketException e = assertThrows(MalformedPacketException.class, () -> {
            PacketScanner s = PacketScanner.of("m1000");
            s.next();
            s.hex();
            s.expect(',');
        });
        assertTrue(e.getMessage().startsWith("malformed packet 'm1000'"), e.getMessage());
        assertTrue(e.getMessage().contains("expected ','"), e.getMessage());
        assertThrows(MalformedPacketException.class, () -> PacketScanner.of("").next());
        assertThrows(MalformedPacketException.class, () -> PacketScanner.of(",").hex());
        assertThrows(MalformedPacketException.class, () -> PacketScanner.of("80000000").hexInt());
    }

    @Test
    void hexDataMustBeEvenAndHex() {
        assertArrayEquals(new byte[] {0x12, (byte) 0xab}, PacketScanner.of("12AB").hexBytesToEnd());
        assertThrows(MalformedPacketException.class, () -> PacketScanner.of("123").hexBytesToEnd());
        assertThrows(MalformedPacketException.class, () -> PacketScanner.of("zz").hexBytesToEnd());
    }

    @Test
    void threadIdsInAllForms() {
        assertEquals(2, ThreadId.read(PacketScanner.of("2")));
        assertEquals(ThreadId.ALL, ThreadId.read(PacketScanner.of("-1")));
        assertEquals(ThreadId.ANY, ThreadId.read(PacketScanner.of("0")));
        assertEquals(3, ThreadId.read(PacketScanner.of("p1.3")));
        assertEquals(ThreadId.ALL, ThreadId.read(PacketScanner.of("p1")));
        PacketBuffer b = new PacketBuffer();
        ThreadId.write(-1, b);
        b.append(',');
        ThreadId.write(0x1a, b);
        assertEquals("-1,1a", b.asText());
    }

    @Test
    void bufferEncodings() {
        PacketBuffer b = new PacketBuffer(16);
        b.appendHexLE(0x1122334455667788L, 8).append(';').appendHexNumber(0).append(';').appendHexNumber(0xabcL)
                .append(';').appendHexLE(-1, 10).append(';').appendHexText("hi\n");
        assertEquals("8877665544332211;0;abc;ffffffffffffffff0000;68690a", b.asText());
    }

    @Test
    void errorTextIsMadeSafeForFraming() {
        PacketBuffer b = new PacketBuffer().appendErrorText("bad $packet# with }escape* and\nnewline \u00e9");
        assertEquals("E.bad ?packet? with ?escape? and newline ?", b.asText());
        assertEquals("E.error", new PacketBuffer().appendErrorText(null).asText());
        assertTrue(new PacketBuffer().appendErrorText("x".repeat(5000)).length() <= 402);
    }

    @Test
    void hexTextRoundTrip() {
        String t = "monitor exits 5 \u00fc";
        assertEquals(t, Hex.decodeText(Hex.encodeText(t)));
        assertEquals(null, Hex.decode("abc"));
        assertEquals(null, Hex.decode("zz"));
    }
}
