/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Acknowledgement mode: resend on '-', bounded retries, and QStartNoAckMode. */
class AckTrackerTest {
    private static PacketBuffer text(String s) {
        return new PacketBuffer().appendAscii(s);
    }

    @Test
    void nackResendsTheLastFrameUntilAcked() {
        AckTracker a = new AckTracker(false);
        PacketBuffer wire = new PacketBuffer();
        a.send(text("OK"), wire);
        assertEquals("$OK#9a", wire.asText());
        assertTrue(a.awaitingAck());
        PacketBuffer again = new PacketBuffer();
        assertTrue(a.nacked(again));
        assertEquals("$OK#9a", again.asText());
        a.acked();
        assertFalse(a.awaitingAck());
        assertFalse(a.nacked(new PacketBuffer()), "nothing to resend after the ack");
    }

    @Test
    void retransmitsAreBounded() {
        AckTracker a = new AckTracker(false);
        a.send(text("S05"), new PacketBuffer());
        int resent = 0;
        while (a.nacked(new PacketBuffer())) {
            resent++;
            assertTrue(resent <= AckTracker.MAX_RETRANSMITS, "a peer nacking forever must not keep us busy");
        }
        assertEquals(AckTracker.MAX_RETRANSMITS, resent);
    }

    @Test
    void noAckModeKeepsNothingAndIgnoresNacks() {
        AckTracker a = new AckTracker(false);
        a.send(text("OK"), new PacketBuffer());
        a.disableAcks();
        assertFalse(a.ackMode());
        PacketBuffer wire = new PacketBuffer();
        a.send(text("T05thread:1;"), wire);
        assertFalse(a.awaitingAck());
        PacketBuffer resend = new PacketBuffer();
        assertFalse(a.nacked(resend));
        assertEquals(0, resend.length());
    }

    @Test
    void runLengthEncodingIsAppliedToSentFrames() {
        AckTracker a = new AckTracker(true);
        PacketBuffer wire = new PacketBuffer();
        a.send(text("0".repeat(32)), wire);
        assertTrue(wire.length() < 12, wire.asText());
    }
}
