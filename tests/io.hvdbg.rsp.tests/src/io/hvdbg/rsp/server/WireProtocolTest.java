/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.hvdbg.rsp.codec.FrameEncoder;

/** The stub at the byte level: acknowledgements, nacks, resends, no-ack mode, malformed and oversize input. */
class WireProtocolTest {
    private StubFixture f;

    @AfterEach
    void tearDown() {
        if (f != null) {
            f.close();
        }
    }

    private RawConnection open() throws Exception {
        f = new StubFixture(1);
        return new RawConnection(f.address());
    }

    @Test
    void acknowledgesPacketsAndNacksBadChecksumsUntilNoAckMode() throws Exception {
        try (RawConnection c = open()) {
            c.send("qAttached");
            assertEquals("+", c.next());
            assertEquals("$1", c.next());
            c.sendRaw("+");
            c.sendRaw("$qAttached#00");
            assertEquals("-", c.next(), "a garbled packet is nacked");
            c.send("qAttached");
            assertEquals("+", c.next());
            assertEquals("$1", c.next());
            // We nack the reply: the stub sends it again.
            c.sendRaw("-");
            assertEquals("$1", c.next());
            c.sendRaw("+");
            c.send("QStartNoAckMode");
            assertEquals("+", c.next());
            assertEquals("$OK", c.next());
            c.sendRaw("+");
            // From now on: no '+' from the stub, and stray acks are ignored.
            c.sendRaw("+-+");
            c.send("qAttached");
            assertEquals("$1", c.next());
            c.sendRaw("$qAttached#00");
            String r = c.next();
            assertTrue(r.startsWith("$E.packet checksum mismatch"), "no resend without acks: an error reply instead, " + r);
            c.send("vMustReplyEmpty");
            assertEquals("$", c.next());
        }
    }

    @Test
    void oversizeAndMalformedPacketsGetAnErrorAndTheSessionGoesOn() throws Exception {
        try (RawConnection c = open()) {
            c.handshakeNoAck();
            c.send("M1000,10000:" + "00".repeat(0x10000));
            String r = c.reply();
            assertTrue(r.startsWith("E.") && r.contains("longer than the maximum packet size"), r);
            c.sendRaw("$* bad#" + String.format("%02x", FrameEncoder.checksum("* bad".getBytes(), 0, 5)));
            r = c.reply();
            assertTrue(r.startsWith("E.") && r.contains("run-length"), r);
            c.send("m1000");
            r = c.reply();
            assertTrue(r.startsWith("E.malformed packet 'm1000'"), r);
            c.send("Z0,,1");
            r = c.reply();
            assertTrue(r.startsWith("E."), "Z0,,1" + ": " + r);
            c.send("qXfer:features:read:target.xml:zz,10");
            r = c.reply();
            assertTrue(r.startsWith("E."), "qXfer:features:read:target.xml:zz,10" + ": " + r);
            c.send("H");
            r = c.reply();
            assertTrue(r.startsWith("E."), "H" + ": " + r);
            c.send("p");
            r = c.reply();
            assertTrue(r.startsWith("E."), "p" + ": " + r);
            c.send("qRcmd,zz");
            r = c.reply();
            assertTrue(r.startsWith("E."), "qRcmd,zz" + ": " + r);
            c.sendRaw("garbage between packets\r\n");
            c.send("qAttached");
            assertEquals("1", c.reply(), "the session survived all of it");
        }
    }

    @Test
    void repliesAreRunLengthEncodedOnTheWire() throws Exception {
        try (RawConnection c = open()) {
            c.handshakeNoAck();
            c.send("m8000,100"); // 256 zero bytes: 512 '0' characters
            assertEquals("0".repeat(512), c.reply(), "the decoder expands what the stub compressed");
            assertTrue(c.lastWireLength() < 64, "sent compressed: " + c.lastWireLength() + " bytes on the wire");
        }
    }

    @Test
    void interruptWhileStoppedIsHarmless() throws Exception {
        try (RawConnection c = open()) {
            c.handshakeNoAck();
            c.interrupt();
            c.send("?");
            assertTrue(c.reply().startsWith("T05"));
        }
    }
}
